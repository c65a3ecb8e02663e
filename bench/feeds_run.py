"""The Django side of bench/feeds.py (imported once Django is set up): the bench content, the
partner, and the measurements made inside this process (uncached builds and their SQL queries;
what a cached request costs in SQL queries and Redis commands).

Seeding 10,000 articles one ``add_child()`` + ``publish()`` at a time would take many minutes, so
only the first few are made that way (signals, revisions, search index, as editors make them);
the rest are inserted in bulk with the columns Wagtail and treebeard would have written
(materialised path, depth, url_path, locale, translation key, live, publication times), the
``wagtailcore_page`` rows with ``bulk_create()`` and the ``hub_articlepage`` rows (a multi-table
child, which ``bulk_create()`` refuses) with the query ``bulk_create()`` itself uses. Bulk
articles have no revisions and are not in the search index; feeds read neither.
"""

import io
import statistics
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag
from wagtail.models import Locale, Page

from channels.feeds import build, pickups
from channels.models import FeedFetch, Partner
from hub.models import ArticlePage, ArticlePageTag, Category, HomePage, NewsIndexPage, SiarImage, SourceUnit
from hub.renditions import rendition_specs

HOME_SLUG, NEWS_SLUG, PARTNER_SLUG = "bench-home", "bench-feeds", "bench-feeds"
REAL_ARTICLES = 5  # made as editors make them: add_child(), save_revision().publish()
FORMATS = ("rss", "atom", "json")
CATEGORIES = [("kesehatan", "Kesehatan"), ("pendidikan", "Pendidikan"), ("ekonomi", "Ekonomi"),
              ("infrastruktur", "Infrastruktur"), ("pemerintahan", "Pemerintahan"), ("sosial", "Sosial")]  # fmt: skip
UNITS = [("dinkes", "Dinas Kesehatan"), ("disdik", "Dinas Pendidikan"), ("dpupr", "Dinas PUPR"),
         ("kec-tanjung-asri", "Kecamatan Tanjung Asri"), ("kim-maju-jaya", "KIM Maju Jaya")]  # fmt: skip
TAGS = ["imunisasi", "sekolah", "jalan desa", "umkm", "pelayanan publik", "bantuan sosial", "pasar", "air bersih"]
PARAGRAPH = (
    "<p>Pemerintah Kabupaten Suka Maju melalui {unit} melanjutkan program {topic} di {place}. Kegiatan yang "
    "berlangsung sejak awal pekan ini melibatkan perangkat desa, kader, dan relawan setempat, dengan target "
    "menjangkau seluruh warga yang belum terlayani pada tahap sebelumnya. Petugas mencatat {number} warga "
    "telah terdaftar, dan pendaftaran masih dibuka di kantor desa setiap hari kerja pukul 08.00–14.00 WIB. "
    'Keterangan lengkap tersedia di <a href="https://sukamaju.go.id/layanan/">laman layanan</a>.</p>'
)


def seed(articles: int, say) -> dict:
    """At least ``articles`` live bench articles (what an earlier run left is kept; the missing ones
    are added). Returns what was made and how long it took."""
    started = time.monotonic()
    news = _news_index()
    categories = [Category.objects.get_or_create(slug=s, defaults={"name": n})[0] for s, n in CATEGORIES]
    kind = SourceUnit.Kind.SKPD
    units = [SourceUnit.objects.get_or_create(slug=s, defaults={"name": n, "kind": kind})[0] for s, n in UNITS]
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name.replace(" ", "-")})[0] for name in TAGS]
    images = _images()
    existing = ArticlePage.objects.child_of(news).count()
    real = min(REAL_ARTICLES, articles) if existing == 0 else 0
    bulk = max(0, articles - existing - real)
    if real or bulk:
        say(f"seeding {real + bulk} articles ({real} published one by one, {bulk} in bulk) …")
    with transaction.atomic():
        for number in range(real):
            _publish_one(news, number, categories, units, images, tags)
        if bulk:
            _insert_many(news, existing + real, bulk, categories, units, images, tags)
    for image in SiarImage.objects.filter(pk__in=[i.pk for i in images]).prefetch_renditions(*rendition_specs()):
        image.get_renditions(*rendition_specs())  # made once, as the workers would after publishing
    return {
        "made": real + bulk,
        "kept": existing,
        "seconds": time.monotonic() - started,
        "live_articles": ArticlePage.objects.live().count(),
    }


