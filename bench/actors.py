"""The no-op actor bench/fanout.py uses to measure raw Dramatiq throughput."""

import dramatiq

NOOP_QUEUE = "bench.noop"


@dramatiq.actor(queue_name=NOOP_QUEUE, max_retries=0)
def bench_noop() -> None:
    """Does nothing: what is left is Dramatiq's own cost per message."""
