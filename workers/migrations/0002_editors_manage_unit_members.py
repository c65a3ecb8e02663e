"""Editors add source units and tie contributors to them (see workers/roles.py)."""

from django.db import migrations


def sync(apps, schema_editor):
    from workers.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("workers", "0001_newsroom_roles"), ("hub", "0003_source_unit_members")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
