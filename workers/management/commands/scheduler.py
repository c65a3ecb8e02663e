"""``manage.py scheduler``: send the periodic jobs' messages at their intervals (no cron needed).

Run exactly one (``make run`` and the compose ``scheduler`` service do); a second one by mistake
does no double work (a Redis lock per job and tick). ``--once`` sends every job now and exits;
``--list`` shows the jobs and their intervals.
"""

import logging
import signal

import dramatiq
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, no_translations

from workers import actors  # noqa: F401  (declares the actors on the broker)
from workers.queueing import BROKER_DOWN
from workers.schedule import JOBS, Job, active_jobs, interval

logger = logging.getLogger("siar.workers.scheduler")


def send(job: Job) -> bool:
    """Send the job's message unless another scheduler did for this tick; False if skipped."""
    broker = dramatiq.get_broker()
    lock = f"{broker.namespace}:schedule-lock:{job.name}"
    try:
        if not broker.client.set(lock, "1", nx=True, px=max(100, int(interval(job) * 900))):
            logger.info("%s: already sent by another scheduler for this tick", job.name)
            return False
        broker.get_actor(job.actor).send()
    except BROKER_DOWN as exc:  # the next tick tries again
        logger.warning("%s: broker unreachable (%s); trying again next tick", job.name, exc.__class__.__name__)
        return False
    logger.info("%s: sent", job.name)
    return True


class Command(BaseCommand):
    help = "Send periodic jobs (scheduled publishing, log flushing, token checks, pruning) to the workers."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send every active job once, now, and exit")
        parser.add_argument("--list", action="store_true", help="list the jobs and their intervals")

    @no_translations
    def handle(self, *args, **options):
        if options["list"]:
            for job in JOBS:
                every = f"every {interval(job)} s" if interval(job) else "off"
                self.stdout.write(f"{job.name:<20} {every:<14} {job.description}")
            return
        jobs = active_jobs()
        if options["once"]:
            sent = [job.name for job in jobs if send(job)]
            self.stdout.write(f"Sent: {', '.join(sent) or 'nothing'}.")
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in jobs:
            scheduler.add_job(
                send,
                IntervalTrigger(seconds=interval(job)),
                args=[job],
                id=job.name,
                coalesce=True,  # after a pause (a suspended laptop), one run, not a burst
                max_instances=1,
                misfire_grace_time=max(1, interval(job) // 2),
            )
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: scheduler.shutdown(wait=False))
        self.stdout.write(
            "Scheduler running: " + ", ".join(f"{job.name} every {interval(job)} s" for job in jobs), ending="\n"
        )
        self.stdout.flush()
        for job in jobs:  # the first tick now, not one interval from now
            send(job)
        scheduler.start()
