from django.urls import path

from sendmediation.intake import views
from sendmediation.intake.forms import QUESTION_FORMS

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    *(path(f"{slug}/", views.question, {"slug": slug}, name=slug) for slug in QUESTION_FORMS),
    path("time-limit/", views.time_limit, name="time-limit"),
    path("area/", views.area, name="area"),
    path("check/", views.check, name="check"),
    path("sent/", views.sent, name="sent"),
]
