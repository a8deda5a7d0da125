from django.urls import path

from sendmediation.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("previews/", views.previews, name="previews"),
    path("previews/<slug:name>/", views.preview, name="preview"),
    path("previews/<slug:name>/html/", views.preview_html, name="preview_html"),
]
