"""Periodic safety net run inside workers: queue again deliveries whose message was lost (and
move the feed pickup log from Redis into the database).

A message can be lost when the broker is unreachable at publish time, or when Redis loses
data. Deliveries are the source of truth: one worker at a time (a Redis lock) sweeps every
``SIAR_SWEEP_SECONDS`` and queues pending deliveries that are long overdue. A duplicate message
is harmless: the first one to lock the delivery does the work.
"""

import logging
import threading

import dramatiq
from django.conf import settings

logger = logging.getLogger("siar.workers.sweeper")
LOCK_KEY = "siar:sweeper-lock"


class DueDeliveriesSweeper(dramatiq.Middleware):
    def __init__(self):
        self.stop = threading.Event()
        self.thread = None

    def after_worker_boot(self, broker, worker):
        interval = float(getattr(settings, "SIAR_SWEEP_SECONDS", 60))
        if interval <= 0 or not hasattr(broker, "client"):
            return
        self.thread = threading.Thread(target=self._run, args=(broker, interval), name="siar-sweeper", daemon=True)
        self.thread.start()

    def before_worker_shutdown(self, broker, worker):
        self.stop.set()

    def _run(self, broker, interval: float) -> None:
        from django.db import close_old_connections

        from channels.feeds.pickups import flush as flush_pickups

        from .syndication import deliveries_requeue_due

        while not self.stop.wait(interval):
            try:
                if broker.client.set(f"{broker.namespace}:{LOCK_KEY}", "1", nx=True, ex=max(1, int(interval * 0.9))):
                    deliveries_requeue_due()
                    flush_pickups()  # the feed pickup log, from Redis into the database
            except Exception:  # the sweeper must outlive a database or Redis outage
                logger.exception("sweeping due deliveries failed; trying again in %ss", interval)
            finally:
                close_old_connections()
