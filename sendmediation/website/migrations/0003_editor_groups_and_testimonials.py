"""Wagtail's own Editors and Moderators groups can look after testimonials too.

Wagtail creates the two groups (Editors draft pages; Moderators also publish). Testimonials are
shown on the website as soon as they are saved with consent, so only Moderators may add, change
or delete them; Editors may see them.
"""

from django.db import migrations

MODERATOR_CODENAMES = ("add_testimonial", "change_testimonial", "delete_testimonial", "view_testimonial")
EDITOR_CODENAMES = ("view_testimonial",)


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # The model's permissions are normally made after all migrations; they are needed now.
    config = apps.get_app_config("website")
    config.models_module = True  # the migration state's app has none; create_permissions needs one
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Moderators", MODERATOR_CODENAMES), ("Editors", EDITOR_CODENAMES)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="website", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=("Moderators", "Editors")):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="website", codename__in=MODERATOR_CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_site_content"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
