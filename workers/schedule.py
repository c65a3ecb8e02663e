"""Periodic work without cron: which actor runs how often.

``manage.py scheduler`` (started by ``make run``; the ``scheduler`` service in compose) sends
each job's message to the broker at its interval; workers do the work, so a slow job never
delays the clock and scaling workers scales it. Intervals come from ``SIAR_SCHEDULE`` (seconds;
0 switches a job off). A Redis lock per job and tick keeps a second scheduler started by mistake
from doubling the work.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Job:
    name: str  # also the SIAR_SCHEDULE key
    actor: str  # actor name in workers.actors
    description: str


JOBS = (
    Job("publish_scheduled", "publish_scheduled_pages", _("Publish and unpublish pages at their scheduled times")),
    Job("pickups_flush", "feed_pickups_flush", _("Move the feed pickup log from Redis into the database")),
    Job("views_flush", "article_views_flush", _("Move article view counts from Redis into the database")),
    Job("intake_poll", "intake_poll", _("Poll the source units' feeds for the intake inbox")),
    Job("token_expiry", "token_expiry_warn", _("Warn channel managers of tokens that expire within 7 days")),
    Job("prune_logs", "logs_prune", _("Delete pickup-log and outbox entries past their retention")),
)


def interval(job: Job) -> int:
    return int(settings.SIAR_SCHEDULE.get(job.name, 0))


def active_jobs() -> list[Job]:
    return [job for job in JOBS if interval(job) > 0]