def _news_index() -> NewsIndexPage:
    home = HomePage.objects.filter(slug=HOME_SLUG).first()  # the same as bench/run.py's
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Bench", slug=HOME_SLUG))
    news = NewsIndexPage.objects.child_of(home).filter(slug=NEWS_SLUG).first()
    if news is None:
        news = home.add_child(instance=NewsIndexPage(title="Bench feeds", slug=NEWS_SLUG))
    return news


def _images() -> list[SiarImage]:
    """Three real images (files under MEDIA_ROOT), shared by every article that has one."""
    images = []
    for number, color in enumerate([(30, 90, 160), (160, 60, 30), (40, 130, 70)], start=1):
        image = SiarImage.objects.filter(title=f"Bench feeds {number}").first()
        if image is None:
            buffer = io.BytesIO()
            Image.new("RGB", (1600, 1000), color).save(buffer, format="JPEG", quality=85)
            image = SiarImage.objects.create(
                title=f"Bench feeds {number}",
                file=ImageFile(buffer, name=f"bench-feeds-{number}.jpg"),
                credit="Foto: Bench",
            )
        images.append(image)
    return images


def _fields(number: int, categories, units, images) -> dict:
    """An article's own fields: four paragraphs, a heading and a quote, every 4th with a body
    image, every 3rd with a hero image."""
    unit = units[number % len(units)]
    body = [{"type": "heading", "value": f"Tahap {number % 7 + 1}"}]
    for paragraph in range(4):
        place = f"Desa {['Sukamaju', 'Tanjung Asri', 'Mekarsari', 'Sidorejo'][paragraph]}"
        topic = ["imunisasi", "perbaikan jalan", "bantuan modal", "layanan keliling"][(number + paragraph) % 4]
        body.append(
            {"type": "paragraph", "value": PARAGRAPH.format(unit=unit.name, topic=topic, place=place, number=number)}
        )
    body.append({"type": "quote", "value": {"quote": "Kami ingin semua warga terlayani.", "attribution": "Camat"}})
    if number % 4 == 0:
        image = images[number % len(images)]
        body.append({"type": "image", "value": {"image": image.pk, "alt_text": "Suasana kegiatan", "caption": ""}})
    for block in body:
        block["id"] = str(uuid.uuid4())
    hero = images[number % len(images)] if number % 3 == 0 else None
    return {
        "title": f"Berita uji {number}: layanan warga di Kabupaten Suka Maju",
        "summary": f"Ringkasan berita uji nomor {number}: program pelayanan warga berlanjut di empat desa.",
        "body": body,
        "category": categories[number % len(categories)],
        "source_unit": unit,
        "hero_image": hero,
        "hero_image_alt": "Warga antre di balai desa" if hero else "",
    }


def _publish_one(news, number, categories, units, images, tags) -> None:
    article = ArticlePage(slug=f"berita-uji-{number}", live=False, **_fields(number, categories, units, images))
    article.tags.set([tags[number % len(tags)], tags[(number + 3) % len(tags)]])
    news.add_child(instance=article)
    article.save_revision().publish()


