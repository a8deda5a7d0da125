"""The managers' access report, mounted by config/urls.py: path("staff/access/", include(...))."""

from django.urls import path

from sendmediation.dataprotection import views

app_name = "access_report"

urlpatterns = [
    path("", views.access_counts, name="people"),
    path("<int:user_id>/", views.person_access, name="person"),
]
