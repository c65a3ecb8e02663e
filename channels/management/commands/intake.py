"""``manage.py intake add|poll|list``: feeds of source units' websites, and the items they bring in."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations

from channels.intake import poll_all
from channels.intake.inbox import add_feed
from channels.models import IntakeItem
from hub.models import SourceUnit


class Command(BaseCommand):
    help = "Intake from unit websites: add a unit's feed, poll all feeds now, list the inbox."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a feed URL (RSS or Atom) to a source unit")
        add.add_argument("source_unit", help="the source unit's slug")
        add.add_argument("url")
        sub.add_parser("poll", help="poll every active feed now")
        listing = sub.add_parser("list", help="list inbox items")
        listing.add_argument("--json", action="store_true")
        listing.add_argument(
            "--state", choices=[*IntakeItem.State.values, "all"], default="all", help="only items in this state"
        )

    @no_translations  # stable English output for scripts, whatever LANGUAGE_CODE is
    def handle(self, *args, **options):
        getattr(self, options["action"])(options)

    def add(self, options):
        unit = SourceUnit.objects.filter(slug=options["source_unit"]).first()
        if unit is None:
            known = ", ".join(SourceUnit.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No source unit with slug {options['source_unit']!r}. Known: {known}.")
        try:
            feed = add_feed(unit, options["url"])
        except ValidationError as exc:
            raise CommandError(f"{options['url']}: {' '.join(exc.messages)}") from exc
        self.stdout.write(f"Added feed {feed.url} for {unit.name} ({unit.slug}); it is polled with the others.")

    def poll(self, options):
        results = poll_all()
        for result in results:
            self.stdout.write(f"{result.feed.source_unit.slug}\t{result.feed.url}\t{result.describe()}")
        new = sum(result.new for result in results)
        unchanged = sum(result.status == "unchanged" for result in results)
        errors = sum(result.status == "error" for result in results)
        self.stdout.write(f"{len(results)} feed(s): {new} new item(s), {unchanged} unchanged, {errors} error(s).")

    def list(self, options):
        items = IntakeItem.objects.select_related("source_unit").order_by("-fetched_at", "-pk")
        if options["state"] != "all":
            items = items.filter(state=options["state"])
        rows = [
            {
                "id": item.pk,
                "source": item.source_unit.slug,
                "title": item.title,
                "link": item.link,
                "published": item.published.isoformat() if item.published else None,
                "state": item.state,
            }
            for item in items
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("The intake inbox is empty.")
        for row in rows:
            fields = (row["id"], row["state"], row["source"], row["published"] or "-", row["title"], row["link"])
            self.stdout.write("\t".join(str(field) for field in fields))
