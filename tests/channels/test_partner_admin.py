"""Partners in the admin as an office uses it: adding a partner and handing over its token, managing
tokens, and the monthly pickup report with its CSV."""

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page
from wagtail.users.models import UserProfile

from channels.models import ChannelAccount, Delivery, DeliveryEvent, FeedFetch, Partner, PartnerToken
from channels.reports import partner_monthly_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the admin's and the feeds' messages in English (the default is Indonesian)."""
    settings.LANGUAGE_CODE = "en"


State = Delivery.State


def login(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("humas", "humas@example.invalid", "pw")
    return login(client, user)


@pytest.fixture
def partner(db):
    partner = Partner.objects.create(name="PT Radar Suka Maju", slug="radar")
    _, partner.raw_token = partner.issue_token(label="first")
    return partner


def partner_form(**overrides):
    data = {
        "kind": "media",
        "name": "PT Radar Suka Maju",
        "slug": "radar-sukamaju",
        "is_active": "on",
        "contact_name": "Budi",
        "contact_email": "budi@radar.example",
        "contact_phone": "",
        "agreement_number": "027/PKS/2026",
        "agreement_start": "",
        "agreement_end": "",
        "press_verification": "none",
        "press_certificate_number": "",
        "full_text": "on",
        "attribution": "Sumber: Diskominfo Suka Maju",
        "webhook_url": "",
        "webhook_secret": "",
    }
    data.update(overrides)
    return data


def shown(html: str, element_id: str) -> str | None:
    """The value of a read-only field on the "shown once" page (None when absent)."""
    match = re.search(rf'value="([^"]+)"[^>]*id="{element_id}"', html)
    return match.group(1) if match else None


def feed(client, slug, token, name="rss.xml"):
    return client.get(f"/feeds/{slug}/{name}", HTTP_AUTHORIZATION=f"Bearer {token}")


def tokens_url(partner):
    return reverse("siar_partners:tokens", args=[partner.pk])


def secrets_url(partner):
    return reverse("siar_partners:secrets", args=[partner.pk])


# --- adding a partner ----------------------------------------------------------------------------


def test_a_new_partner_gets_a_token_shown_once_that_reads_its_feed(staff, client, category):
    response = staff.post(reverse("siar_partners:add"), partner_form(categories=[category.pk]))

    partner = Partner.objects.get(slug="radar-sukamaju")
    assert response.status_code == 302 and response.url == secrets_url(partner)
    assert list(partner.categories.all()) == [category]
    page = staff.get(response.url)
    html = page.content.decode()
    token = shown(html, "siar-new-token")
    assert token and token.startswith("siar_")
    assert 'data-controller="w-clipboard"' in html
    assert "http://127.0.0.1:8000/feeds/radar-sukamaju/rss.xml" in html
    assert "no-store" in page["Cache-Control"]
    assert shown(html, "siar-new-webhook-secret") is None  # no webhook URL, no secret

    assert feed(client, "radar-sukamaju", token).status_code == 200

    again = staff.get(response.url).content.decode()  # a reload
    assert token not in again and "shown already" in again
    with connection.cursor() as cursor:  # neither the token table nor any session holds it in plain text
        cursor.execute("SELECT key_hash, key_prefix, label FROM siar_channels_partnertoken")
        assert all(token not in str(value) for row in cursor.fetchall() for value in row)
    assert all(token not in str(session.get_decoded()) for session in Session.objects.all())
    assert PartnerToken.objects.get(partner=partner).key_prefix == token[:12]
    assert ModelLogEntry.objects.filter(action="siar.partner_token.issue", object_id=str(partner.pk)).exists()


def test_a_webhook_secret_is_generated_and_shown_once_then_never_rendered(staff):
    response = staff.post(reverse("siar_partners:add"), partner_form(webhook_url="https://radar.example/siar-hook"))

    partner = Partner.objects.get(slug="radar-sukamaju")
    html = staff.get(response.url).content.decode()
    secret = shown(html, "siar-new-webhook-secret")
    assert secret and secret == partner.webhook_secret
    account = ChannelAccount.objects.get(partner=partner)
    assert (account.channel, account.external_id, account.token) == (
        "partners",
        "https://radar.example/siar-hook",
        secret,
    )

    edit_url = reverse("siar_partners:edit", args=[partner.pk])
    edit_page = staff.get(edit_url).content.decode()
    assert secret not in edit_page and "A secret is stored" in edit_page
    assert "/feeds/radar-sukamaju/atom.xml" in edit_page and tokens_url(partner) in edit_page

    # Saved with the secret field blank: kept, and nothing new to show.
    response = staff.post(edit_url, partner_form(webhook_url="https://radar.example/siar-hook", contact_phone="0812"))
    assert response.status_code == 302 and response.url == reverse("siar_partners:index")
    partner.refresh_from_db()
    assert partner.webhook_secret == secret and partner.contact_phone == "0812"

    # A new one on request: shown once.
    response = staff.post(
        edit_url, partner_form(webhook_url="https://radar.example/siar-hook", regenerate_webhook_secret="on")
    )
    assert response.url == secrets_url(partner)
    partner.refresh_from_db()
    assert partner.webhook_secret != secret
    assert shown(staff.get(response.url).content.decode(), "siar-new-webhook-secret") == partner.webhook_secret


def test_the_form_refuses_private_webhook_addresses_and_backwards_agreements(staff, settings):
    settings.SIAR_OUTBOUND_ALLOW_PRIVATE = False

    response = staff.post(
        reverse("siar_partners:add"),
        partner_form(
            webhook_url="http://127.0.0.1:8080/hook", agreement_start="2026-12-31", agreement_end="2026-01-01"
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "loopback, link-local or private" in str(errors["webhook_url"])
    assert "cannot end before it starts" in str(errors["agreement_end"])
    assert not Partner.objects.exists()


def test_the_listing_shows_status_tokens_in_use_and_last_fetch(staff, partner):
    ended = Partner.objects.create(
        name="KIM Lama", slug="kim-lama", kind="kim", agreement_end=timezone.localdate() - timedelta(days=1)
    )
    FeedFetch.objects.create(partner=partner, feed="partner", format="rss", status=200, fetched_at=timezone.now())

    html = staff.get(reverse("siar_partners:index")).content.decode()

    assert "PT Radar Suka Maju" in html and "KIM Lama" in html
    assert "Agreement ended" in html and "Community information group (KIM)" in html
    assert tokens_url(partner) in html and tokens_url(ended) in html
    kim_only = staff.get(reverse("siar_partners:index"), {"kind": "kim"}).content.decode()
    assert "KIM Lama" in kim_only and "PT Radar" not in kim_only
    found = staff.get(reverse("siar_partners:index"), {"q": "radar"}).content.decode()
    assert "PT Radar" in found and "KIM Lama" not in found


# --- tokens ------------------------------------------------------------------------------------


def test_a_revoked_token_is_refused_by_the_feed_at_once(staff, client, partner, django_capture_on_commit_callbacks):
    assert feed(client, "radar", partner.raw_token).status_code == 200  # (its grant is now cached)
    token = partner.tokens.get()
    revoke_url = reverse("siar_partners:revoke_token", args=[partner.pk, token.pk])
    assert revoke_url in staff.get(tokens_url(partner)).content.decode()

    confirm = staff.get(revoke_url)
    assert confirm.status_code == 200 and token.key_prefix in confirm.content.decode()
    assert feed(client, "radar", partner.raw_token).status_code == 200  # asking is not revoking
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(revoke_url)

    assert response.status_code == 302 and response.url == tokens_url(partner)
    refused = feed(client, "radar", partner.raw_token)
    assert refused.status_code == 403 and b"revoked" in refused.content
    assert "Revoked" in staff.get(tokens_url(partner)).content.decode()


def test_rotate_shows_the_new_token_once_and_keeps_the_old_one_for_the_grace_period(staff, client, partner):
    response = staff.post(reverse("siar_partners:rotate_tokens", args=[partner.pk]), {"label": "CMS", "grace_days": 3})

    assert response.url == secrets_url(partner)
    html = staff.get(response.url).content.decode()
    new = shown(html, "siar-new-token")
    assert new and new != partner.raw_token and "older tokens keep working until" in html
    assert feed(client, "radar", new).status_code == 200
    assert feed(client, "radar", partner.raw_token).status_code == 200  # still, within the grace period
    old = partner.tokens.get(label="first")
    assert timedelta(days=3) - timedelta(minutes=1) < old.expires_at - timezone.now() <= timedelta(days=3)
    assert not old.is_usable(timezone.now() + timedelta(days=3, minutes=1))
    tokens_page = staff.get(tokens_url(partner)).content.decode()
    assert "In grace period" in tokens_page and "CMS" in tokens_page


def test_issue_a_further_token(staff, client, partner):
    issue_url = reverse("siar_partners:issue_token", args=[partner.pk])
    assert staff.get(issue_url).status_code == 200

    response = staff.post(issue_url, {"label": "second newsroom"})

    new = shown(staff.get(response.url).content.decode(), "siar-new-token")
    assert feed(client, "radar", new).status_code == 200 and feed(client, "radar", partner.raw_token).status_code == 200
    assert partner.tokens.usable().count() == 2


def test_users_without_partner_permissions_are_refused(client, django_user_model, partner):
    viewer = django_user_model.objects.create_user("pembaca", "pembaca@example.invalid", "pw")
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, viewer)
    token = partner.tokens.get()

    # Wagtail answers a permission denied in the admin with a redirect to the dashboard.
    for url in (
        reverse("siar_partners:index"),
        reverse("siar_partners:add"),
        tokens_url(partner),
        secrets_url(partner),
        reverse("siar_partner_report:index"),
        reverse("siar_partner_report:csv"),
    ):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home")), url
    response = client.post(reverse("siar_partners:revoke_token", args=[partner.pk, token.pk]))
    assert response.status_code == 302
    assert client.post(reverse("siar_partners:rotate_tokens", args=[partner.pk]), {"grace_days": 0}).status_code == 302
    assert list(partner.tokens.usable()) == [token]
    assert reverse("siar_partner_report:index") not in client.get(reverse("wagtailadmin_home")).content.decode()

    viewer.user_permissions.add(Permission.objects.get(codename="change_partner"))
    assert client.get(tokens_url(partner)).status_code == 200
    assert client.get(reverse("siar_partner_report:index")).status_code == 200


# --- the report --------------------------------------------------------------------------------


def month_start(months_back=0):
    zone = timezone.get_default_timezone()
    day = timezone.localdate(timezone.now(), zone).replace(day=1)
    for _ in range(months_back):
        day = (day - timedelta(days=1)).replace(day=1)
    return day, timezone.make_aware(datetime.combine(day, time.min), zone)


def fetch(partner, status, article_ids=(), at=None, **fields):
    return FeedFetch.objects.create(
        partner=partner,
        feed="partner" if partner else "public",
        format="rss",
        status=status,
        item_count=len(article_ids),
        article_ids=list(article_ids),
        fetched_at=at or timezone.now(),
        **fields,
    )


def delivered(account, article, count):
    delivery, _ = Delivery.objects.get_or_create(  # (publishing may have made it already)
        article=article, account=account, defaults={"article_title": article.title}
    )
    for _ in range(count):
        DeliveryEvent.objects.create(
            delivery=delivery, from_state=State.SENDING, to_state=State.DELIVERED, operation="post", source="worker"
        )
    DeliveryEvent.objects.create(
        delivery=delivery, from_state=State.SENDING, to_state=State.FAILED, operation="post", source="worker"
    )


@pytest.fixture
def scenario(make_article, category, other_category):
    """Radar receives one category and has a webhook; KIM Maju receives everything."""
    radar = Partner.objects.create(name="PT Radar", slug="radar", webhook_url="https://radar.example/hook")
    radar.categories.add(category)
    kim = Partner.objects.create(name="KIM Maju", slug="kim-maju", kind="kim")
    this_month, this_start = month_start()
    last_month, last_start = month_start(1)

    health = make_article(title="Kesehatan sekarang")
    school = make_article(title="Sekolah", category=other_category)
    older = make_article(title="Kesehatan bulan lalu")
    Page.objects.filter(pk=older.pk).update(first_published_at=last_start + timedelta(days=3))
    make_article(title="Draf", publish=False)

    now = timezone.now()
    fetch(radar, 200, [health.pk], at=now - timedelta(minutes=30))
    fetch(radar, 200, [health.pk], at=now - timedelta(minutes=20))
    fetch(radar, 304, at=now - timedelta(minutes=10))
    fetch(radar, 403, at=now - timedelta(minutes=5))
    fetch(radar, 200, [older.pk, health.pk], at=last_start + timedelta(days=5))
    fetch(kim, 200, [health.pk, school.pk], at=now - timedelta(minutes=1))
    fetch(None, 200, [health.pk, school.pk, older.pk])  # the public feed: nobody's
    delivered(ChannelAccount.objects.get(partner=radar), health, 2)
    return {"radar": radar, "kim": kim, "this_month": this_month, "last_month": last_month, "now": now}


def test_the_report_counts_per_partner_and_month(scenario):
    rows = {(row.partner_slug, row.month): row for row in partner_monthly_report()}

    this, last = scenario["this_month"], scenario["last_month"]
    assert set(rows) == {("radar", this), ("radar", last), ("kim-maju", this)}  # no empty months before joining
    radar_now = rows["radar", this]
    assert (
        radar_now.fetches,
        radar_now.fetches_ok,
        radar_now.fetches_not_modified,
        radar_now.fetches_refused,
        radar_now.articles_available,
        radar_now.articles_served,
        radar_now.webhook_deliveries,
    ) == (4, 2, 1, 1, 1, 1, 2)
    assert radar_now.last_fetch == scenario["now"] - timedelta(minutes=5)
    radar_before = rows["radar", last]
    assert (radar_before.fetches, radar_before.articles_available, radar_before.articles_served) == (1, 1, 2)
    kim_now = rows["kim-maju", this]
    assert (kim_now.fetches, kim_now.articles_available, kim_now.articles_served, kim_now.webhook_deliveries) == (
        1,
        2,
        2,
        0,
    )
    assert [row.partner_slug for row in partner_monthly_report(scenario["kim"])] == ["kim-maju"]


def test_the_report_takes_the_same_few_queries_for_any_number_of_partners(scenario):
    with CaptureQueriesContext(connection) as few:
        partner_monthly_report()
    for number in range(3):
        more = Partner.objects.create(name=f"Media {number}", slug=f"media-{number}")
        fetch(more, 200, [1, 2])
    with CaptureQueriesContext(connection) as many:
        rows = partner_monthly_report()
    assert len(many) == len(few) <= 8
    assert len(rows) == 6


def test_the_report_page_and_its_csv(staff, scenario):
    html = staff.get(reverse("siar_partner_report:index")).content.decode()
    assert "PT Radar" in html and "KIM Maju" in html and "Download CSV" in html
    filtered = staff.get(reverse("siar_partner_report:index"), {"partner": scenario["kim"].pk}).content.decode()
    assert "KIM Maju" in filtered and "PT Radar</strong>" not in filtered

    response = staff.get(reverse("siar_partner_report:csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="siar-partner-report-' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    header, *lines = list(csv.reader(io.StringIO(body[1:])))
    assert header == [
        "Partner",
        "Slug",
        "Month",
        "Fetches",
        "Fetches OK (200)",
        "Not modified (304)",
        "Refused (403)",
        "Articles made available",
        "Articles served",
        "Last fetch",
        "Webhook deliveries",
    ]
    this, last = scenario["this_month"].strftime("%Y-%m"), scenario["last_month"].strftime("%Y-%m")
    last_fetch = timezone.localtime(scenario["now"] - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    assert lines == [
        ["KIM Maju", "kim-maju", this, "1", "1", "0", "0", "2", "2", lines[0][9], "0"],
        ["PT Radar", "radar", this, "4", "2", "1", "1", "1", "1", last_fetch, "2"],
        ["PT Radar", "radar", last, "1", "1", "0", "0", "1", "2", lines[2][9], "0"],
    ]
    only_kim = staff.get(reverse("siar_partner_report:csv"), {"partner": scenario["kim"].pk})
    assert len(only_kim.content.decode().splitlines()) == 2


def test_the_report_reads_fetches_still_waiting_in_redis(staff, client, partner):
    assert feed(client, "radar", partner.raw_token).status_code == 200
    assert not FeedFetch.objects.exists()

    html = staff.get(reverse("siar_partner_report:index"), {"partner": partner.pk}).content.decode()

    assert FeedFetch.objects.filter(partner=partner, status=200).count() == 1
    assert re.search(r"<td>1</td>\s*<td>1 / 0 / 0</td>", html)


def test_the_syndication_menu_links_to_partners_and_the_report(staff):
    html = staff.get(reverse("wagtailadmin_home")).content.decode()
    for url_name in ("siar_partners:index", "siar_partner_report:index"):
        assert reverse(url_name) in html


def test_a_partner_webhook_account_is_edited_through_its_partner(staff):
    partner = Partner.objects.create(name="KIM Hook", slug="kim-hook", webhook_url="https://kim.example/hook")
    account = ChannelAccount.objects.get(partner=partner)
    response = staff.get(reverse("siar_channel_accounts:edit", args=[account.pk]))
    assert response.status_code == 302 and response.url == reverse("siar_partners:edit", args=[partner.pk])
