from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sendmediation.feedback"
    label = "feedback"
    verbose_name = "Follow-up surveys"

    def ready(self) -> None:
        from sendmediation.cases.signals import case_stopped
        from sendmediation.feedback.services import invite_when_case_closes

        case_stopped.connect(invite_when_case_closes, dispatch_uid="feedback.invite_when_case_closes")
