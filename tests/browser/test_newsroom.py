"""The newsroom path in a real browser (Debian's Chromium), against the live server, a real
Dramatiq worker and loopback fakes of Facebook and a website hook:

a contributor (liaison officer) logs in and submits a draft credited to their unit → an editor
approves → a publisher chooses two channels on the Syndication tab and gives the final approval,
which publishes → the Syndication tab shows both deliveries delivered.

The admin speaks Indonesian here (the default), so the test finds controls by name and markup,
not by their labels. Screenshots of every step: var/screenshots/test_newsroom_path/.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from channels.intake import poll_all
from channels.models import ChannelAccount, Delivery, UnitFeed
from hub.models import ArticlePage, SourceUnit, SourceUnitMember
from tests.fakes.platform import FakePlatform
from tests.fakes.unit_feed import FeedItem, UnitFeedServer
from tests.fakes.webhook import WebhookReceiver
from workers import roles

from .conftest import TIMEOUT_MS

PASSWORD = "kata-sandi-uji-123"
TITLE = "Posyandu keliling di Kecamatan Sukamaju"
SUMMARY = "Puskesmas membuka posyandu keliling di lima desa mulai pekan depan."
# Headless Chromium says "HeadlessChrome", which the view counter rightly takes for a bot; readers don't.
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
LISTING = re.compile(r"/admin/pages/\d+/$")  # after submitting or approving: back to the news index's listing


@pytest.fixture
def newsroom(transactional_db, django_db_serialized_rollback, site_tree, source_unit, django_user_model):
    """One user per role; the contributor writes for ``source_unit``.

    Committed data (the live server and the worker see it), flushed afterwards; the rows migrations made
    (root page, roles, workflow) come back for the next test."""
    users = {}
    for username, group in [
        ("kontributor", roles.CONTRIBUTORS),
        ("redaktur", roles.EDITORS),
        ("penerbit", roles.PUBLISHERS),
    ]:
        users[username] = django_user_model.objects.create_user(username, password=PASSWORD)
        users[username].groups.add(Group.objects.get(name=group))
    SourceUnitMember.objects.create(source_unit=source_unit, user=users["kontributor"])
    SourceUnit.objects.create(name="Kecamatan Sukamaju", slug="sukamaju", kind=SourceUnit.Kind.SUBDISTRICT)
    return users


@pytest.fixture
def two_channels(settings, worker_process):
    """A Facebook Page and a website hook on loopback, not defaults of any category: the publisher picks them."""
    with FakePlatform(seed=3) as facebook, WebhookReceiver() as website:
        settings.FACEBOOK_GRAPH_URL = facebook.url
        accounts = [
            ChannelAccount.objects.create(channel="facebook", name="FB Pemkab", external_id="1001", token="page-token"),
            ChannelAccount.objects.create(
                channel="website", name="Portal", external_id=website.url, token="hook-secret"
            ),
        ]
        worker_process(env={"FACEBOOK_GRAPH_URL": facebook.url})
        yield {"accounts": accounts, "facebook": facebook, "website": website}


def log_in(new_page, live_server, username):
    page = new_page(viewport={"width": 1280, "height": 1000}, user_agent=READER_AGENT)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def footer_action(page, selector: str) -> None:
    """Open the editor footer's "more actions" menu and click one of its actions."""
    page.click(".footer .w-dropdown__toggle")
    page.click(f".footer {selector}")


