"""``manage.py channels connect|list``: channel accounts from the command line."""

import json
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from channels.models import Channel, ChannelAccount
from hub.models import Category
from workers.syndication import account_reconnected


class Command(BaseCommand):
    help = "Connect channel accounts (tokens are stored encrypted and never printed) and list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        connect = sub.add_parser("connect", help="create an account, or give an existing one a new token")
        connect.add_argument("channel", choices=Channel.values)
        connect.add_argument("--account-id", required=True, help="Page ID, Instagram user ID, channel ID or URL")
        connect.add_argument(
            "--token", help="the access token; '-' reads it from standard input (keeps it out of shell history)"
        )
        connect.add_argument("--name", help="display name (default: '<channel> <account-id>')")
        connect.add_argument("--expires", help="token expiry, ISO date or datetime")
        connect.add_argument("--default-for-all", action="store_true", help="send every new article here")
        connect.add_argument("--categories", help="comma-separated category slugs this account is a default for")
        listing = sub.add_parser("list", help="list accounts and their health")
        listing.add_argument("--json", action="store_true")

    @no_translations  # stable English output for scripts, whatever LANGUAGE_CODE is
    def handle(self, *args, **options):
        if options["action"] == "connect":
            self.connect(options)
        else:
            self.list(as_json=options["json"])

    def connect(self, options):
        token = options["token"]
        if token == "-":
            token = sys.stdin.readline()
        token = (token or "").strip()
        if any(character.isspace() or not character.isprintable() for character in token):
            raise CommandError("The token contains spaces or line breaks: copy it again, in one piece.")
        name = options["name"] or f"{options['channel']} {options['account_id']}"
        expires = _parse_expiry(options["expires"]) if options["expires"] else None
        categories = _categories(options["categories"]) if options["categories"] else None
        with transaction.atomic():
            account, created = ChannelAccount.objects.get_or_create(
                channel=options["channel"], name=name, defaults={"external_id": options["account_id"]}
            )
            account.external_id = options["account_id"]
            if token:
                account.token = token
            if expires:
                account.token_expires_at = expires
            if options["default_for_all"]:
                account.default_for_all_categories = True
            account.save()
            if categories is not None:
                account.default_categories.set(categories)
            resent = account_reconnected(account=account, source="cli") if token and not created else 0
        mode = "live (token stored encrypted)" if account.has_credentials else "outbox (no token: nothing is published)"
        self.stdout.write(f"{'Created' if created else 'Updated'} {account} [id {account.pk}], {mode}.")
        if resent:
            self.stdout.write(f"{resent} waiting deliveries queued again.")

    def list(self, *, as_json: bool):
        rows = [_account_row(account) for account in ChannelAccount.objects.prefetch_related("default_categories")]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No channel accounts. Add one with: manage.py channels connect CHANNEL --account-id ID")
        for row in rows:
            self.stdout.write(
                f"{row['id']:>4}  {row['channel']:<10} {row['name']:<32} {row['status']:<12} "
                f"{'token' if row['has_token'] else 'outbox':<7} last success: {row['last_success_at'] or '-'}"
                + (f"  last error: {row['last_error']}" if row["last_error"] else "")
            )


def _account_row(account: ChannelAccount) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": account.pk,
        "channel": account.channel,
        "name": account.name,
        "account_id": account.external_id,
        "status": account.status,
        "status_reason": account.status_reason,
        "active": account.is_active,
        "has_token": account.has_credentials,
        "token_expires_at": iso(account.token_expires_at),
        "last_success_at": iso(account.last_success_at),
        "last_error_at": iso(account.last_error_at),
        "last_error": account.last_error,
        "default_for_all_categories": account.default_for_all_categories,
        "default_categories": [c.slug for c in account.default_categories.all()],
    }


def _parse_expiry(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--expires: {value!r} is not an ISO date (2026-12-31) or datetime")
        parsed = datetime.combine(day, datetime.min.time())
    return make_aware(parsed) if is_naive(parsed) else parsed


def _categories(value: str) -> list[Category]:
    slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
    found = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        known = ", ".join(Category.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(f"unknown categories: {', '.join(missing)} (known: {known})")
    return list(found.values())
