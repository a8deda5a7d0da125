from django.db import migrations

from sendmediation.website.site_content import install_site_content


def install(apps, schema_editor):
    install_site_content(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
