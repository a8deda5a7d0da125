"""Report pages, mounted by config/urls.py: path("staff/reports/", include("sendmediation.reports.urls"))."""

from django.urls import path

from sendmediation.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("service/", views.service, name="service"),
    path("service/export.<str:fmt>", views.service_export, name="service_export"),
    path("authorities/<str:code>/", views.authority, name="authority"),
    path("authorities/<str:code>/export.<str:fmt>", views.authority_export, name="authority_export"),
]
