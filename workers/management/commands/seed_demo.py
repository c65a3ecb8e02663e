"""``manage.py seed_demo``: load the demo content of the fictional Kabupaten Suka Maju."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from channels.demo import DEMO_PARTNER_SLUG, ensure_demo_accounts, ensure_demo_partner
from hub.demo.content import REGENCY
from hub.demo.seeding import SeedError, seed

API_PATH = "/api/v2/pages/?type=hub.ArticlePage&fields=*"


class Command(BaseCommand):
    help = (
        "Load demo content: site tree, categories, source units, illustrated articles and an admin "
        "user (SIAR_ADMIN_USERNAME, SIAR_ADMIN_PASSWORD). Safe to run again: it creates nothing twice."
    )

    def handle(self, *args, **options):
        username = settings.SIAR_ADMIN_USERNAME
        password = settings.SIAR_ADMIN_PASSWORD
        self.stdout.write(f"Demo content of {REGENCY}:")
        ensure_demo_accounts(self.say)  # before the articles, so publishing them syndicates
        partner_token = ensure_demo_partner(self.say)
        try:
            result = seed(admin_username=username, admin_password=password, say=self.say)
        except SeedError as error:
            raise CommandError(str(error)) from error
        admin = result.admin
        shown = admin.password if admin.password is not None else "(not shown: changed since it was set)"
        self.stdout.write("")
        self.stdout.write(f"Admin:    {settings.SIAR_BASE_URL}/admin/")
        self.stdout.write(f"Username: {admin.username}")
        self.stdout.write(f"Password: {shown}")
        self.stdout.write(f"API:      {settings.SIAR_BASE_URL}{API_PATH}")
        self.stdout.write(f"Feeds:    {settings.SIAR_BASE_URL}/feeds/rss.xml (public)")
        if partner_token:
            feed = f"{settings.SIAR_BASE_URL}/feeds/{DEMO_PARTNER_SLUG}/rss.xml"
            self.stdout.write(f"Partner:  {feed}?token={partner_token}  (shown once)")

    def say(self, line: str) -> None:
        self.stdout.write(f"  {line}")