def approve(page) -> None:
    footer_action(page, 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    page.wait_for_url(LISTING)
    expect(page.locator(".messages")).to_contain_text(TITLE)


def current_task(article) -> str | None:
    state = article.current_workflow_state
    return state.current_task_state.task.name if state and state.current_task_state else None


def test_newsroom_path(new_page, live_server, newsroom, two_channels, site_tree, category, source_unit, screenshot):
    # 1. The contributor writes a draft and submits it; their unit is already chosen, publishing is not offered.
    page = log_in(new_page, live_server, "kontributor")
    page.goto(f"{live_server.url}/admin/pages/add/hub/articlepage/{site_tree.pk}/")
    expect(page.locator("#id_source_unit")).to_have_value(str(source_unit.pk))
    expect(page.locator("#id_source_unit option")).to_have_count(1)
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", SUMMARY)
    page.click("#id_category-chooser [data-chooser-action-choose]")
    page.locator(".modal").get_by_role("link", name=category.name).click()
    expect(page.locator("#id_category")).to_have_value(str(category.pk))
    expect(page.locator('.footer button[name="action-publish"]')).to_have_count(0)
    screenshot(page, "contributor-draft")
    footer_action(page, 'button[name="action-submit"]')
    page.wait_for_url(LISTING)
    expect(page.locator(".messages")).to_contain_text(TITLE)
    screenshot(page, "contributor-submitted")

    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live and article.owner == newsroom["kontributor"] and article.source_unit == source_unit
    assert current_task(article) == "Editor review"

    # 2. The editor approves.
    page = log_in(new_page, live_server, "redaktur")
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    screenshot(page, "editor-review")
    approve(page)
    screenshot(page, "editor-approved")
    article.refresh_from_db()
    assert not article.live and current_task(article) == "Publisher approval"

    # 3. The publisher chooses two channels and gives the final approval, which publishes.
    page = log_in(new_page, live_server, "penerbit")
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"
    page.goto(edit_url)
    syndication_tab = page.locator('[role="tab"][href="#tab-sindikasi"], [role="tab"][href="#tab-syndication"]')
    syndication_tab.click()
    for number, account in enumerate(two_channels["accounts"]):
        page.click("#id_channel_choices-ADD")
        page.select_option(f"#id_channel_choices-{number}-account", str(account.pk))
    screenshot(page, "publisher-channels")
    approve(page)
    article.refresh_from_db()
    assert article.live, "the final approval publishes the article"
    assert current_task(article) is None

    # 4. The Syndication tab shows both deliveries delivered (the worker posts them on loopback).
    delivered = page.locator(".siar-deliveries .siar-state--delivered")
    deadline = time.monotonic() + 60
    while True:
        page.goto(edit_url)
        syndication_tab.click()
        if delivered.count() == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    page.locator(".siar-deliveries").scroll_into_view_if_needed()
    screenshot(page, "publisher-delivered")
    states = sorted(Delivery.objects.filter(article=article).values_list("account__channel", "state"))
    assert states == [("facebook", Delivery.State.DELIVERED), ("website", Delivery.State.DELIVERED)]
    expect(delivered).to_have_count(2)
    expect(page.locator(".siar-deliveries")).to_contain_text("FB Pemkab")
    expect(page.locator(".siar-deliveries")).to_contain_text("Portal")
    assert [post.message for post in two_channels["facebook"].posts("1001")] == [SUMMARY]
    assert len(two_channels["website"].received) == 1


def test_intake_inbox_and_reach_view(new_page, live_server, newsroom, make_article, source_unit, screenshot):
    """An editor sees a unit's RSS item in the intake inbox after one polling cycle and makes a draft of it;
    a view posted to the API by the browser shows in the article's reach view."""
    with UnitFeedServer() as unit_site:
        unit_site.items = [
            FeedItem(
                title="Vaksinasi anak sekolah dimulai",
                link="https://dinkes.example/berita/vaksinasi",
                guid="vaksinasi-1",
                description="<p>Dinas Kesehatan memulai vaksinasi di 40 sekolah.</p>",
            )
        ]
        UnitFeed.objects.create(source_unit=source_unit, url=unit_site.feed_url())
        assert [result.new for result in poll_all()] == [1]  # one polling cycle

    page = log_in(new_page, live_server, "redaktur")
    page.goto(f"{live_server.url}{reverse('siar_intake:index')}")
    row = page.locator("tr", has_text="Vaksinasi anak sekolah dimulai")
    expect(row).to_contain_text(source_unit.name)
    screenshot(page, "intake-inbox")
    row.locator('form[action$="/draft/"] button').click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator("#id_title")).to_have_value("Vaksinasi anak sekolah dimulai")
    expect(page.locator("#id_summary")).to_have_value("Dinas Kesehatan memulai vaksinasi di 40 sekolah.")
    screenshot(page, "intake-draft")

    article = make_article(title="Pasar murah jelang Lebaran")
    answer = page.evaluate(
        "async (url) => (await fetch(url, {method: 'POST'})).json()",
        f"{live_server.url}/api/v2/views/{article.pk}/",
    )
    assert answer == {"counted": True}
    page.goto(f"{live_server.url}{reverse('siar_reach:article', args=[article.pk])}")
    expect(page.locator("#reach-views .siar-reach-total strong")).to_have_text("1")
    screenshot(page, "reach-view")
