"""The headless API as a website or the mobile app reads it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.models import Category, SourceUnit

LISTING = "/api/v2/pages/?type=hub.ArticlePage&fields=*"


def body_with_image(image, caption="Keterangan foto"):
    return [
        {"type": "heading", "value": "Subjudul"},
        {"type": "paragraph", "value": "<p>Isi <b>paragraf</b> pertama.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "Warga antre", "caption": caption}},
        {"type": "quote", "value": {"quote": "Kutipan.", "attribution": "Bupati"}},
    ]


def items(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.mark.django_db
def test_article_exposes_every_editorial_field(client, make_article, make_image):
    hero = make_image(title="Hero")
    inline = make_image(title="Inline")
    article = make_article(
        title="Vaksinasi di Puskesmas",
        summary="Ringkas.",
        hero_image=hero,
        hero_image_alt="Petugas menyuntik warga",
        body=body_with_image(inline),
        video_url="https://www.youtube.com/watch?v=abc123",
        tags=["vaksin", "puskesmas"],
    )

    [item] = items(client, LISTING)

    assert item["id"] == article.pk
    assert item["title"] == "Vaksinasi di Puskesmas"
    assert item["summary"] == "Ringkas."
    assert item["category"] == {"id": article.category.pk, "name": "Kesehatan", "slug": "kesehatan"}
    assert item["source_unit"]["name"] == "Dinas Kesehatan"
    assert item["source_unit"]["kind"] == "skpd"
    assert sorted(t["slug"] for t in item["tags"]) == ["puskesmas", "vaksin"]
    assert item["video"] == {"kind": "url", "url": "https://www.youtube.com/watch?v=abc123", "title": ""}
    assert item["canonical_url"] == "http://127.0.0.1:8000/berita/artikel-uji-1/"
    assert item["meta"]["first_published_at"]

    hero_json = item["hero_image"]
    assert hero_json["alt_text"] == "Petugas menyuntik warga"
    assert hero_json["credit"] == "Foto: Uji"
    renditions = hero_json["renditions"]
    assert (renditions["web"]["width"], renditions["app"]["width"]) == (1200, 720)
    assert (renditions["link_preview"]["width"], renditions["link_preview"]["height"]) == (1200, 630)
    assert renditions["web"]["url"].startswith("http://127.0.0.1:8000/media/images/")

    types = [block["type"] for block in item["body"]]
    assert types == ["heading", "paragraph", "image", "quote"]
    assert item["body"][1]["value"] == "<p>Isi <b>paragraf</b> pertama.</p>"
    image_block = item["body"][2]["value"]
    assert image_block["alt_text"] == "Warga antre"
    assert image_block["image"]["renditions"]["app"]["width"] == 720


@pytest.mark.django_db
def test_rendition_files_exist_and_are_served(client, make_article, make_image, settings):
    settings.DEBUG = True  # media served by Django only in development
    make_article(hero_image=make_image(), hero_image_alt="Alt")
    [item] = items(client, LISTING)
    path = item["hero_image"]["renditions"]["link_preview"]["url"].removeprefix("http://127.0.0.1:8000")
    assert (settings.MEDIA_ROOT / path.removeprefix("/media/")).is_file()


@pytest.mark.django_db
def test_listing_is_newest_first(client, make_article):
    first = make_article(title="Lama")
    second = make_article(title="Baru")
    assert [item["id"] for item in items(client, LISTING)] == [second.pk, first.pk]
    oldest_first = items(client, LISTING + "&order=first_published_at")
    assert [item["id"] for item in oldest_first] == [first.pk, second.pk]


@pytest.mark.django_db
def test_filters_by_category_source_unit_and_tag(client, make_article):
    other_category = Category.objects.create(name="Pendidikan", slug="pendidikan")
    kim = SourceUnit.objects.create(name="KIM Maju", slug="kim-maju", kind=SourceUnit.Kind.KIM)
    health = make_article(title="Sehat", tags=["vaksin"])
    school = make_article(title="Sekolah", category=other_category, source_unit=kim, tags=["ppdb", "vaksin"])

    def ids(query):
        return [item["id"] for item in items(client, LISTING + query)]

    assert ids("&category=kesehatan") == [health.pk]
    assert ids("&category=pendidikan") == [school.pk]
    assert ids("&source_unit=kim-maju") == [school.pk]
    assert ids("&tag=vaksin") == [school.pk, health.pk]
    assert ids("&tag=vaksin,ppdb") == [school.pk]
    assert ids("&tag=tidak-ada") == []
    assert ids("&category=kesehatan&source_unit=kim-maju") == []


@pytest.mark.django_db
def test_unpublished_articles_are_not_listed(client, make_article):
    live = make_article(title="Tayang")
    make_article(title="Draf", publish=False)
    gone = make_article(title="Ditarik")
    gone.unpublish()
    assert [item["id"] for item in items(client, LISTING)] == [live.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ("&category=tidak-ada", "unknown category 'tidak-ada'"),
        ("&source_unit=tidak-ada", "unknown source_unit 'tidak-ada'"),
        ("&bogus=1", "query parameter is not an operation or a recognised field: bogus"),
        ("&limit=abc", "limit must be a positive integer"),
        ("&limit=-1", "limit must be a positive integer"),
        ("&offset=x", "offset must be a positive integer"),
        ("&order=nonsense", "cannot order by 'nonsense' (unknown field)"),
        ("&fields=nonsense", "unknown fields: nonsense"),
        ("&id=abc", "field filter error"),
        ("&child_of=abc", "child_of must be a positive integer"),
        ("&rich_text_format=pdf", "rich_text_format"),
        ("&tag=%00", "contains a NUL character"),
        ("&search=%00", "contains a NUL character"),
        ("&tag=a%20b", "tag must be a slug"),
        ("&category=a%2Fb", "category must be a slug"),
        ("&source_unit=<script>", "source_unit must be a slug"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, make_article, query, message):
    make_article()
    response = client.get(LISTING + query)
    assert response.status_code == 400
    assert message in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=hub.NoSuchPage",
        "/api/v2/pages/?category=kesehatan",
        "/api/v2/pages/?type=hub.ArticlePage&tag=a,,b",
        "/api/v2/pages/?type=hub.ArticlePage&html_path=%00",
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/images/?search=%00",
        "/api/v2/documents/?title=%00",
        "/api/v2/pages/?type=hub.ArticlePage&title=%00",
        "/api/v2/pages/?type=hub.ArticlePage&search=vaksin&tag=x",
        "/api/v2/pages/?type=hub.ArticlePage&order=random&offset=1",
        "/api/v2/pages/?type=hub.ArticlePage&limit=100000",
        "/api/v2/images/?bogus=1",
        "/api/v2/documents/?limit=x",
    ],
)
def test_odd_requests_never_cause_a_server_error(client, make_article, url):
    make_article()
    response = client.get(url)
    assert response.status_code in {200, 400}, response.content
    if response.status_code == 400:
        assert response.json()["message"]


@pytest.mark.django_db
def test_detail_view_has_every_field(client, make_article, make_image):
    article = make_article(hero_image=make_image(), hero_image_alt="Alt", body=body_with_image(make_image()))
    response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "hub.ArticlePage"
    assert data["hero_image"]["renditions"]["web"]["width"] == 1200
    assert data["body"][2]["value"]["image"]["renditions"]["web"]["width"] == 1200


def _listing_queries(client, count, make_article, make_image):
    for _ in range(count):
        make_article(
            hero_image=make_image(width=400, height=300),
            hero_image_alt="Alt",
            body=body_with_image(make_image(width=400, height=300)),
            tags=["satu", "dua"],
        )
    url = LISTING + "&limit=100"
    assert len(items(client, url)) >= count  # first read creates missing renditions
    with CaptureQueriesContext(connection) as queries:
        assert len(items(client, url)) >= count
    return len(queries)


@pytest.mark.django_db
def test_listing_costs_a_constant_number_of_queries(client, make_article, make_image, django_assert_max_num_queries):
    few = _listing_queries(client, 2, make_article, make_image)
    many = _listing_queries(client, 48, make_article, make_image)  # 50 articles in all
    assert many == few, f"{few} queries for 2 articles but {many} for 50"
    with django_assert_max_num_queries(few):
        items(client, LISTING + "&limit=100")


NASTY_VALUES = ["", "\x00", "-1", "9" * 30, "' OR 1=1 --", "🙂", "a" * 3000, "true", "1,2,,3", "null"]
PARAMETERS = [
    "limit", "offset", "fields", "order", "search", "search_operator", "rich_text_format", "type", "child_of",
    "ancestor_of", "descendant_of", "locale", "site", "id", "title", "slug", "category", "source_unit", "tag",
    "tags", "summary", "html_path",
]  # fmt: skip


MEDIA_PARAMETERS = ["limit", "offset", "fields", "order", "search", "id", "title", "tags", "collection"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint, base_query, parameters",
    [
        ("/api/v2/pages/", {"type": "hub.ArticlePage"}, PARAMETERS),
        ("/api/v2/pages/", {}, PARAMETERS),
        ("/api/v2/images/", {}, MEDIA_PARAMETERS),
        ("/api/v2/documents/", {}, MEDIA_PARAMETERS),
    ],
)
def test_no_parameter_value_causes_a_server_error(client, make_article, make_image, endpoint, base_query, parameters):
    """Every known parameter with hostile values: 200 or a 400 that says why, never a 500."""
    make_article(tags=["vaksin"], hero_image=make_image(), hero_image_alt="Alt")
    client.raise_request_exception = False
    failures = []
    for name in parameters:
        for value in NASTY_VALUES:
            response = client.get(endpoint, {**base_query, name: value})
            if response.status_code not in {200, 400} or (
                response.status_code == 400 and not response.json()["message"]
            ):
                failures.append((name, value[:20], response.status_code))
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v2/pages/99999999999999999999/", "/api/v2/images/99999999999999999999/"])
def test_out_of_range_ids_are_a_client_error(client, path):
    assert client.get(path).status_code in {400, 404}
