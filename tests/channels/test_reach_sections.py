"""An article's reach view shows, with its views, where it was delivered and which partners picked it up."""

import pytest
from django.urls import reverse
from django.utils import timezone

from channels.models import Delivery, FeedFetch, Partner

pytestmark = pytest.mark.django_db


def test_reach_view_lists_deliveries_with_links_and_partner_pickups(
    client, make_article, facebook, settings, django_user_model
):
    settings.LANGUAGE_CODE = "en"
    article = make_article(title="Jembatan dibuka")
    other = make_article(title="Lain")
    Delivery.objects.filter(article=article, account=facebook).update(
        state=Delivery.State.DELIVERED, external_url="https://facebook.com/123_456"
    )
    radar = Partner.objects.create(name="PT Radar", slug="radar")
    kim = Partner.objects.create(name="KIM Maju", slug="kim")
    now = timezone.now()
    FeedFetch.objects.create(partner=radar, feed="partner", format="rss", status=200, fetched_at=now,
                             article_ids=[article.pk, other.pk], item_count=2)  # fmt: skip
    FeedFetch.objects.create(partner=kim, feed="partner", format="rss", status=200, fetched_at=now,
                             article_ids=[other.pk], item_count=1)  # fmt: skip

    client.post(f"/api/v2/views/{article.pk}/", HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Chrome/131")
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.invalid", "pw"))
    html = client.get(reverse("siar_reach:article", args=[article.pk])).content.decode()

    assert "https://facebook.com/123_456" in html
    assert "PT Radar" in html and "KIM Maju" not in html
