"""Settings fragments for the fake platform (no Django imports: settings modules use them)."""

CHANNELS = ("website", "facebook", "instagram", "youtube")


def fake_channels(base_url: str) -> dict[str, dict]:
    """``SIAR_CHANNELS`` sending every channel as Facebook posts to the fake platform at ``base_url``
    (the real Facebook adapter and transport: the engine's fault tests need one platform only)."""
    facebook = {"TRANSPORT": "channels.facebook.Transport", "ADAPTER": "channels.facebook.adapt"}
    return {channel: {**facebook, "OPTIONS": {"BASE_URL": base_url}} for channel in CHANNELS}
