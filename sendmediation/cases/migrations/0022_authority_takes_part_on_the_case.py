"""Whether the authority takes part, kept on the case's own row (decisions/0008).

An officer's lists used to work out, for every case of the authority, whether it had been told
(from the events) or was a party (from the parties). The two facts are now columns on the case,
filled here from the history and kept by the services from then on.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

AUTHORITY_TOLD = ["la_notified", "mediation_not_arranged"]


def fill_from_history(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Party = apps.get_model("cases", "Party")
    told = CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=AUTHORITY_TOLD)
    party = Party.objects.filter(case=OuterRef("pk"), role="la_officer")
    Case.objects.filter(Exists(told)).update(authority_told=True)
    Case.objects.filter(Exists(party)).update(authority_is_party=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_access_log_subject_access_export"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="authority_told",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="authority_is_party",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill_from_history, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="case", name="case_authority_recent_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "local_authority",
                    "-received_on",
                    "-id",
                    "kind",
                    "authority_told",
                    "authority_is_party",
                ],
                name="case_authority_part_idx",
            ),
        ),
    ]
