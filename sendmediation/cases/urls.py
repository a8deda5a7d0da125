"""Staff pages, mounted by config/urls.py: path("staff/cases/", include("sendmediation.cases.urls"))."""

from django.urls import path

from sendmediation.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("my-work/", views.my_work, name="my_work"),
    path("new/", views.open_case, name="open_case"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<str:reference>/", views.request_detail, name="request_detail"),
    path("requests/<str:reference>/letter/", views.request_letter, name="request_letter"),
    path("requests/<str:reference>/accept/", views.accept_request, name="accept_request"),
    path("requests/<str:reference>/decline/", views.decline_request, name="decline_request"),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/actions/<str:action>/", views.case_action, name="case_action"),
    path(
        "<str:reference>/certificates/<str:number>/", views.certificate_download, name="certificate_download"
    ),
    path("<str:reference>/documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<str:reference>/emails/<int:email_id>/", views.case_email, name="case_email"),
]
