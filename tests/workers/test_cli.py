"""The operators' command line: `channels connect|list` and `deliveries`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from channels.models import ChannelAccount, Delivery

TOKEN = "EAAG-cli-secret-token"


def run(*args, stdin=None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_connect_reads_the_token_from_stdin_and_never_prints_it(monkeypatch, category):
    output = run(
        "channels", "connect", "facebook", "--account-id", "1234", "--token", "-", "--name", "FB Pemkab",
        "--expires", "2027-01-31", "--categories", "kesehatan", stdin=TOKEN + "\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert "Created Facebook Page: FB Pemkab" in output
    assert TOKEN not in output
    account = ChannelAccount.objects.get(name="FB Pemkab")
    assert account.token == TOKEN
    assert account.external_id == "1234"
    assert timezone.localtime(account.token_expires_at).date().isoformat() == "2027-01-31"
    assert list(account.default_categories.values_list("slug", flat=True)) == ["kesehatan"]

    listing = json.loads(run("channels", "list", "--json"))
    assert listing[0]["name"] == "FB Pemkab"
    assert listing[0]["has_token"] is True
    assert TOKEN not in json.dumps(listing)


@pytest.mark.django_db
def test_connect_without_a_token_makes_an_outbox_account():
    output = run("channels", "connect", "website", "--account-id", "https://example.go.id/hook")
    assert "outbox" in output


@pytest.mark.django_db
def test_reconnecting_sends_what_waited(make_article):
    account = ChannelAccount.objects.create(
        channel="facebook", name="FB", token="old", status="disconnected", default_for_all_categories=True
    )
    article = make_article()
    Delivery.objects.filter(article=article).update(state="needs_attention", error_kind="auth")
    output = run("channels", "connect", "facebook", "--account-id", "1", "--name", "FB", "--token", "new")
    assert "1 waiting deliveries queued again" in output
    account.refresh_from_db()
    assert account.status == "connected"
    assert Delivery.objects.get(article=article).state == "pending"


@pytest.mark.django_db
def test_unknown_category_is_a_clear_error():
    with pytest.raises(CommandError, match="unknown categories: nope"):
        run("channels", "connect", "facebook", "--account-id", "1", "--categories", "nope")


@pytest.mark.django_db
def test_deliveries_lists_every_field_and_filters(make_article):
    ChannelAccount.objects.create(channel="instagram", name="IG", default_for_all_categories=True)
    first, second = make_article(), make_article()
    Delivery.objects.filter(article=second).update(
        state="failed", error_kind="rejected", error_message="(#100) bad", fix_hint="Shorten it."
    )

    rows = json.loads(run("deliveries", "--json"))
    assert [row["article_id"] for row in rows] == [first.pk, second.pk]
    fields = {"article", "channel", "account", "state", "attempts", "external_id", "external_url", "error"}
    assert set(rows[0]) >= fields
    failed = json.loads(run("deliveries", "--state", "failed", "--json"))
    assert [(row["article"], row["error"]) for row in failed] == [
        (second.title, "Rejected by the platform: (#100) bad (fix: Shorten it.)")
    ]
    assert json.loads(run("deliveries", "--article", str(first.pk), "--json"))[0]["state"] == "pending"
    assert "1 deliveries queued again" in run("deliveries", "--retry")
    assert Delivery.objects.get(article=second).state == "pending"
