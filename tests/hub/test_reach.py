"""Reach: views posted by the website or app, counted in Redis and flushed to the database."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub import reach
from hub.models import ArticleViews

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
KEYS = [
    reach.PENDING_DAILY,
    reach.PENDING_TOTALS,
    reach.FLUSHING_DAILY,
    reach.FLUSHING_TOTALS,
    reach.FLUSH_LOCK,
]


@pytest.fixture(autouse=True)
def _clean_reach_keys():
    """The counters live in Redis, which outlives each test's rolled-back data."""

    def clean():
        reach.client().delete(*(reach.key(name) for name in KEYS))
        for name in reach.client().scan_iter(match=reach.key("reach:live:*")):
            reach.client().delete(name)

    clean()
    yield
    clean()


def post_view(client, page_id, user_agent=BROWSER, **headers):
    return client.post(f"/api/v2/views/{page_id}/", headers={"User-Agent": user_agent, **headers})


def api_view_count(client, article):
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    listing = client.get("/api/v2/pages/?type=hub.ArticlePage&fields=view_count").json()["items"]
    in_listing = next(item["view_count"] for item in listing if item["id"] == article.pk)
    assert detail["view_count"] == in_listing
    return in_listing


@pytest.mark.django_db
def test_posted_views_are_counted_and_flushed(client, make_article):
    article = make_article()
    for _ in range(3):
        response = post_view(client, article.pk)
        assert response.status_code == 202
        assert response.json() == {"counted": True}
    assert api_view_count(client, article) == 3  # pending in Redis
    assert reach.flush_views() == 3
    row = ArticleViews.objects.get(article=article)
    assert (row.day, row.count) == (reach.timezone.localdate(), 3)
    assert api_view_count(client, article) == 3  # now stored
    post_view(client, article.pk)
    assert api_view_count(client, article) == 4  # stored + pending
    assert reach.flush_views() == 1
    assert ArticleViews.objects.get(article=article).count == 4
    assert reach.flush_views() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_agent, headers",
    [
        ("", {}),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}),
        ("facebookexternalhit/1.1", {}),
        ("WhatsApp/2.23.20.0", {}),
        ("curl/8.5.0", {}),
        ("python-requests/2.32", {}),
        ("Mozilla/5.0 HeadlessChrome/120.0", {}),
        ("Mozilla/5.0 Chrome-Lighthouse", {}),
        (BROWSER, {"Sec-Purpose": "prefetch"}),
        (BROWSER, {"Purpose": "prefetch"}),
    ],
)
def test_bots_and_prefetches_are_not_counted(client, make_article, user_agent, headers):
    article = make_article()
    response = post_view(client, article.pk, user_agent, **headers)
    assert response.status_code == 202
    assert response.json() == {"counted": False}
    assert reach.flush_views() == 0
    assert api_view_count(client, article) == 0


@pytest.mark.django_db
def test_only_post_and_only_live_articles(client, make_article, site_tree):
    article = make_article()
    draft = make_article(publish=False)
    assert client.get(f"/api/v2/views/{article.pk}/").status_code == 405
    assert post_view(client, draft.pk).status_code == 404
    assert post_view(client, site_tree.pk).status_code == 404  # a page, not an article
    assert post_view(client, 999999).status_code == 404
    assert reach.flush_views() == 0


@pytest.mark.django_db
def test_nothing_about_the_reader_is_stored(client, make_article):
    article = make_article()
    post_view(client, article.pk, REMOTE_ADDR="203.0.113.9")
    stored = reach.client().hgetall(reach.key(reach.PENDING_DAILY))
    stored.update(reach.client().hgetall(reach.key(reach.PENDING_TOTALS)))
    text = repr(stored)
    assert "203.0.113" not in text and "Mozilla" not in text
    reach.flush_views()
    assert [f.name for f in ArticleViews._meta.fields] == ["id", "article", "day", "count"]


