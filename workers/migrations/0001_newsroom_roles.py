"""The newsroom's groups, their permissions and the default review workflow (see workers/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from workers.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("hub", "0001_initial"),
        ("siar_channels", "0004_feeds_pickups_partner_webhooks"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
