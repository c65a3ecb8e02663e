"""``manage.py partners add|list|rotate|revoke``: partner media and KIM, and their feed tokens.

A token is printed once, when it is made; only its hash is stored.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from channels.models import Partner
from channels.outbound import url_problem
from channels.partners_service import DEFAULT_GRACE_DAYS, issue_token, partner_status, revoke_tokens, rotate_tokens
from hub.models import Category, SourceUnit


class Command(BaseCommand):
    help = "Manage partners (media companies and KIM) that pull Siar's feeds, and their access tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a partner and print its first token (shown once)")
        add.add_argument("slug")
        add.add_argument("--name", required=True, help="the partner's legal name")
        add.add_argument("--kind", choices=Partner.Kind.values, default=Partner.Kind.MEDIA)
        add.add_argument("--categories", help="comma-separated category slugs (default: every category)")
        add.add_argument("--source-units", help="comma-separated source-unit slugs (default: every unit)")
        add.add_argument("--agreement", help="the cooperation agreement's number")
        add.add_argument("--start", help="the agreement's first day, YYYY-MM-DD")
        add.add_argument("--end", help="the agreement's last day, YYYY-MM-DD (tokens stop working after it)")
        add.add_argument("--summary-only", action="store_true", help="give summaries, not full text")
        add.add_argument("--attribution", default="", help="the attribution line added to each item")
        add.add_argument("--webhook", default="", help="URL that gets a signed POST per article change (optional)")
        listing = sub.add_parser("list", help="list partners, their agreements and tokens")
        listing.add_argument("--json", action="store_true")
        rotate = sub.add_parser("rotate", help="print a new token; old ones keep working for a grace period")
        rotate.add_argument("slug")
        rotate.add_argument("--grace-days", type=int, default=DEFAULT_GRACE_DAYS)
        revoke = sub.add_parser("revoke", help="revoke the partner's tokens (all, or one by its prefix)")
        revoke.add_argument("slug")
        revoke.add_argument("--token", help="the first characters of the token to revoke, as `list` shows them")

    @no_translations  # stable English output for scripts, whatever LANGUAGE_CODE is
    def handle(self, *args, **options):
        getattr(self, options["action"])(options)

    def add(self, options):
        if Partner.objects.filter(slug=options["slug"]).exists():
            raise CommandError(
                f"A partner with slug {options['slug']!r} exists: use `partners rotate` for a new token."
            )
        start, end = _date(options["start"], "--start"), _date(options["end"], "--end")
        if start and end and end < start:
            raise CommandError("--end is before --start.")
        if options["webhook"] and (problem := url_problem(options["webhook"])):
            raise CommandError(f"--webhook: {problem}")
        categories = _by_slug(Category, options["categories"], "category")
        units = _by_slug(SourceUnit, options["source_units"], "source unit")
        with transaction.atomic():
            partner = Partner.objects.create(
                slug=options["slug"],
                name=options["name"],
                kind=options["kind"],
                agreement_number=options["agreement"] or "",
                agreement_start=start,
                agreement_end=end,
                full_text=not options["summary_only"],
                attribution=options["attribution"],
                webhook_url=options["webhook"],
            )
            partner.categories.set(categories)
            partner.source_units.set(units)
            _, raw = issue_token(partner, label="created by the CLI")
        self.stdout.write(f"Added partner {partner.name} ({partner.slug}).")
        self._print_token(partner, raw)
        if partner.new_webhook_secret:
            self.stdout.write("Webhook secret (shown only now; the partner verifies X-Siar-Signature with it):")
            self.stdout.write(f"  {partner.new_webhook_secret}")

    def list(self, options):
        rows = [_partner_row(partner) for partner in Partner.objects.prefetch_related("categories", "tokens")]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No partners. Add one with: manage.py partners add SLUG --name NAME")
        for row in rows:
            self.stdout.write(
                f"{row['slug']:<24} {row['name']:<36} {row['kind']:<6} {row['status']:<12} "
                f"agreement {row['agreement_number'] or '-'} ({row['agreement_start'] or '…'} – "
                f"{row['agreement_end'] or '…'}), tokens: {', '.join(row['tokens']) or 'none'}"
            )

    def rotate(self, options):
        partner = _partner(options["slug"])
        _, raw, grace_ends = rotate_tokens(partner, grace_days=options["grace_days"], label="rotated by the CLI")
        self.stdout.write(
            f"Old tokens of {partner.slug} keep working until {timezone.localtime(grace_ends):%Y-%m-%d %H:%M}."
        )
        self._print_token(partner, raw)

    def revoke(self, options):
        partner = _partner(options["slug"])
        count = len(revoke_tokens(partner, prefix=options["token"] or ""))
        if options["token"] and not count:
            raise CommandError(f"{partner.slug} has no unrevoked token starting with {options['token']!r}.")
        self.stdout.write(f"Revoked {count} token(s) of {partner.slug}.")

    def _print_token(self, partner: Partner, raw: str) -> None:
        self.stdout.write("Token (shown only now; store it safely, Siar keeps only its hash):")
        self.stdout.write(f"  {raw}")
        self.stdout.write(
            f"Feeds: /feeds/{partner.slug}/rss.xml, /feeds/{partner.slug}/atom.xml, /feeds/{partner.slug}/feed.json"
        )


def _date(value: str | None, flag: str) -> date | None:
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise CommandError(f"{flag} must be a date as YYYY-MM-DD, not {value!r}.")
    return parsed


def _by_slug(model, value: str | None, what: str) -> list:
    slugs = [slug.strip() for slug in (value or "").split(",") if slug.strip()]
    found = {item.slug: item for item in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        known = ", ".join(model.objects.order_by("slug").values_list("slug", flat=True)) or "none"
        raise CommandError(f"Unknown {what}: {', '.join(unknown)} (known: {known}).")
    return list(found.values())


def _partner(slug: str) -> Partner:
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise CommandError(f"No partner with slug {slug!r}; see `manage.py partners list`.")
    return partner


def _partner_row(partner: Partner) -> dict:
    usable = [token for token in partner.tokens.all() if token.is_usable()]
    return {
        "slug": partner.slug,
        "name": partner.name,
        "kind": partner.kind,
        "status": partner_status(partner).value,
        "agreement_number": partner.agreement_number,
        "agreement_start": partner.agreement_start.isoformat() if partner.agreement_start else None,
        "agreement_end": partner.agreement_end.isoformat() if partner.agreement_end else None,
        "categories": sorted(category.slug for category in partner.categories.all()),
        "full_text": partner.full_text,
        "webhook": partner.webhook_url,
        "tokens": [f"{token.key_prefix}…" for token in usable],
    }
