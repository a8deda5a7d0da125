"""Once the place the first site content was installed; now it installs nothing.

The content is code that changes (``sendmediation/website/content/``), and a migration must do the
same thing every time it runs, so it no longer imports it: ``manage.py install_site_content``
installs the pages, and a database migrated from empty gets them once, straight after this
migration is applied (``WebsiteConfig.ready``). See docs/decisions/0010-site-content-command.md.
The migration stays so that databases that applied it, and 0003 which follows it, keep their history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations: list[migrations.operations.base.Operation] = []
