"""Load the 153 English SEND authorities; later changes to the table come with a migration that runs it again."""

from django.db import migrations


def load_authorities(apps, schema_editor):
    from sendmediation.localities.services import sync_authorities

    sync_authorities(apps.get_model("localities", "LocalAuthority"))


class Migration(migrations.Migration):
    dependencies = [
        ("localities", "0002_coverage"),
    ]

    operations = [
        migrations.RunPython(load_authorities, migrations.RunPython.noop, elidable=False),
    ]
