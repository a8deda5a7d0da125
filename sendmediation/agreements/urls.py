"""Staff pages for agreements, mounted by config/urls.py: path("staff/agreements/", include(...))."""

from django.urls import path

from sendmediation.agreements import views

app_name = "agreements"

urlpatterns = [
    path("<str:reference>/edit/", views.edit, name="edit"),
    path("<str:reference>/send/", views.send, name="send"),
    path("<str:reference>/wet-signature/", views.wet_signature, name="wet_signature"),
]
