"""Messages already delivered (or cancelled) keep a placeholder where each private link was.

The keys are written out here, as they stood when this migration was made, so that later changes
to the registry do not change what this migration did."""

from django.db import migrations

LINK_REMOVED = "[link removed after sending]"

PRIVATE_LINKS = {
    "case_opened": ("case_link",),
    "advice_call_booked": ("case_link",),
    "advice_call_missed": ("case_link",),
    "certificate_issued": ("case_link",),
    "dr_consent_request": ("link",),
    "dr_consent_refused": ("case_link",),
    "follow_up_survey": ("survey_link",),
    "agreement_signature_request": ("sign_link",),
    "agreement_signed_copy": ("case_link",),
    "family_link_reissued": ("case_link",),
}


def remove_links(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    done = OutboxMessage.objects.filter(status__in=["sent", "cancelled"], template__in=list(PRIVATE_LINKS))
    for message in done.only("pk", "template", "context").iterator():
        keys = PRIVATE_LINKS[message.template]
        context = message.context or {}
        kept = {key: LINK_REMOVED if key in keys and value else value for key, value in context.items()}
        if kept != context:
            OutboxMessage.objects.filter(pk=message.pk).update(context=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_purged_at"),
    ]

    operations = [
        migrations.RunPython(remove_links, migrations.RunPython.noop),
    ]