def _insert_many(news, first: int, count: int, categories, units, images, tags) -> None:
    """``count`` more articles under ``news``, numbered from ``first``, each 30 minutes older than
    the one before (all older than the articles published one by one, which are "now")."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    last = news.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    articles = []
    for offset in range(count):
        number, step = first + offset, step + 1
        fields = _fields(number, categories, units, images)
        published = now - timedelta(minutes=30 * (number + 1))
        slug = f"berita-uji-{number}"
        articles.append(
            ArticlePage(
                **fields,
                slug=slug,
                draft_title=fields["title"],
                content_type=content_type,
                locale=locale,
                translation_key=uuid.uuid4(),
                path=Page._get_path(news.path, news.depth + 1, step),
                depth=news.depth + 1,
                numchild=0,
                url_path=f"{news.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                latest_revision_created_at=published,
            )
        )
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(a, f.attname) for f in page_fields}) for a in articles], batch_size=500
    )
    for article, page in zip(articles, pages, strict=True):
        article.id = article.page_ptr_id = page.pk
    own_fields = ArticlePage._meta.local_concrete_fields  # page_ptr + the article's columns
    batch = connection.ops.bulk_batch_size(own_fields, articles) or len(articles)
    for start in range(0, len(articles), batch):
        ArticlePage._base_manager._insert(articles[start : start + batch], fields=own_fields, using=connection.alias)
    ArticlePageTag.objects.bulk_create(
        [
            ArticlePageTag(content_object_id=a.pk, tag=tags[(n + k) % len(tags)])
            for n, a in enumerate(articles, start=first)
            for k in (0, 3)
        ],
        batch_size=1000,
    )
    Page.objects.filter(pk=news.pk).update(numchild=Page.objects.child_of(news).count())


# --- the partner -----------------------------------------------------------------------------


def partner_with_token() -> tuple[Partner, str]:
    """The bench partner (every category, full text) and a fresh token for this run."""
    partner, _ = Partner.objects.update_or_create(
        slug=PARTNER_SLUG,
        defaults={
            "name": "PT Media Bench",
            "full_text": True,
            "attribution": "Sumber: Diskominfo Kabupaten Suka Maju",
            "agreement_number": "000/BENCH",
            "is_active": True,
        },
    )
    partner.categories.clear()
    partner.source_units.clear()
    _, raw_token = partner.issue_token(label=f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}")
    return partner, raw_token


def feed_path(fmt: str = "rss") -> str:
    return reverse(f"siar_feeds:partner_{fmt}", args=[PARTNER_SLUG])


# --- measurements in this process --------------------------------------------------------------


def uncached_builds(partner: Partner, *, repeats: int, limit: int) -> dict:
    """``build.partner_feed()`` straight from the database (no cache involved), per format."""
    results = {}
    for fmt in FORMATS:
        first = _timed_build(partner, fmt, limit)  # the first in this process: imports, lazy caches
        runs = [_timed_build(partner, fmt, limit) for _ in range(repeats)]
        times = [seconds for seconds, _, _ in runs]
        results[fmt] = {
            "first": first[0],
            "first_queries": first[1],  # + ContentType and Site lookups, cached for the process after
            "median": statistics.median(times),
            "min": min(times),
            "queries": sorted({queries for _, queries, _ in runs}),
            "bytes": len(runs[-1][2].body),
            "items": len(runs[-1][2].article_ids),
        }
    return results


def _timed_build(partner: Partner, fmt: str, limit: int):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        built = build.partner_feed(partner, fmt, limit=limit)
        seconds = time.perf_counter() - started
    return seconds, len(queries), built


def queries_by_limit(partner: Partner, limits: list[int]) -> dict[int, int]:
    return {limit: _timed_build(partner, "rss", limit)[1] for limit in limits}


def queries_with_fewer_articles(partner: Partner, live: int, limit: int) -> dict:
    """The same build with only ``live`` articles live (the rest unpublished inside a transaction
    that is rolled back): the query count must not depend on how many articles there are."""
    with transaction.atomic():
        keep = list(
            ArticlePage.objects.live().order_by("-first_published_at", "-pk").values_list("pk", flat=True)[:live]
        )
        ArticlePage.objects.live().exclude(pk__in=keep).update(live=False)
        seconds, queries, built = _timed_build(partner, "rss", limit)
        transaction.set_rollback(True)
    return {"live": len(keep), "queries": queries, "items": len(built.article_ids)}


def cached_request_cost(raw_token: str, *, requests: int = 200) -> dict:
    """SQL queries and Redis commands of a cached partner feed request, through the whole Django
    stack (middleware included) in this process, averaged over ``requests``."""
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host (DEBUG is off)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}
    client.get(feed_path(), **headers)  # cached from here on
    pickups.flush()  # an empty pickup list: no inline flush during the sample
    redis = pickups._client(settings.REDIS_URL)
    before = _command_calls(redis)
    with CaptureQueriesContext(connection) as queries:
        statuses = {client.get(feed_path(), **headers).status_code for _ in range(requests)}
    after = _command_calls(redis)
    after["info"] = after.get("info", 0) - 1  # the first INFO itself
    commands = {name: (after[name] - before.get(name, 0)) / requests for name in after}
    pickups.flush()
    return {
        "statuses": sorted(statuses),
        "queries": len(queries) / requests,
        "redis": {name: calls for name, calls in sorted(commands.items()) if calls},
    }


def _command_calls(redis) -> dict[str, int]:
    return {name.removeprefix("cmdstat_"): stats["calls"] for name, stats in redis.info("commandstats").items()}


def pickup_statuses(after_id: int) -> dict[int, int]:
    """Logged fetches newer than ``after_id`` by HTTP status (flushing the Redis list first, once
    the server's processes have pushed what they buffered)."""
    time.sleep(pickups.PUSH_EVERY_SECONDS + 0.5)
    pickups.flush()
    rows = FeedFetch.objects.filter(pk__gt=after_id).values_list("status", flat=True)
    counts: dict[int, int] = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


def last_pickup_id() -> int:
    time.sleep(pickups.PUSH_EVERY_SECONDS + 0.5)
    pickups.flush()
    return FeedFetch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
