"""The syndication admin: the article's Syndication tab, the deliveries report, channel
accounts, the outbox and the dashboard, used through the admin as staff use it."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from channels.models import ChannelAccount, Delivery, DeliveryEvent
from channels.transports.base import Post
from channels.transports.outbox import OutboxTransport
from tests.conftest import PAGE_TOKEN

State = Delivery.State
TOKEN = PAGE_TOKEN


def login(client, user, language="en"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("redaktur", "redaktur@example.invalid", "pw")


@pytest.fixture
def staff(client, editor):
    return login(client, editor)


def make_delivery(article, account, state=State.DELIVERED, **fields):
    return Delivery.objects.create(article=article, article_title=article.title, account=account, state=state, **fields)


def edit_url(article):
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


# --- the article editor ------------------------------------------------------------------


def test_article_editor_has_a_syndication_tab_with_each_delivery(staff, make_article, facebook, instagram):
    article = make_article(publish=False)
    failed = make_delivery(
        article,
        facebook,
        State.FAILED,
        attempts=3,
        error_kind=Delivery.ErrorKind.REJECTED,
        error_message="The image is too small.",
        fix_hint="Use a hero image at least 600 pixels wide.",
    )
    delivered = make_delivery(article, instagram, attempts=1, external_url="https://instagram.example/p/abc")

    response = staff.get(edit_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    tabs = [part.split('"', 1)[0] for part in html.split('id="tab-label-')[1:]]
    # Content stays the first tab. (Wagtail derives tab ids from headings once per process, in the
    # language of the first request that binds the edit handler.)
    assert tabs[:2] in (["content", "syndication"], ["konten", "sindikasi"])
    assert "FB Pemkab" in html and "Failed" in html
    assert "The image is too small." in html and "Use a hero image at least 600 pixels wide." in html
    assert 'href="https://instagram.example/p/abc"' in html
    assert reverse("siar_syndication:retry", args=[failed.pk]) in html
    assert reverse("siar_syndication:retry", args=[delivered.pk]) not in html
    assert 'name="channel_choices-TOTAL_FORMS"' in html


def test_new_article_form_says_where_the_article_will_go(staff, site_tree, instagram):
    ChannelAccount.objects.create(channel="youtube", name="YT Pemkab", default_for_all_categories=True)
    add_url = reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))

    html = staff.get(add_url).content.decode()

    assert "No deliveries yet" in html
    assert "YT Pemkab" in html
    assert "IG Pemkab</li>" not in html  # not a default of any category


def test_retry_button_resets_a_failed_delivery(
    staff, editor, make_article, facebook, django_capture_on_commit_callbacks
):
    article = make_article(publish=False)
    delivery = make_delivery(article, facebook, State.FAILED, attempts=5, error_kind="retryable", error_message="503")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("siar_syndication:retry", args=[delivery.pk]), {"next": edit_url(article)})

    assert response.status_code == 302 and response.url == edit_url(article)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error_message) == (State.PENDING, 0, "")
    event = DeliveryEvent.objects.filter(delivery=delivery).latest("pk")
    assert (event.from_state, event.to_state, event.source, event.actor) == (
        State.FAILED,
        State.PENDING,
        "admin",
        editor,
    )


def test_retry_needs_a_post(staff, make_article, facebook):
    delivery = make_delivery(make_article(publish=False), facebook, State.FAILED)
    assert staff.get(reverse("siar_syndication:retry", args=[delivery.pk])).status_code == 405
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED


def test_a_manual_task_can_be_marked_done(staff, make_article, facebook):
    article = make_article(publish=False)
    delivery = make_delivery(article, facebook, manual_task="correct", manual_note="Edit the post by hand.")
    html = staff.get(edit_url(article)).content.decode()
    done_url = reverse("siar_syndication:manual_task_done", args=[delivery.pk])
    assert "Edit the post by hand." in html and done_url in html

    staff.post(done_url)

    delivery.refresh_from_db()
    assert (delivery.manual_task, delivery.manual_note, delivery.state) == ("", "", State.DELIVERED)
    assert delivery.events.latest("pk").message == "manual task done: correct"


# --- the deliveries report ---------------------------------------------------------------


@pytest.fixture
def report_deliveries(make_article, facebook, instagram):
    banjir, pasar, vaksin = (make_article(title=t, publish=False) for t in ("Banjir", "Pasar murah", "Vaksin"))
    return {
        "fb_failed": make_delivery(banjir, facebook, State.FAILED, error_message="Token expired"),
        "fb_waiting": make_delivery(pasar, facebook, State.NEEDS_ATTENTION, error_kind="auth"),
        "fb_delivered": make_delivery(vaksin, facebook, external_url="https://facebook.example/1"),
        "ig_failed": make_delivery(banjir, instagram, State.FAILED),
    }


def report(client, **params):
    response = client.get(reverse("siar_deliveries:index"), params)
    assert response.status_code == 200
    return response


def listed(response) -> set[int]:
    return {delivery.pk for delivery in response.context["object_list"]}


def test_report_lists_and_filters_deliveries(staff, report_deliveries):
    d = report_deliveries
    everything = report(staff)
    assert listed(everything) == {x.pk for x in d.values()}
    html = everything.content.decode()
    assert "Token expired" in html and 'href="https://facebook.example/1"' in html
    assert edit_url(d["fb_failed"].article) in html

    assert listed(report(staff, state="failed")) == {d["fb_failed"].pk, d["ig_failed"].pk}
    assert listed(report(staff, channel="instagram")) == {d["ig_failed"].pk}
    assert listed(report(staff, channel="facebook", state="failed")) == {d["fb_failed"].pk}
    assert listed(report(staff, article="pasar")) == {d["fb_waiting"].pk}
    assert listed(report(staff, updated_at_from="2000-01-01", updated_at_to="2000-01-02")) == set()
    today = timezone.localdate().isoformat()
    assert len(listed(report(staff, updated_at_from=today, updated_at_to=today))) == 4


def test_report_exports_csv(staff, report_deliveries):
    response = staff.get(reverse("siar_deliveries:index"), {"export": "csv", "state": "failed"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Banjir" in body and "Vaksin" not in body


def test_bulk_retry_retries_only_failed_and_waiting_deliveries_matching_the_filters(staff, report_deliveries):
    d = report_deliveries
    html = report(staff, channel="facebook").content.decode()
    bulk_url = reverse("siar_syndication:retry_failed") + "?channel=facebook"
    assert f'action="{bulk_url}"' in html and "Retry all 2 failed deliveries" in html

    response = staff.post(bulk_url, follow=True)

    assert "2 failed deliveries will be sent again." in response.content.decode()
    states = {name: Delivery.objects.get(pk=x.pk).state for name, x in d.items()}
    assert states == {
        "fb_failed": State.PENDING,
        "fb_waiting": State.PENDING,
        "fb_delivered": State.DELIVERED,
        "ig_failed": State.FAILED,  # another channel: filtered out
    }
    assert {e.source for e in DeliveryEvent.objects.filter(to_state=State.PENDING)} == {"admin"}


def test_delivery_detail_shows_the_payload_and_the_audit_trail(staff, editor, make_article, facebook):
    delivery = make_delivery(make_article(publish=False), facebook, State.PENDING)
    delivery.set_state(State.SENDING, source="worker", message="attempt 1")
    delivery.set_state(State.FAILED, source="worker", message="Platform said no")
    delivery.payload = {"text": "Ringkasan berita", "link": "https://siar.example/berita/banjir/"}
    delivery.save()

    response = staff.get(reverse("siar_deliveries:inspect", args=[delivery.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "\n  &quot;text&quot;: &quot;Ringkasan berita&quot;" in html  # pretty-printed JSON
    assert "Platform said no" in html and "attempt 1" in html
    assert reverse("siar_syndication:retry", args=[delivery.pk]) in html


# --- channel accounts ----------------------------------------------------------------------


def account_form(account, **overrides):
    data = {
        "channel": account.channel,
        "name": account.name,
        "external_id": account.external_id,
        "token": "",
        "token_expires_at": "",
        "is_active": "on",
        "options": json.dumps(account.options),
    }
    data.update(overrides)
    return data


def account_edit_url(account):
    return reverse("siar_channel_accounts:edit", args=[account.pk])


def test_the_account_pages_never_show_the_token(staff, facebook):
    for url in (reverse("siar_channel_accounts:index"), account_edit_url(facebook)):
        response = staff.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert TOKEN not in html
        assert "FB Pemkab" in html
    assert 'type="password"' in html and "leave blank to keep the current token" in html.lower()

    # Not even when the form comes back with an error.
    response = staff.post(account_edit_url(facebook), account_form(facebook, name="", token="EAAG-new-token-99"))
    assert response.status_code == 200
    assert TOKEN not in response.content.decode() and "EAAG-new-token-99" not in response.content.decode()


def test_a_blank_token_keeps_the_stored_one(staff, facebook):
    response = staff.post(account_edit_url(facebook), account_form(facebook, name="FB Pemkab Suka Maju"))
    assert response.status_code == 302
    facebook.refresh_from_db()
    assert (facebook.name, facebook.token) == ("FB Pemkab Suka Maju", TOKEN)
    # The admin's own log of the change holds no token either.
    logged = json.dumps(list(ModelLogEntry.objects.values()), default=str)
    assert "FB Pemkab Suka Maju" in logged and TOKEN not in logged


def test_a_token_broken_by_a_line_break_is_refused(staff, facebook):
    response = staff.post(account_edit_url(facebook), account_form(facebook, token="EAAG-part-one\npart-two"))

    assert response.status_code == 200 and "no spaces or line breaks" in response.content.decode()
    facebook.refresh_from_db()
    assert facebook.token == TOKEN


def test_the_token_can_be_removed(staff, facebook):
    staff.post(account_edit_url(facebook), account_form(facebook, forget_token="on"))
    facebook.refresh_from_db()
    assert facebook.token == "" and not facebook.has_credentials


def test_a_new_token_reconnects_the_account_and_requeues_waiting_deliveries(
    staff, make_article, facebook, monkeypatch, django_capture_on_commit_callbacks
):
    from workers import queueing

    sent = []
    real_send = queueing.send
    monkeypatch.setattr(queueing, "send", lambda channel, pk, **kw: sent.append(pk) or real_send(channel, pk, **kw))
    facebook.status, facebook.status_reason = ChannelAccount.Status.DISCONNECTED, "Token expired"
    facebook.save()
    waiting = make_delivery(make_article(publish=False), facebook, State.NEEDS_ATTENTION, error_kind="auth")
    failed = make_delivery(make_article(publish=False), facebook, State.FAILED, error_kind="rejected")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(account_edit_url(facebook), account_form(facebook, token="EAAG-fresh-token-7"))

    assert response.status_code == 302
    facebook.refresh_from_db()
    assert (facebook.status, facebook.token) == (ChannelAccount.Status.CONNECTED, "EAAG-fresh-token-7")
    waiting.refresh_from_db()
    failed.refresh_from_db()
    assert (waiting.state, failed.state) == (State.PENDING, State.FAILED)
    assert sent == [waiting.pk]
    page = staff.get(response.url).content.decode()
    assert "connected again; 1 waiting delivery will be sent" in page
    assert "EAAG-fresh-token-7" not in page


def test_saving_a_connected_account_queues_nothing(staff, make_article, facebook, monkeypatch):
    from workers import syndication

    monkeypatch.setattr(syndication, "account_reconnected", lambda **kw: pytest.fail("reconnected"))
    response = staff.post(account_edit_url(facebook), account_form(facebook, token="EAAG-rotated"))
    assert response.status_code == 302


# --- outbox and dashboard -----------------------------------------------------------------


def test_outbox_view_shows_the_recorded_request(staff, instagram):
    post = Post(channel="instagram", text="Pasar murah di lima kecamatan", link="https://siar.example/pasar/")
    result = OutboxTransport(instagram).send(post, attempt_key=str(uuid.uuid4()))

    response = staff.get(result.external_url.removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published: recorded by the outbox because this account has no credentials" in html
    assert "Pasar murah di lima kecamatan" in html and "IG Pemkab" in html


def test_dashboard_tells_the_publisher_about_deliveries_needing_attention(
    client, editor, django_user_model, make_article, facebook, instagram
):
    article = make_article(title="Jembatan putus", publish=False)
    make_delivery(article, facebook, State.NEEDS_ATTENTION, requested_by=editor, error_message="Reconnect FB")
    make_delivery(article, instagram, requested_by=editor)  # fine: not listed
    colleague = django_user_model.objects.create_superuser("kolega", "kolega@example.invalid", "pw")

    html = login(client, editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "siar-deliveries-attention" in html and "Jembatan putus" in html and "Reconnect FB" in html
    assert "IG Pemkab" not in html

    html = login(client, colleague).get(reverse("wagtailadmin_home")).content.decode()
    assert "siar-deliveries-attention" not in html and "Jembatan putus" not in html


def test_syndication_menu_links_to_the_report_accounts_and_outbox(staff):
    html = staff.get(reverse("wagtailadmin_home")).content.decode()
    for url_name in ("siar_deliveries:index", "siar_channel_accounts:index", "siar_outbox:index"):
        assert reverse(url_name) in html
        assert staff.get(reverse(url_name)).status_code == 200


def test_users_who_may_neither_publish_nor_manage_deliveries_cannot_retry(
    client, django_user_model, make_article, facebook
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("pembaca", "pembaca@example.invalid", "pw")
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    delivery = make_delivery(make_article(publish=False), facebook, State.FAILED)
    login(client, viewer)

    # Wagtail answers a permission denied in the admin with a redirect to the dashboard.
    for url in (reverse("siar_syndication:retry", args=[delivery.pk]), reverse("siar_syndication:retry_failed")):
        response = client.post(url)
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert client.get(reverse("siar_deliveries:index")).status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
