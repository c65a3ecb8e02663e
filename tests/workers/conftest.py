import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url_for_subprocess() -> str:
    """The URL of the database this test uses (the test database), for child processes."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_process(transactional_db, django_db_serialized_rollback):
    """Start a real Dramatiq worker (as `make worker` does) against the test database.

    The test's data is committed (so the worker sees it) and flushed afterwards; the rows that
    migrations create (e.g. Wagtail's root page) are restored for the next such test.

    ``start(*args, env={...}, threads=2)``: ``env`` adds to or overrides the environment (e.g.
    another DJANGO_SETTINGS_MODULE or REDIS_URL); ``command=("scheduler",)`` starts that
    management command instead of a worker. Each worker runs in its own process group;
    teardown stops every group it started (SIGTERM, then SIGKILL after a grace period).
    """
    processes = []

    def start(
        *extra_args: str, env: dict[str, str] | None = None, threads: int = 2, command: tuple[str, ...] = ()
    ) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_subprocess(),
            "DJANGO_SETTINGS_MODULE": "settings.test",
            **(env or {}),
        }
        args = [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", str(threads), *extra_args]
        if command:  # another process of the stack, e.g. ("scheduler",)
            args = [sys.executable, "manage.py", *command]
        process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        processes.append(process)
        return process

    yield start
    stop_process_groups(processes)


def stop_process_groups(processes: list[subprocess.Popen], grace: float = 15.0) -> None:
    """SIGTERM each process's group, wait, then SIGKILL what is left (children included)."""
    for process in processes:
        signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        signal_group(process, signal.SIGKILL)  # the group's other members, or a process that hung
        process.wait(timeout=10)


def signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass  # the whole group is gone already


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until predicate() is truthy; fail the test with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s: {predicate.__doc__ or predicate}")
