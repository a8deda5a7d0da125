from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sendmediation.notifications"
    label = "notifications"
    verbose_name = "Notifications"
