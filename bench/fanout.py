#!/usr/bin/env python
"""Fan-out benchmark: publish articles to 5 channel accounts and time the deliveries.

Real pieces: the database (DATABASE_URL, else var/bench/bench.sqlite3, migrated first), Redis
(REDIS_URL, else an embedded redis-server under var/bench/redis), worker processes
(`manage.py rundramatiq`), and the fake platform (tests/fakes/platform.py) over HTTP with the
given latencies. Prints, per latency: deliveries/s and p50/p95 of publish→delivered (per
delivery) and publish→all-delivered (per article), for a burst of articles and for single
articles; plus the raw Dramatiq rate of a no-op actor on the same broker and workers.

    .venv/bin/python bench/fanout.py [--articles 20] [--singles 10] [--latency-ms 0,100]
"""

import argparse
import math
import os
import platform as host
import signal
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench`, `tests` and `settings` must import

from tests.fakes.platform import FakePlatform  # noqa: E402  (no Django imports)
from tests.fakes.redis_server import RedisServer  # noqa: E402

BENCH_VAR = Path(os.environ.get("SIAR_VAR_DIR", ROOT / "var")) / "bench"


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    log_path = BENCH_VAR / "workers.log"
    with ExitStack() as stack:
        redis_url = os.environ.get("REDIS_URL") or stack.enter_context(embedded_redis()).url
        fake = stack.enter_context(FakePlatform(seed=1))
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{fresh_sqlite_file()}",
            REDIS_URL=redis_url,
            FAKE_PLATFORM_URL=fake.url,
            DRAMATIQ_NAMESPACE=f"siar-bench-{os.getpid()}",
            SIAR_LOG_LEVEL="WARNING",
        )
        say(f"migrating {redacted(os.environ['DATABASE_URL'])} …")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        from bench.run import Bench  # needs Django set up

        bench = Bench(fake, articles=args.articles, singles=args.singles)
        stack.callback(bench.clean_broker)  # runs after the workers have stopped
        stack.enter_context(workers(args.processes, args.threads, log_path))
        say(f"workers: {args.processes} process(es) × {args.threads} threads (log: {log_path})")
        bench.wait_for_workers()
        results = bench.run(latencies=[ms / 1000 for ms in args.latency_ms], noop_messages=args.noop_messages)
        print_report(args, results)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20, help="articles per burst (each to 5 accounts)")
    parser.add_argument("--singles", type=int, default=10, help="articles published one at a time, per latency")
    parser.add_argument("--latency-ms", type=lambda v: [int(x) for x in v.split(",")], default=[0, 100])
    parser.add_argument("--noop-messages", type=int, default=2000, help="messages for the raw Dramatiq rate")
    parser.add_argument("--processes", type=int, default=int(os.environ.get("SIAR_WORKER_PROCESSES", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("SIAR_WORKER_THREADS", "8")))
    return parser.parse_args()


def fresh_sqlite_file() -> Path:
    """The bench's own SQLite file, recreated on every run (comparable runs, current schema)."""
    path = BENCH_VAR / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@contextmanager
def embedded_redis():
    say("starting an embedded Redis (set REDIS_URL to use yours) …")
    with RedisServer(BENCH_VAR / "redis", persistent=False) as server:
        yield server


@contextmanager
def workers(processes: int, threads: int, log_path: Path):
    """`manage.py rundramatiq` in its own process group; stopped (SIGTERM, then SIGKILL) on exit."""
    args = [sys.executable, "manage.py", "rundramatiq", "--processes", str(processes), "--threads", str(threads)]
    args += ["--worker-shutdown-timeout", "10000"]
    with open(log_path, "ab") as log:
        worker = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield worker
    finally:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(worker.pid, sig)
            except ProcessLookupError:
                break
            try:
                worker.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            if sig == signal.SIGTERM:
                try:
                    os.killpg(worker.pid, signal.SIGKILL)  # stragglers of the group, if any
                except ProcessLookupError:
                    pass
            break


def print_report(args: argparse.Namespace, results: dict) -> None:
    raw = results["raw"]
    print()
    print(f"Siar fan-out benchmark — {host.node()}, {os.cpu_count()} CPUs, Python {host.python_version()}")
    print(f"  database {results['database']}, Redis {redacted(os.environ['REDIS_URL'])}")
    print(f"  workers {args.processes} process(es) × {args.threads} threads; 5 accounts per article")
    print()
    print(
        f"raw Dramatiq, no-op actor: {raw['messages']} messages in {raw['seconds']:.2f} s = {raw['rate']:.0f} msg/s "
        f"(enqueueing alone took {raw['enqueue_seconds']:.2f} s)"
    )
    for run in results["runs"]:
        burst, single = run["burst"], run["single"]
        print()
        print(f"latency {run['latency_ms']} ms")
        print(
            f"  burst: {burst['articles']} articles published in one transaction = {burst['deliveries']} deliveries"
            f" (publishing took {burst['publish_seconds']:.2f} s)\n"
            f"    {burst['rate']:.1f} deliveries/s (commit → last delivered: {burst['seconds']:.2f} s; "
            f"first attempt → last delivered: {burst['worker_rate']:.1f}/s)"
        )
        print(f"    commit→delivered       {quantiles(burst['per_delivery'])}")
        print(f"    commit→all delivered   {quantiles(burst['per_article'])}")
        print(f"  {single['articles']} single articles, one at a time:")
        print(f"    publish→delivered      {quantiles(single['per_delivery'])}")
        print(f"    publish→all delivered  {quantiles(single['per_article'])}")
        print(
            f"  platform: {run['posts']} posts, {run['duplicates']} duplicate(s); "
            f"deliveries not delivered: {run['undelivered']}"
        )
    print()
    print("targets")
    by_latency = {run["latency_ms"]: run for run in results["runs"]}
    if 0 in by_latency:
        ratio = by_latency[0]["burst"]["rate"] / raw["rate"]
        worker_ratio = by_latency[0]["burst"]["worker_rate"] / raw["rate"]
        print(
            f"  at 0 ms, Siar ≥ 50% of the raw no-op rate: {ratio:.1%} "
            f"(first attempt → last delivered: {worker_ratio:.1%}) — {met(ratio >= 0.5)}"
        )
    if 100 in by_latency:
        p95 = percentile(by_latency[100]["single"]["per_article"], 95)
        print(f"  at 100 ms, single article p95 publish→all delivered ≤ 1 s: {p95:.2f} s — {met(p95 <= 1.0)}")


def quantiles(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 50):.3f} s  p95 {percentile(values, 95):.3f} s  "
        f"max {max(values):.3f} s  (n={len(values)})"
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def redacted(url: str) -> str:
    from urllib.parse import urlsplit

    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@") if password else url


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
