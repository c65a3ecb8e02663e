"""Partners and their feed tokens, through the `partners` command as an office would use it."""

import json
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from channels.models import Partner, PartnerToken
from channels.models.partners import partner_for_token

pytestmark = pytest.mark.django_db


def partners(*args) -> str:
    out = StringIO()
    call_command("partners", *args, stdout=out)
    return out.getvalue()


def token_in(output: str) -> str:
    return re.search(r"^  (siar_\S+)$", output, re.MULTILINE).group(1)


def test_add_prints_a_token_once_and_stores_only_its_hash(category):
    output = partners(
        "add", "radar-sukamaju", "--name", "PT Radar Suka Maju", "--categories", category.slug,
        "--agreement", "027/PKS/2026", "--start", "2026-01-01", "--end", "2026-12-31",
    )  # fmt: skip

    token = token_in(output)
    partner = Partner.objects.get(slug="radar-sukamaju")
    assert (partner.name, partner.agreement_number, partner.agreement_end) == (
        "PT Radar Suka Maju",
        "027/PKS/2026",
        date(2026, 12, 31),
    )
    assert list(partner.categories.all()) == [category]
    assert "/feeds/radar-sukamaju/rss.xml" in output
    assert partner_for_token(token)[0] == partner
    with connection.cursor() as cursor:  # nowhere in the table in plain text
        cursor.execute("SELECT key_hash, key_prefix FROM siar_channels_partnertoken")
        assert all(token not in value for row in cursor.fetchall() for value in row)


def test_unknown_or_malformed_tokens_find_nothing(category):
    token_in(partners("add", "kim-maju", "--name", "KIM Maju", "--kind", "kim"))

    assert partner_for_token("siar_not-a-real-token") is None
    assert partner_for_token("") is None and partner_for_token("x" * 500) is None


def test_tokens_stop_working_after_the_agreements_last_day():
    token = token_in(partners("add", "media-a", "--name", "Media A", "--end", "2026-06-30"))
    _, row = partner_for_token(token)
    last_day = timezone.make_aware(timezone.datetime(2026, 6, 30, 23, 0))

    assert row.is_usable(last_day)
    assert not row.is_usable(last_day + timedelta(hours=2))


def test_rotate_keeps_the_old_token_for_the_grace_period_only():
    old = token_in(partners("add", "media-b", "--name", "Media B"))

    output = partners("rotate", "media-b", "--grace-days", "3")

    new = token_in(output)
    assert new != old
    _, old_row = partner_for_token(old)
    _, new_row = partner_for_token(new)
    assert old_row.is_usable() and new_row.is_usable()
    assert not old_row.is_usable(timezone.now() + timedelta(days=3, minutes=1))
    assert new_row.is_usable(timezone.now() + timedelta(days=30))


def test_revoke_all_or_one_token():
    first = token_in(partners("add", "media-c", "--name", "Media C"))
    second = token_in(partners("rotate", "media-c"))

    partners("revoke", "media-c", "--token", second[:10])

    assert partner_for_token(first)[1].is_usable() and not partner_for_token(second)[1].is_usable()
    partners("revoke", "media-c")
    assert not partner_for_token(first)[1].is_usable()


def test_list_as_json(category):
    partners("add", "media-d", "--name", "Media D", "--categories", category.slug, "--summary-only")

    [row] = json.loads(partners("list", "--json"))

    assert row["slug"] == "media-d" and row["status"] == "active" and row["full_text"] is False
    assert row["categories"] == [category.slug] and len(row["tokens"]) == 1 and row["tokens"][0].endswith("…")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "x", "--name", "X", "--categories", "nope"], "Unknown category: nope"),
        (["add", "x", "--name", "X", "--end", "31-12-2026"], "--end must be a date"),
        (["add", "x", "--name", "X", "--start", "2026-05-01", "--end", "2026-01-01"], "--end is before --start"),
        (["rotate", "nobody"], "No partner with slug 'nobody'"),
        (["revoke", "nobody"], "No partner with slug 'nobody'"),
    ],
)
def test_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        partners(*args)
    assert not PartnerToken.objects.exists()


def test_a_second_add_with_the_same_slug_is_refused():
    partners("add", "media-e", "--name", "Media E")

    with pytest.raises(CommandError, match="use `partners rotate`"):
        partners("add", "media-e", "--name", "Media E again")


def test_add_with_a_webhook_prints_its_secret_once_and_refuses_private_addresses(settings):
    output = partners("add", "kim-hook", "--name", "KIM Hook", "--webhook", "https://kim.example/hook")
    partner = Partner.objects.get(slug="kim-hook")
    secret = re.search(r"^Webhook secret.*\n  (\S+)$", output, re.MULTILINE).group(1)
    assert secret == partner.webhook_secret and partner.webhook_account.token == secret
    assert json.loads(partners("list", "--json"))[0]["webhook"] == "https://kim.example/hook"

    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(CommandError, match="private"):
        partners("add", "kim-lokal", "--name", "KIM Lokal", "--webhook", "http://192.168.1.20/hook")
    assert not Partner.objects.filter(slug="kim-lokal").exists()


def test_a_revoked_token_is_refused_at_once_although_its_grant_was_cached(client, django_capture_on_commit_callbacks):
    token = token_in(partners("add", "media-b", "--name", "Media B"))
    assert client.get("/feeds/media-b/rss.xml", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        partners("revoke", "media-b")
    assert client.get("/feeds/media-b/rss.xml", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
