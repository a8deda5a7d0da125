"""Pages without sign-in, mounted by config/urls.py: path("", include("sendmediation.cases.public_urls"))."""

from django.urls import path

from sendmediation.cases import public_views

app_name = "cases_public"

urlpatterns = [
    path("verify/", public_views.verify_certificate, name="verify"),
    path("dr-consent/<str:token>/", public_views.dr_consent, name="dr_consent"),
    path("your-case/<str:token>/", public_views.family_case, name="family_case"),
    path(
        "your-case/<str:token>/ask-for-certificate/",
        public_views.family_ask_for_certificate,
        name="family_ask_for_certificate",
    ),
    path(
        "your-case/<str:token>/certificates/<str:number>/",
        public_views.family_certificate,
        name="family_certificate",
    ),
]
