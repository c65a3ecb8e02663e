"""System checks on the channels' settings."""

from django.core import checks

from channels.checks import channel_settings_check


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_default_settings_pass():
    assert channel_settings_check(None) == []


def test_a_transport_that_cannot_be_imported_is_an_error(settings):
    settings.SIAR_CHANNELS = {"facebook": {"TRANSPORT": "channels.nope.Transport"}}

    [error] = channel_settings_check(None)

    assert error.id == "siar.E010" and "channels.nope.Transport" in error.msg and error.level == checks.ERROR


def test_production_warns_about_a_channel_left_on_the_outbox(settings):
    settings.SIAR_ENVIRONMENT = "production"
    settings.SIAR_CHANNELS = {"instagram": {"TRANSPORT": "channels.transports.outbox.OutboxTransport"}}

    assert ids(channel_settings_check(None)) == ["siar.W010"]
