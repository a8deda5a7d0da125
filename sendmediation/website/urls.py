from django.urls import include, path

from sendmediation.website import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("healthz", views.healthz, name="healthz"),
    path("deadlines/", include("sendmediation.website.deadlines")),
    path("check-your-area/", include("sendmediation.website.coverage")),
]
