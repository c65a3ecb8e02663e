"""``manage.py roles``: list the newsroom's groups, or add what is missing to them (``--sync``)."""

import json

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, no_translations

from workers.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Show the newsroom roles (groups) and their permissions; --sync adds what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="create missing groups, permissions and workflow")
        parser.add_argument("--json", action="store_true")

    @no_translations
    def handle(self, *args, **options):
        if options["sync"]:
            sync_roles(apps)
        rows = []
        for name in ROLES:
            group = Group.objects.filter(name=name).first()
            rows.append(
                {
                    "role": name,
                    "exists": group is not None,
                    "members": sorted(group.user_set.values_list("username", flat=True)) if group else [],
                    "permissions": sorted(group.permissions.values_list("codename", flat=True)) if group else [],
                    "page_permissions": sorted(group.page_permissions.values_list("permission__codename", flat=True))
                    if group
                    else [],
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            state = f"{len(row['members'])} member(s)" if row["exists"] else "missing (run: manage.py roles --sync)"
            self.stdout.write(f"{row['role']:<18} {state}; pages: {', '.join(row['page_permissions']) or '-'}")
