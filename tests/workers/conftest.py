import os
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
def worker_process(transactional_db):
    """Start a real Dramatiq worker (as `make worker` does) against the test database."""
    processes = []

    def start(*extra_args: str) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "DJANGO_SETTINGS_MODULE": "settings.test"}
        args = [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "2", *extra_args]
        process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, 15)
    for process in processes:
        process.wait(timeout=30)


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until predicate() is truthy; fail the test with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s: {predicate.__doc__ or predicate}")
