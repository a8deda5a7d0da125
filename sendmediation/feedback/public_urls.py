"""The survey's page, without sign-in: mounted by config/urls.py."""

from django.urls import path

from sendmediation.feedback import views

app_name = "feedback_public"

urlpatterns = [
    path("survey/<str:token>/", views.survey, name="survey"),
]
