"""Managers' review of the families' comments, mounted at /staff/feedback/ by config/urls.py."""

from django.urls import path

from sendmediation.website import feedback_views

app_name = "feedback_review"

urlpatterns = [
    path("", feedback_views.comments, name="comments"),
    path("<int:survey_id>/make-testimonial/", feedback_views.make_testimonial, name="make_testimonial"),
]
