"""Pages without sign-in, mounted by config/urls.py beside casework's public pages."""

from django.urls import path

from sendmediation.agreements import views

app_name = "agreements_public"

urlpatterns = [
    path("sign/<str:token>/", views.sign, name="sign"),
    path("sign/<str:token>/agreement.pdf", views.sign_pdf, name="sign_pdf"),
    path("your-case/<str:token>/agreement/", views.family_agreement, name="family_agreement"),
]
