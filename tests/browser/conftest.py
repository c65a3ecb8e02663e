"""Real-browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from Debian (``apt-get install chromium``; `.ci/run` installs it). Without it
these tests are skipped on a developer's machine with a hint, and fail under CI (``CI=true``),
where a skipped browser test would hide a broken install. Screenshots go to ``var/screenshots``.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.workers.conftest import worker_process  # noqa: F401  (a fixture the browser tests use)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
TIMEOUT_MS = 30_000  # for every action and expectation: CI machines are slow at times


def chromium_path() -> str | None:
    return os.environ.get("SIAR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: `apt-get install chromium` (or set SIAR_CHROMIUM to its path)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told that this is deliberate (the test's own set-up and checks).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = _serialized_contents()
    try:
        with sync_playwright() as playwright:
            _restore_serialized_contents(serialized)
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            yield browser
            browser.close()
            with django_db_blocker.unblock():
                connections.close_all()  # those opened in Playwright's context, before the test database goes
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialized_contents() -> dict:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized: dict) -> None:
    """Give the database connections seen from here the test database's serialized rows again.

    Playwright's sync API switches this thread to another context, where Django's connection
    handler (context-local) hands out fresh connection objects without the rows that
    ``serialized_rollback`` restores: tests would then flush the migrations' rows away for good.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def new_page(browser, transactional_db):
    """``new_page(**context_options)``: a page in a fresh browser context (its own cookies).

    Every context is closed before the test's data is flushed: an open admin page keeps talking to
    the server (editing-session pings), and a request after the flush would write rows again.
    """
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")`` saves var/screenshots/<test>/<nn>-<step>.png (kept as CI artefacts)."""
    directory = SCREENSHOTS / request.node.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    taken = []

    def take(page, step: str) -> Path:
        path = directory / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take
