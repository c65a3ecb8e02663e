"""Editors add source units and tie contributors to them; editors and publishers work the intake inbox
(see workers/roles.py)."""

from django.db import migrations


def sync(apps, schema_editor):
    from workers.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("workers", "0001_newsroom_roles"),
        ("hub", "0003_source_unit_members"),
        ("siar_channels", "0006_channel_timing"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
