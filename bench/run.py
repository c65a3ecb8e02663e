"""The measurements of bench/fanout.py (imported once Django is set up).

Times are wall-clock (``time.time()`` here, ``Delivery.delivered_at`` in the workers): the
bench and its workers run on one machine.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from itertools import count

import dramatiq
from django.db import connection, transaction
from django.db.models import Min
from wagtail.models import Page

from bench.actors import NOOP_QUEUE, bench_noop
from channels.models import ArticleChannel, ChannelAccount, Delivery, DeliveryEvent
from hub.models import ArticlePage, Category, HomePage, NewsIndexPage, SourceUnit

WAIT_LIMIT = 120.0  # seconds any one phase may take
ACCOUNTS = [  # (channel, external id): each with a token, so each posts to the fake platform
    ("facebook", "bench-fb-pemkab"),
    ("facebook", "bench-fb-diskominfo"),
    ("instagram", "bench-ig"),
    ("youtube", "bench-yt"),
    ("website", "bench-web"),
]
State = Delivery.State


class BenchFailed(Exception):
    pass


class Bench:
    def __init__(self, fake, *, articles: int, singles: int):
        self.fake = fake
        self.articles, self.singles = articles, singles
        self.broker = dramatiq.get_broker()
        self.run_id = time.strftime("%Y%m%d%H%M%S")
        self.serial = count(1)
        self.news, self.category, self.source_unit = self._tree()
        self.accounts = self._accounts()
        # Accounts outside the bench that would take every article (e.g. demo data): switched off.
        self.others = list(
            ChannelAccount.objects.filter(default_for_all_categories=True).exclude(pk__in=[a.pk for a in self.accounts])
        )

    # --- phases --------------------------------------------------------------------------

    def wait_for_workers(self) -> None:
        """Warm-up and readiness probe: the workers have drained a first batch of no-ops."""
        self._noop(200)

    def run(self, *, latencies: list[float], noop_messages: int) -> dict:
        raw = self._noop(noop_messages)
        runs = []
        for latency in latencies:
            self.fake.latency = latency
            before = {account.external_id: len(self.fake.posts(account.external_id)) for account in self.accounts}
            burst, single = self._burst(), self._singles()
            runs.append(
                {
                    "latency_ms": round(latency * 1000),
                    "burst": burst,
                    "single": single,
                    "duplicates": self._duplicates(),
                    "undelivered": burst["undelivered"] + single["undelivered"],
                    "posts": sum(len(self.fake.posts(a.external_id)) - before[a.external_id] for a in self.accounts),
                }
            )
        return {"database": f"{connection.vendor} ({connection.settings_dict['NAME']})", "raw": raw, "runs": runs}

    def _noop(self, messages: int) -> dict:
        """Raw Dramatiq: enqueue no-op messages and wait until every one is acknowledged."""
        key = f"{self.broker.namespace}:{NOOP_QUEUE}.msgs"  # a message leaves this hash when acked
        started = time.monotonic()
        for _ in range(messages):
            bench_noop.send()
        enqueued = time.monotonic()
        self._wait(lambda: self.broker.client.hlen(key) == 0, "no-op messages were not all processed")
        seconds = time.monotonic() - started
        return {
            "messages": messages,
            "seconds": seconds,
            "rate": messages / seconds,
            "enqueue_seconds": enqueued - started,
        }

    def _burst(self) -> dict:
        """N articles published in one transaction: 5×N deliveries queued at once, at commit."""
        drafts = [self._draft() for _ in range(self.articles)]
        started = time.time()
        with transaction.atomic():
            for page in drafts:
                page.save_revision().publish()
            committing = time.time()
        published = dict.fromkeys((page.pk for page in drafts), committing)  # visible to workers from here
        deliveries = Delivery.objects.filter(article_id__in=published)
        self._wait_settled(deliveries, len(drafts) * len(self.accounts))
        stats = self._stats(deliveries, published)
        last = stats.pop("last_delivered")
        first_sending = DeliveryEvent.objects.filter(delivery__in=deliveries, to_state=State.SENDING).aggregate(
            first=Min("created_at")
        )["first"]
        delivered = len(stats["per_delivery"])
        return {
            **stats,
            "articles": len(drafts),
            "publish_seconds": committing - started,
            "seconds": last - committing,
            "rate": delivered / (last - committing),
            "worker_rate": delivered / (last - first_sending.timestamp()),
        }

    def _singles(self) -> dict:
        """Articles published one at a time, each after the previous one is fully delivered."""
        per_delivery, per_article, undelivered = [], [], 0
        for _ in range(self.singles):
            page = self._draft()
            published = {page.pk: time.time()}
            page.save_revision().publish()
            deliveries = Delivery.objects.filter(article_id=page.pk)
            self._wait_settled(deliveries, len(self.accounts), poll=0.005)
            stats = self._stats(deliveries, published)
            per_delivery += stats["per_delivery"]
            per_article += stats["per_article"]
            undelivered += stats["undelivered"]
        return {
            "articles": self.singles,
            "per_delivery": per_delivery,
            "per_article": per_article,
            "undelivered": undelivered,
        }

    # --- helpers -------------------------------------------------------------------------

    def _stats(self, deliveries, published: dict[int, float]) -> dict:
        rows = list(deliveries.values_list("article_id", "state", "delivered_at"))
        per_delivery, by_article = [], defaultdict(list)
        for article_id, state, delivered_at in rows:
            if state == State.DELIVERED:
                seconds = delivered_at.timestamp() - published[article_id]
                per_delivery.append(seconds)
                by_article[article_id].append(seconds)
        complete = [max(times) for times in by_article.values() if len(times) == len(self.accounts)]
        last = max((at.timestamp() for _, state, at in rows if state == State.DELIVERED), default=time.time())
        return {
            "deliveries": len(rows),
            "per_delivery": per_delivery,
            "per_article": complete,
            "undelivered": len(rows) - len(per_delivery),
            "last_delivered": last,
        }

    def _wait_settled(self, deliveries, expected: int, poll: float = 0.05) -> None:
        def settled():
            return deliveries.count() == expected and not deliveries.filter(state__in=Delivery.ACTIVE_STATES).exists()

        self._wait(settled, f"{expected} deliveries did not settle", poll)

    def _wait(self, predicate: Callable[[], bool], failure: str, poll: float = 0.05) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        while not predicate():
            if time.monotonic() > deadline:
                raise BenchFailed(f"{failure} within {WAIT_LIMIT:.0f} s (see the workers' log)")
            time.sleep(poll)

    def _duplicates(self) -> int:
        return sum(
            count - 1
            for account in self.accounts
            for count in self.fake.posts_per_link(account.external_id).values()
            if count > 1
        )

    def _draft(self) -> ArticlePage:
        number = next(self.serial)
        page = self.news.add_child(
            instance=ArticlePage(
                title=f"Bench {self.run_id} #{number}",
                slug=f"bench-{self.run_id}-{number}",
                summary="Artikel uji beban: satu artikel, lima kanal.",
                category=self.category,
                source_unit=self.source_unit,
                live=False,
            )
        )
        choices = [
            ArticleChannel(article=page, account=account, sort_order=i) for i, account in enumerate(self.accounts)
        ]
        choices += [ArticleChannel(article=page, account=other, enabled=False) for other in self.others]
        ArticleChannel.objects.bulk_create(choices)
        return page

    def _tree(self) -> tuple[NewsIndexPage, Category, SourceUnit]:
        home = HomePage.objects.filter(slug="bench-home").first()
        if home is None:
            home = Page.get_first_root_node().add_child(instance=HomePage(title="Bench", slug="bench-home"))
        news = NewsIndexPage.objects.child_of(home).first()
        if news is None:
            news = home.add_child(instance=NewsIndexPage(title="Bench news", slug="bench-news"))
        category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        source_unit, _ = SourceUnit.objects.get_or_create(
            slug="bench", defaults={"name": "Bench", "kind": SourceUnit.Kind.SKPD}
        )
        return news, category, source_unit

    def _accounts(self) -> list[ChannelAccount]:
        accounts = []
        for channel, external_id in ACCOUNTS:
            account, _ = ChannelAccount.objects.update_or_create(
                channel=channel,
                name=f"Bench {external_id}",
                defaults={
                    "external_id": external_id,
                    "token": f"bench-token-{external_id}",
                    "status": ChannelAccount.Status.CONNECTED,
                    "is_active": True,
                    "default_for_all_categories": False,
                },
            )
            accounts.append(account)
        return accounts

    def clean_broker(self) -> None:
        """Drop this run's keys (queues, heartbeats, cache) from Redis."""
        client = self.broker.client
        for key in client.scan_iter(f"{self.broker.namespace}:*", count=500):
            client.delete(key)
