"""Test settings with every channel sent to the fake platform (tests/fakes/platform.py).

For worker subprocesses of fault tests: ``DJANGO_SETTINGS_MODULE=tests.settings_fake_platform``
with ``FAKE_PLATFORM_URL`` set to the running fake platform (accounts with a token use it).
``SIAR_DELIVERY_MAX_ATTEMPTS`` raises the attempt limit for tests of flaky platforms.
"""

import os

from settings.test import *  # noqa: F403
from settings.test import SIAR_DELIVERY
from tests.fakes.config import fake_channels

SIAR_CHANNELS = fake_channels(os.environ.get("FAKE_PLATFORM_URL", ""))
SIAR_DELIVERY = {
    **SIAR_DELIVERY,
    "MAX_ATTEMPTS": int(os.environ.get("SIAR_DELIVERY_MAX_ATTEMPTS") or SIAR_DELIVERY["MAX_ATTEMPTS"]),
}
