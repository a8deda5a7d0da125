"""API tokens, moved here from the cases app with their rows.

cases' migration 0011_api_token_moves_to_accounts has already renamed the table to
accounts_apitoken, so this migration only adds the model to this app's state. The content type
follows the model, so the permissions and admin history that point at it are kept.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label=target, model="apitoken").exists():
        content_types.filter(app_label=source, model="apitoken").update(app_label=target)


def content_type_to_accounts(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="cases", target="accounts")


def content_type_back_to_cases(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="accounts", target="cases")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0011_api_token_moves_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "name",
                            models.CharField(blank=True, help_text="What the token is for.", max_length=100),
                        ),
                        ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        (
                            "prefix",
                            models.CharField(
                                editable=False,
                                help_text="The start of the token, to tell it apart.",
                                max_length=12,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="staff_api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_accounts, content_type_back_to_cases),
    ]