@pytest.mark.django_db
def test_cors_preflight_and_headers(client, make_article, settings):
    article = make_article()
    url = f"/api/v2/views/{article.pk}/"
    preflight = client.options(
        url, headers={"Origin": "https://kab.example.go.id", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert post_view(client, article.pk, Origin="https://kab.example.go.id")["Access-Control-Allow-Origin"] == "*"

    settings.SIAR_VIEWS_ALLOWED_ORIGINS = ["https://kab.example.go.id"]
    allowed = post_view(client, article.pk, Origin="https://kab.example.go.id")
    assert allowed["Access-Control-Allow-Origin"] == "https://kab.example.go.id"
    assert allowed["Vary"] == "Origin"
    assert "Access-Control-Allow-Origin" not in post_view(client, article.pk, Origin="https://evil.example")


@pytest.mark.django_db
def test_listing_with_view_counts_costs_a_constant_number_of_queries(client, make_article):
    url = "/api/v2/pages/?type=hub.ArticlePage&fields=view_count&limit=100"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.json()["items"]

    first = make_article()
    post_view(client, first.pk)
    few, _ = queries()
    for _ in range(10):
        post_view(client, make_article().pk)
    reach.flush_views()
    post_view(client, first.pk)
    many, listed = queries()
    assert many == few
    counts = {item["id"]: item["view_count"] for item in listed}
    assert counts[first.pk] == 2 and sorted(counts.values()) == [1] * 10 + [2]


@pytest.mark.django_db
def test_flush_never_loses_increments_made_while_it_runs(make_article, monkeypatch):
    article = make_article()
    for _ in range(5):
        reach.record_view(article.pk, BROWSER)
    real_write = reach._write

    def write_while_readers_keep_coming(counts):
        for _ in range(2):  # after the rename, before and during the database write
            reach.record_view(article.pk, BROWSER)
        assert reach.current_counts([article.pk])[article.pk] == 7
        return real_write(counts)

    monkeypatch.setattr(reach, "_write", write_while_readers_keep_coming)
    assert reach.flush_views() == 5
    monkeypatch.setattr(reach, "_write", real_write)
    assert reach.current_counts([article.pk])[article.pk] == 7
    assert reach.flush_views() == 2
    assert ArticleViews.objects.get(article=article).count == 7


@pytest.mark.django_db
def test_a_failed_write_puts_the_counts_back(make_article, monkeypatch):
    article = make_article()
    reach.record_view(article.pk, BROWSER, day=date(2026, 10, 31))
    reach.record_view(article.pk, BROWSER)

    def broken(counts):
        raise RuntimeError("database down")

    monkeypatch.setattr(reach, "_write", broken)
    with pytest.raises(RuntimeError):
        reach.flush_views()
    assert reach.current_counts([article.pk])[article.pk] == 2
    monkeypatch.undo()
    assert reach.flush_views() == 2
    assert sorted(ArticleViews.objects.values_list("day", "count")) == [
        (date(2026, 10, 31), 1),
        (reach.timezone.localdate(), 1),
    ]


@pytest.mark.django_db
def test_a_batch_left_by_a_dead_flush_is_finished_first(make_article):
    article = make_article()
    reach.record_view(article.pk, BROWSER)
    r = reach.client()
    r.rename(reach.key(reach.PENDING_DAILY), reach.key(reach.FLUSHING_DAILY))  # as if a flush died here
    r.rename(reach.key(reach.PENDING_TOTALS), reach.key(reach.FLUSHING_TOTALS))
    reach.record_view(article.pk, BROWSER)
    assert reach.current_counts([article.pk])[article.pk] == 2
    assert reach.flush_views() == 2
    assert ArticleViews.objects.get(article=article).count == 2


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("pimpinan", "pimpinan@example.invalid", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_view_posted_from_the_api_shows_in_the_reach_view(client, make_article, django_user_model):
    article = make_article(title="Pasar murah jelang Lebaran")
    post_view(client, article.pk)
    post_view(client, article.pk)
    reach.flush_views()
    post_view(client, article.pk)  # still pending: in the total, not yet in the daily table

    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.invalid", "pw"))
    response = client.get(reverse("siar_reach:article", args=(article.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pasar murah jelang Lebaran" in html
    assert 'id="reach-views"' in html
    section = response.context["sections"][0]
    assert section.name == "views"
    assert section.context["total"] == 3 and section.context["stored"] == 2
    assert section.context["days"][0] == (reach.timezone.localdate(), 2)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert reverse("siar_reach:article", args=(article.pk,)) in edit  # the header's "Reach" item


@pytest.mark.django_db
def test_other_apps_add_reach_sections(admin_client, make_article, monkeypatch):
    from hub.reach import sections

    monkeypatch.setattr(sections, "_builders", {"views": sections._builders["views"]})  # hub's own only
    article = make_article()
    sections.register_reach_section(
        "deliveries", lambda a: ("Channel deliveries", "hub/reach/section_views.html", {"total": 41}), order=10
    )
    sections.register_reach_section("nothing", lambda a: None)
    response = admin_client.get(reverse("siar_reach:article", args=(article.pk,)))
    assert [s.name for s in response.context["sections"]] == ["views", "deliveries"]
    assert "Channel deliveries" in response.content.decode()


@pytest.mark.django_db
def test_reach_view_404_for_other_pages(admin_client, site_tree):
    assert admin_client.get(reverse("siar_reach:article", args=(site_tree.pk,))).status_code == 404


@pytest.mark.django_db
def test_reach_needs_admin_access(client, make_article):
    article = make_article()
    for url in (reverse("siar_reach:article", args=(article.pk,)), reverse("siar_reach:summary_csv")):
        assert client.get(url).status_code == 302  # to the login


@pytest.mark.django_db
def test_monthly_summary_and_csv(admin_client, make_article):
    first = make_article(title="=Berita pertama")
    second = make_article(title="Berita kedua")
    ArticleViews.objects.create(article=first, day=date(2026, 10, 3), count=4)
    ArticleViews.objects.create(article=first, day=date(2026, 10, 20), count=6)
    ArticleViews.objects.create(article=second, day=date(2026, 10, 5), count=12)
    ArticleViews.objects.create(article=second, day=date(2026, 9, 30), count=1)

    page = admin_client.get(reverse("siar_reach:summary"), {"month": "2026-10"})
    assert page.status_code == 200
    assert list(page.context["rows"]) == [
        (date(2026, 10, 1), second.pk, "Berita kedua", 12),
        (date(2026, 10, 1), first.pk, "=Berita pertama", 10),
    ]

    response = admin_client.get(reverse("siar_reach:summary_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    header, *lines = content[1:].splitlines()
    assert len(header.split(",")) == 4  # Month, Article ID, Article, Views (in the admin's language)
    assert lines == [
        f"2026-10,{second.pk},Berita kedua,12",
        f"2026-10,{first.pk},'=Berita pertama,10",
        f"2026-09,{second.pk},Berita kedua,1",
    ]
    one_month = admin_client.get(reverse("siar_reach:summary_csv"), {"month": "2026-09"})
    assert one_month.content.decode("utf-8")[1:].splitlines()[1:] == [f"2026-09,{second.pk},Berita kedua,1"]
    assert admin_client.get(reverse("siar_reach:summary_csv"), {"month": "bogus"}).status_code == 404


@pytest.mark.django_db
def test_dashboard_shows_the_most_read_articles(admin_client, make_article):
    read = make_article(title="Banyak dibaca")
    ArticleViews.objects.create(article=read, day=reach.timezone.localdate(), count=9)
    old = make_article(title="Berita lama sekali")
    ArticleViews.objects.create(article=old, day=date(2020, 1, 1), count=99)
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Banyak dibaca" in html and "Berita lama sekali" not in html
