"""POST each article change to a partner's webhook, signed (see ``channels.webhooks``).

The body carries the article as the partner's JSON Feed item (full text or summary, with its
attribution line, as the partner's feed shows it): ``{"event": "publish"|"update"|"unpublish",
"partner": slug, "item": {...}, "sent_at": ...}``; an unpublish carries only the item's ``id``.
The account is kept in step with the partner (``Partner.sync_webhook_account``).
"""

import uuid

from .. import http, webhooks
from ..feeds.build import partner_selection
from ..feeds.formats import json_item
from ..feeds.items import feed_item
from ..models import Delivery
from ..transports import base
from ..transports.base import Delivered, Failure, Post


class Transport(base.Transport):
    supports_edit = True
    supports_retract = True

    def __init__(self, account, options=None):
        super().__init__(account, options)
        self.partner = account.partner
        self.timeout = http.timeouts(self.options, default_read=10)

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        return self._article_event("publish", post, attempt_key)

    def edit(self, external_id: str, post: Post) -> Delivered | Failure:
        return self._article_event("update", post, str(uuid.uuid4()))

    def retract(self, external_id: str) -> Delivered | Failure:
        failure = self._post("unpublish", {"id": external_id}, str(uuid.uuid4()))
        return failure or Delivered(external_id=external_id, note="unpublish sent")

    def _article_event(self, event: str, post: Post, delivery_key: str) -> Delivered | Failure:
        if self.partner is None:
            return Failure(Delivery.ErrorKind.CONFIG, "This webhook account belongs to no partner.")
        item = feed_item(partner_selection(self.partner), post.extra["id"])
        if item is None:
            return Failure.rejected(
                "The article is not in this partner's feed (unpublished, private, or outside its categories).",
                "Nothing to send; check the partner's categories and source units if it should be.",
            )
        failure = self._post(event, json_item(item), delivery_key)
        return failure or Delivered(external_id=item.guid, external_url=item.url, note=f"{event} sent")

    def _post(self, event: str, item: dict, delivery_key: str) -> Failure | None:
        return webhooks.post(
            self.account.external_id,
            self.account.token,
            event=event,
            payload={"partner": self.partner.slug if self.partner else "", "item": item},
            delivery_key=delivery_key,
            timeout=self.timeout,
            receiver="partner's webhook",
        )
