from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sendmediation.website.urls")),
    path("", include("sendmediation.accounts.urls")),
    path("request/", include("sendmediation.intake.urls")),
    path("api/v1/", include("sendmediation.api.urls")),
    path("django-admin/", admin.site.urls),
]
