"""Staff pages, mounted by config/urls.py beside casework's: path("staff/cases/", include(...))."""

from django.urls import path

from sendmediation.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("<str:reference>/subject-access/", views.subject_access, name="subject_access"),
    path("<str:reference>/viewers/", views.case_viewers, name="case_viewers"),
]
