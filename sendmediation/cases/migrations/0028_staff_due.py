# The date staff must meet, kept by the database while a deadline runs: see the model and decision 0008.
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0026_family_link_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="staff_due",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(
                            ("met_on__isnull", True),
                            ("stopped_on__isnull", True),
                            models.Q(("rule__in", ["appeal_by", "contact_adviser_by"]), _negated=True),
                        ),
                        then=django.db.models.functions.comparison.Coalesce("agreed_override", "due"),
                    ),
                    default=None,
                    output_field=models.DateField(),
                ),
                output_field=models.DateField(null=True),
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("staff_due__isnull", False)),
                fields=["staff_due", "rule", "due", "case", "id"],
                name="deadline_staff_due_idx",
            ),
        ),
    ]
