"""WebSub (W3C): tell the hub which feeds changed, so that subscribers fetch them at once.

One ``hub.mode=publish`` POST names every changed topic (``hub.url``, repeated). The hub then
fetches the topics (partner feeds are token-protected: hubs that cannot fetch them still
notify subscribers, who fetch with their token).
"""

from django.conf import settings
from django.urls import reverse

from hub.models import ArticlePage

from .. import http, outbound
from ..models import Partner
from ..transports.base import Failure
from .formats import FILE_NAMES


def topics_for(article: ArticlePage | None) -> list[str]:
    """The feed URLs an article's change touches: public, its category's, its partners'."""
    base = settings.SIAR_BASE_URL
    urls = [base + reverse(f"siar_feeds:public_{fmt}") for fmt in FILE_NAMES]
    if article is not None and article.category_id:
        urls += category_topics(article.category.slug)
    partners = Partner.objects.filter(is_active=True).prefetch_related("categories", "source_units")
    for partner in partners:
        if partner.is_serving() and (article is None or partner.receives(article)):
            urls += [base + reverse(f"siar_feeds:partner_{fmt}", args=[partner.slug]) for fmt in FILE_NAMES]
    return urls


def category_topics(slug: str) -> list[str]:
    return [settings.SIAR_BASE_URL + reverse(f"siar_feeds:category_{fmt}", args=[slug]) for fmt in FILE_NAMES]


def ping(topics: list[str]) -> Failure | None:
    """Notify ``WEBSUB_HUB_URL``; None when it accepted (2xx) or no hub is configured."""
    hub = settings.WEBSUB_HUB_URL
    if not hub or not topics:
        return None
    data = [("hub.mode", "publish"), *(("hub.url", topic) for topic in topics)]
    response = http.request("POST", hub, via=outbound.session(), data=data, timeout=(http.CONNECT_TIMEOUT, 10))
    if isinstance(response, Failure):
        return response
    if 200 <= response.status_code < 300:
        return None
    return Failure.retryable(f"the WebSub hub answered HTTP {response.status_code}: {response.text[:200].strip()}")
