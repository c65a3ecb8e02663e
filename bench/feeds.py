#!/usr/bin/env python
"""Feed serving benchmark: a cached 50-item partner feed through gunicorn, against the same bytes
served as a static file by the same gunicorn workers.

Real pieces: the database (DATABASE_URL, else var/bench/bench.sqlite3, recreated and migrated),
Redis (REDIS_URL, else an embedded redis-server under var/bench/redis), gunicorn serving
``bench.feeds_wsgi`` (Siar's ``hub.wsgi`` plus one static file in front of it) on a loopback
port, and ApacheBench (``ab``) as the client. With ``--articles`` live articles (default 10,000)
it prints: req/s of the cached partner feed and of the static file, measured interleaved in
rounds (same concurrency, same number of requests), and their ratio; req/s of conditional
requests (If-None-Match) and that every one was a 304; the time of an uncached build and its SQL
query count, by limit and with fewer articles (it must not grow with either).

    .venv/bin/python bench/feeds.py [--articles 10000] [--requests 5000] [--concurrency 8] [--rounds 3]
"""

import argparse
import csv
import http.client
import os
import platform as host
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench`, `tests` and `settings` must import

from bench.fanout import BENCH_VAR, embedded_redis, fresh_sqlite_file, met, percentile, redacted, say  # noqa: E402

# bench.settings points every channel at a fake platform; no channel posts here, so nothing listens.
NO_PLATFORM = "http://127.0.0.1:9"
STATIC_URL = "/bench-static/partner-rss.xml"
RATIO_TARGET = 0.8
AB_MISSING = (
    "bench/feeds.py drives the load with ApacheBench (`ab`), which is not installed.\n"
    "  Debian/Ubuntu: sudo apt-get install -y apache2-utils    macOS: it comes with the system\n"
    "  or run with --client python (threads in this process: slower than gunicorn, so the\n"
    "  client, not the server, sets the pace and the ratio tells little)."
)


def main() -> int:
    args = parse_args()
    if args.client == "ab" and not shutil.which("ab"):
        print(AB_MISSING, file=sys.stderr)
        return 2
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with ExitStack() as stack:
        redis_url = os.environ.get("REDIS_URL") or stack.enter_context(embedded_redis()).url
        namespace = f"siar-bench-feeds-{os.getpid()}"
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{fresh_sqlite_file()}",
            REDIS_URL=redis_url,
            FAKE_PLATFORM_URL=NO_PLATFORM,
            DRAMATIQ_NAMESPACE=namespace,  # also the cache's key prefix: this run's keys only
            SIAR_LOG_LEVEL="WARNING",
        )
        say(f"migrating {redacted(os.environ['DATABASE_URL'])} …")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        from bench import feeds_run as run  # needs Django set up

        stack.callback(clean_redis, redis_url, namespace)
        results = {"seed": run.seed(args.articles, say)}
        partner, token = run.partner_with_token()
        say("uncached builds (in this process) …")
        results["builds"] = run.uncached_builds(partner, repeats=args.build_repeats, limit=50)
        results["by_limit"] = run.queries_by_limit(partner, [10, 50, 100, 200])
        results["fewer"] = run.queries_with_fewer_articles(partner, live=100, limit=50)

        from channels.feeds.formats import CONTENT_TYPES

        static_file = BENCH_VAR / "feeds-static" / Path(STATIC_URL).name
        static_file.parent.mkdir(exist_ok=True)
        static_file.unlink(missing_ok=True)
        port = free_port()
        server = Gunicorn(args, port, static_file, CONTENT_TYPES["rss"], BENCH_VAR / "gunicorn.log")
        stack.enter_context(server.running())
        say(f"gunicorn on 127.0.0.1:{port}: {server.describe()} (log: {server.log_path})")
        results.update(serve(args, run, server, token, static_file))
        results["seconds"] = time.monotonic() - started
        results["load"] = (load_before, os.getloadavg()[0])
        print_report(args, results, server)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="live articles in the database (at least)")
    parser.add_argument("--requests", type=int, default=10_000, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open by the client")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of feed/static/304 measurements")
    parser.add_argument("--time-limit", type=int, default=60, help="seconds any one measurement may take")
    parser.add_argument("--build-repeats", type=int, default=5, help="uncached builds per format")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "4")))
    parser.add_argument("--client", choices=["ab", "python"], default="ab")
    parser.add_argument(
        "--keep-alive", action="store_true", help="reuse connections (default: one per request, as nginx sends them)"
    )
    return parser.parse_args()


# --- measuring over HTTP ---------------------------------------------------------------------------


def serve(args, run, server: "Gunicorn", token: str, static_file: Path) -> dict:
    """Everything measured through gunicorn."""
    from django.core.cache import cache

    from channels.feeds.cache import GENERATION_KEY

    port = server.port
    feed_url, auth = run.feed_path("rss"), {"Authorization": f"Bearer {token}"}
    status, headers, body, _ = fetch(port, feed_url, auth)
    if status != 200:
        raise SystemExit(f"the partner feed answered {status}: {body[:300]!r}")
    static_file.write_bytes(body)
    static = fetch(port, STATIC_URL, auth)
    if static[0] != 200 or static[2] != body:
        raise SystemExit(f"the static file is not served as written (status {static[0]})")
    # Uncached over HTTP: a new generation makes the stored feed stale, as publishing does.
    uncached = []
    for _ in range(args.build_repeats):
        cache.delete(GENERATION_KEY)
        status, _, again, seconds = fetch(port, feed_url, auth)
        if status != 200 or again != body:
            raise SystemExit("a rebuilt feed differs from the first one (did the content change?)")
        uncached.append(seconds)
    say("cached path in this process (SQL queries, Redis commands) …")
    in_process = run.cached_request_cost(token)
    kinds = {
        "feed": (feed_url, auth),
        "static": (STATIC_URL, auth),  # the same request headers; the static server ignores them
        "feed 304": (feed_url, {**auth, "If-None-Match": headers["ETag"]}),
        "static 304": (STATIC_URL, {**auth, "If-None-Match": static[1]["ETag"]}),
    }
    load = ab if args.client == "ab" else python_client
    options = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "time_limit": args.time_limit,
        "keep_alive": args.keep_alive,
    }
    say("warming up both workers …")
    for kind in ("feed", "static"):
        load(port, *kinds[kind], **{**options, "requests": min(1000, args.requests), "time_limit": 30})
    rounds = []
    for number in range(args.rounds):
        order = list(kinds) if number % 2 == 0 else list(reversed(kinds))  # neither always goes first
        measured = {}
        for kind in order:
            since = run.last_pickup_id()
            workers, redis_before = cpu_seconds(server.worker_pids()), redis_cpu_seconds(cache)
            result = load(port, *kinds[kind], **options)
            result.update(per_request_cpu(workers, cpu_seconds(list(workers or ())), result["requests"]))
            redis_after = redis_cpu_seconds(cache)
            if None not in (redis_before, redis_after):
                result["redis_cpu_us"] = (redis_after - redis_before) / result["requests"] * 1e6
            if kind.startswith("feed"):
                result["logged"] = run.pickup_statuses(since)  # what the server says it answered
            measured[kind] = result
        rounds.append(measured)
        say(
            f"round {number + 1}/{args.rounds}: "
            + ", ".join(f"{kind} {measured[kind]['rps']:.0f} req/s" for kind in kinds)
        )
    return {
        "feed_url": feed_url,
        "body_bytes": len(body),
        "response_headers": headers,
        "uncached_http": uncached,
        "in_process": in_process,
        "rounds": rounds,
    }


def fetch(port: int, path: str, headers: dict) -> tuple[int, dict, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body, time.perf_counter() - started
    finally:
        connection.close()


def ab(port: int, path: str, headers: dict, *, requests, concurrency, time_limit, keep_alive) -> dict:
    """ApacheBench; -t comes before -n so that -n still bounds the count."""
    with tempfile.NamedTemporaryFile("r", suffix=".csv") as percentiles:
        command = ["ab", "-q", "-c", str(concurrency), "-t", str(time_limit), "-n", str(requests)]
        command += ["-s", "30", "-e", percentiles.name, *(["-k"] if keep_alive else [])]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}{path}")
        client_cpu = _children_cpu()
        done = subprocess.run(command, capture_output=True, text=True, timeout=time_limit + 30)
        client_cpu = _children_cpu() - client_cpu
        if done.returncode != 0:
            raise SystemExit(f"ab failed ({done.returncode}): {done.stderr.strip() or done.stdout[-500:]}")
        served = {float(row[0]): float(row[1]) for row in list(csv.reader(percentiles))[1:]}

    def number(label: str, default: str | None = None) -> float:
        found = re.search(rf"^{label}:\s+([\d.]+)", done.stdout, re.MULTILINE)
        if found is None and default is None:
            raise SystemExit(f"unexpected ab output (no {label!r}):\n{done.stdout}")
        return float(found.group(1) if found else default)

    complete = int(number("Complete requests"))
    return {
        "requests": complete,
        "rps": number("Requests per second"),
        "seconds": number("Time taken for tests"),
        "failed": int(number("Failed requests")),
        "non_2xx": int(number("Non-2xx responses", "0")),
        "keep_alive": int(number("Keep-Alive requests", "0")),
        "bytes_per_response": number("Total transferred") / max(complete, 1),
        "mean_ms": number("Time per request"),
        "p50_ms": served.get(50.0),
        "p99_ms": served.get(99.0),
        "client_cpu_us": client_cpu / max(complete, 1) * 1e6,
    }


def per_request_cpu(before: dict | None, after: dict | None, requests: int) -> dict:
    """gunicorn workers' CPU µs per request, and the busiest worker's share of it."""
    if not before or not after:
        return {}
    spent = [after[pid] - before[pid] for pid in before if pid in after]
    total = sum(spent)
    return {"server_cpu_us": total / requests * 1e6, "busiest_share": max(spent) / total if total else None}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(pids: list[int]) -> dict[int, float] | None:
    """CPU time (user + system, all threads) of each of these processes so far; None off Linux."""
    try:
        ticks = {}
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat(5))
        return {pid: tick / os.sysconf("SC_CLK_TCK") for pid, tick in ticks.items()} if pids else None
    except (OSError, ValueError, IndexError):
        return None


def redis_cpu_seconds(cache) -> float | None:
    """The Redis server's CPU time so far (all its clients: here, only this bench)."""
    import redis

    try:
        info = cache._cache.get_client().info("cpu")
        return info["used_cpu_user"] + info["used_cpu_sys"]
    except (redis.RedisError, KeyError):  # a figure, not worth failing the run for
        return None


def python_client(port: int, path: str, headers: dict, *, requests, concurrency, time_limit, keep_alive) -> dict:
    """The fallback client: ``concurrency`` threads, each with one connection at a time."""
    latencies, statuses, sizes, lock = [], {}, [], threading.Lock()
    remaining = iter(range(requests))
    deadline = time.monotonic() + time_limit

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.monotonic() < deadline and next(remaining, None) is not None:
                started = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                seconds = time.perf_counter() - started
                if not keep_alive:
                    connection.close()  # the next request opens a new one
                with lock:
                    latencies.append(seconds)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    sizes.append(len(body))
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "seconds": seconds,
        "failed": 0,
        "non_2xx": sum(count for status, count in statuses.items() if not 200 <= status < 300),
        "keep_alive": len(latencies) if keep_alive else 0,
        "bytes_per_response": statistics.mean(sizes) if sizes else 0,  # body only
        "mean_ms": statistics.mean(latencies) * 1000,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "client_cpu_us": None,  # this process: not told apart from the rest of the bench
    }


# --- the server ----------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn as production runs it (docker/entrypoint.sh), minus the access log (it would cost
    both paths the same) and --max-requests (worker restarts in the middle of a measurement)."""

    app = "bench.feeds_wsgi:application"

    def __init__(self, args, port: int, static_file: Path, static_type: str, log_path: Path):
        self.workers, self.threads, self.port, self.log_path = args.workers, args.threads, port, log_path
        self.worker_class = "gthread" if args.threads > 1 else "sync"
        self.env = {
            **os.environ,
            "BENCH_STATIC_FILE": str(static_file),
            "BENCH_STATIC_URL": STATIC_URL,
            "BENCH_STATIC_TYPE": static_type,
        }

    def describe(self) -> str:
        import gunicorn

        return (
            f"gunicorn {gunicorn.__version__}, {self.workers} workers × {self.threads} threads ({self.worker_class}), "
            "keep-alive 5 s, no access log"
        )

    def worker_pids(self) -> list[int]:
        """The workers (children of the master), from /proc; [] elsewhere."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                continue
        return pids

    @contextmanager
    def running(self):
        command = [sys.executable, "-m", "gunicorn", self.app]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", str(self.threads)]
        command += ["--worker-class", self.worker_class, "--keep-alive", "5", "--timeout", "120"]
        command += ["--worker-tmp-dir", "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()]
        command += ["--no-control-socket", "--log-level", "warning"]
        with open(self.log_path, "ab") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.process = process
        try:
            self._wait_ready(process)
            yield process
        finally:
            stop_group(process)

    def _wait_ready(self, process, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({process.returncode}); see {self.log_path}")
            try:
                if fetch(self.port, "/healthz", {})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.log_path}")


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (gunicorn and its workers), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_redis(url: str, namespace: str) -> None:
    """Drop this run's keys (feed cache, grants, pickup list, broker messages of the publications)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{namespace}:*", count=500):
        client.delete(key)


# --- the report ----------------------------------------------------------------------------------


def print_report(args, results: dict, server: Gunicorn) -> None:
    from django.db import connection

    seed, builds, rounds = results["seed"], results["builds"], results["rounds"]
    print()
    print(f"Siar feed benchmark — {host.node()}, {os.cpu_count()} CPUs, Python {host.python_version()}")
    made = f"{seed['made']} seeded now in {seed['seconds']:.1f} s" if seed["made"] else "from an earlier run"
    if seed["made"] and seed["kept"]:
        made += f", {seed['kept']} from an earlier run"
    print(
        f"  database {connection.vendor} ({connection.settings_dict['NAME']}): "
        f"{seed['live_articles']:,} live articles ({made})"
    )
    print(f"  Redis {redacted(os.environ['REDIS_URL'])}")
    print(f"  server {server.describe()}")
    client = "ab (ApacheBench)" if args.client == "ab" else "Python threads"
    connections = "kept alive" if args.keep_alive else "a new one per request"
    print(
        f"  client {client}: concurrency {args.concurrency}, connections {connections}, {args.requests} requests "
        f"per measurement, {args.rounds} rounds, feed/static/304 interleaved"
    )
    print(
        f"  total wall time {results['seconds']:.0f} s; load average (1 min) {results['load'][0]:.1f} at the start, "
        f"{results['load'][1]:.1f} at the end (the bench itself keeps about 2 busy)"
    )
    print()
    sizes = ", ".join(f"{fmt} {b['bytes'] / 1024:.1f} KB" for fmt, b in builds.items())
    print(f"feed {results['feed_url']}: {builds['rss']['items']} items, full text; body {sizes}")
    print()
    print(f"uncached build — build.partner_feed(limit=50), straight from the database, {args.build_repeats} runs each")
    for fmt, b in builds.items():
        print(
            f"  {fmt:<5} median {b['median'] * 1000:6.1f} ms   min {b['min'] * 1000:6.1f} ms   "
            f"SQL queries: {'/'.join(map(str, b['queries']))}   "
            f"(first in the process: {b['first'] * 1000:.0f} ms, {b['first_queries']} queries)"
        )
    by_limit = ", ".join(f"limit {limit} → {count}" for limit, count in results["by_limit"].items())
    print(f"  SQL queries by limit (rss): {by_limit}")
    fewer = results["fewer"]
    print(
        f"  SQL queries with {fewer['live']} live articles instead of {seed['live_articles']:,} (rss, limit 50): "
        f"{fewer['queries']}"
    )
    uncached = results["uncached_http"]
    print(
        f"  over HTTP, first request after a change (generation dropped): median "
        f"{statistics.median(uncached) * 1000:.1f} ms, min {min(uncached) * 1000:.1f} ms (n={len(uncached)})"
    )
    cost = results["in_process"]
    redis_calls = ", ".join(f"{name.upper()} {calls:g}" for name, calls in cost["redis"].items())
    print()
    print(
        f"cached request, whole Django stack in this process: {cost['queries']:g} SQL queries, "
        f"Redis commands per request: {redis_calls} (status {'/'.join(map(str, cost['statuses']))})"
    )
    print()
    kinds = list(rounds[0])
    print(f"{'':<12}" + "".join(f"{kind:>14}" for kind in kinds) + f"{'feed/static':>13}{'304: feed/static':>18}")
    ratios, ratios_304 = [], []
    for number, measured in enumerate(rounds, start=1):
        ratio = measured["feed"]["rps"] / measured["static"]["rps"]
        ratio_304 = measured["feed 304"]["rps"] / measured["static 304"]["rps"]
        ratios.append(ratio)
        ratios_304.append(ratio_304)
        print(
            f"round {number:<6}"
            + "".join(f"{measured[kind]['rps']:>10.0f} r/s" for kind in kinds)
            + f"{ratio:>13.2f}{ratio_304:>18.2f}"
        )
    medians = {kind: statistics.median(m[kind]["rps"] for m in rounds) for kind in kinds}
    print(
        f"{'median':<12}"
        + "".join(f"{medians[kind]:>10.0f} r/s" for kind in kinds)
        + f"{statistics.median(ratios):>13.2f}{statistics.median(ratios_304):>18.2f}"
    )
    print()
    print(
        "median of the rounds     latency ms: mean    p50    p99 │ CPU µs/request: gunicorn  Redis    ab │"
        " busiest worker │ bytes/resp  keep-alive  non-2xx"
    )
    cpu = {}
    for kind in kinds:
        runs = [m[kind] for m in rounds]

        def med(key, runs=runs):
            values = [r[key] for r in runs if r.get(key) is not None]
            return statistics.median(values) if values else float("nan")

        cpu[kind] = med("server_cpu_us")
        print(
            f"  {kind:<30}{med('mean_ms'):7.2f}{med('p50_ms'):7.2f}{med('p99_ms'):7.2f} │"
            f"{cpu[kind]:>24.0f}{med('redis_cpu_us'):>7.0f}{med('client_cpu_us'):>6.0f} │"
            f"{_share_range(runs):>15} │"
            f"{med('bytes_per_response'):>11,.0f}{sum(r['keep_alive'] for r in runs):>12}"
            f"{sum(r['non_2xx'] for r in runs):>9}"
        )
    print(
        f"  static/feed gunicorn CPU per request: {cpu['static'] / cpu['feed']:.2f} (200), "
        f"{cpu['static 304'] / cpu['feed 304']:.2f} (304): the req/s ratio if the workers alone were the bottleneck"
    )
    failed = {kind: sum(m[kind]["failed"] for m in rounds) for kind in kinds}
    logged = {kind: _merged(m[kind].get("logged", {}) for m in rounds) for kind in ("feed", "feed 304")}
    sent = {kind: sum(m[kind]["requests"] for m in rounds) for kind in kinds}
    print(f"  client-side failures: {failed}")
    print(f"  statuses in the server's pickup log: feed {logged['feed']}, feed 304 {logged['feed 304']}")
    print()
    print("targets")
    ratio = statistics.median(ratios)
    print(
        f"  cached feed ≥ {RATIO_TARGET} × static file (median of rounds): {ratio:.2f} — {met(ratio >= RATIO_TARGET)}"
    )
    all_304 = logged["feed 304"].get(304, 0)
    print(
        f"  conditional requests answered 304: {all_304}/{sent['feed 304']} — "
        f"{met(all_304 == sent['feed 304'] and len(logged['feed 304']) == 1)}"
    )
    counts = {*results["by_limit"].values(), fewer["queries"], *(q for b in builds.values() for q in b["queries"])}
    print(
        f"  uncached build's SQL queries constant (by limit and by article count): {sorted(counts)} — "
        f"{met(len(counts) == 1)}"
    )


def _share_range(runs: list[dict]) -> str:
    """The busiest worker's share of the workers' CPU, lowest–highest over the rounds (50% is even)."""
    shares = [r["busiest_share"] for r in runs if r.get("busiest_share") is not None]
    if not shares:
        return "n/a"
    low, high = min(shares), max(shares)
    return f"{low:.0%}" if round(low * 100) == round(high * 100) else f"{low:.0%}–{high:.0%}"


def _merged(counts) -> dict[int, int]:
    total: dict[int, int] = {}
    for one in counts:
        for status, count in one.items():
            total[status] = total.get(status, 0) + count
    return dict(sorted(total.items()))


if __name__ == "__main__":
    sys.exit(main())
