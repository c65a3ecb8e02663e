"""``manage.py deliveries``: what went where, for operators and scripted checks."""

import json

from django.core.management.base import BaseCommand, no_translations

from channels.models import Delivery
from workers.syndication import deliveries_requeue_due, delivery_retry

FIELDS = ("article", "channel", "account", "state", "attempts", "external_id", "external_url", "error")


class Command(BaseCommand):
    help = "List deliveries (filter by article or state), retry failed ones, or requeue overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, help="page ID of the article")
        parser.add_argument("--state", choices=Delivery.State.values)
        parser.add_argument("--channel")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--retry", action="store_true", help="retry the failed / needs-attention ones listed")
        parser.add_argument("--requeue-due", action="store_true", help="queue again pending deliveries whose message "
                            "may have been lost (e.g. after a broker outage)")  # fmt: skip

    @no_translations  # stable English output for scripts, whatever LANGUAGE_CODE is
    def handle(self, *args, **options):
        if options["requeue_due"]:
            self.stdout.write(f"{deliveries_requeue_due()} deliveries queued again.")
            return
        deliveries = Delivery.objects.select_related("account").order_by("article_id", "account__channel", "pk")
        if options["article"] is not None:
            deliveries = deliveries.filter(article_id=options["article"])
        if options["state"]:
            deliveries = deliveries.filter(state=options["state"])
        if options["channel"]:
            deliveries = deliveries.filter(account__channel=options["channel"])
        if options["retry"]:
            retriable = deliveries.filter(state__in=[Delivery.State.FAILED, Delivery.State.NEEDS_ATTENTION])
            count = sum(delivery_retry(delivery=d, source="cli") for d in retriable)
            self.stdout.write(f"{count} deliveries queued again.")
            return
        rows = [_row(delivery) for delivery in deliveries]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No deliveries match.")
        for row in rows:
            self.stdout.write(
                f"{row['article']} → {row['channel']}/{row['account']}: "
                f"{'scheduled for ' + row['scheduled_for'] if row['scheduled_for'] else row['state']} "
                f"(attempts {row['attempts']}) {row['external_url'] or ''} {row['error'] or ''}".rstrip()
            )


def _row(delivery: Delivery) -> dict:
    error = ""
    if delivery.error_kind:
        error = f"{delivery.get_error_kind_display()}: {delivery.error_message}"
        if delivery.fix_hint:
            error += f" (fix: {delivery.fix_hint})"
    if delivery.manual_task:
        error = f"{delivery.get_manual_task_display()}: {delivery.manual_note}".strip()
    return {
        "article": delivery.article_title,
        "article_id": delivery.article_id,
        "channel": delivery.account.channel,
        "account": delivery.account.name,
        "state": delivery.state,
        "operation": delivery.operation,
        "attempts": delivery.attempts,
        "external_id": delivery.external_id,
        "external_url": delivery.external_url,
        "error": error,
        "scheduled_for": delivery.next_attempt_at.isoformat() if delivery.is_scheduled else None,
    }
