"""Settings fragments for the fake platform (no Django imports: settings modules use them)."""

CHANNELS = ("website", "facebook", "instagram", "youtube")
TRANSPORT = "tests.fakes.transport.FakePlatformTransport"


def fake_channels(base_url: str) -> dict[str, dict]:
    """``SIAR_CHANNELS`` sending every channel to the fake platform at ``base_url``."""
    return {channel: {"TRANSPORT": TRANSPORT, "OPTIONS": {"BASE_URL": base_url}} for channel in CHANNELS}
