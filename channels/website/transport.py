"""POST a JSON event to the website's revalidation hook, signed (see ``channels.webhooks``).

The account's ``external_id`` is the hook URL and its token the shared secret. Events: publish,
update, unpublish. Options: ``TIMEOUT`` (read timeout, seconds, default 10).
"""

import uuid

from .. import http, webhooks
from ..transports import base
from ..transports.base import Delivered, Failure, Post

signature = webhooks.signature  # the receiver example in docs/channels.md imports it from here


class Transport(base.Transport):
    supports_edit = True
    supports_retract = True

    def __init__(self, account, options=None):
        super().__init__(account, options)
        self.url = account.external_id
        self.timeout = http.timeouts(self.options, default_read=10)

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        return self._notify("publish", _article(post), attempt_key)

    def edit(self, external_id: str, post: Post) -> Delivered | Failure:
        return self._notify("update", _article(post), str(uuid.uuid4()))

    def retract(self, external_id: str) -> Delivered | Failure:
        return self._notify("unpublish", {"id": int(external_id)}, str(uuid.uuid4()))

    def _notify(self, event: str, article: dict, delivery_key: str) -> Delivered | Failure:
        failure = webhooks.post(
            self.url,
            self.account.token,
            event=event,
            payload={"article": article},
            delivery_key=delivery_key,
            timeout=self.timeout,
            receiver="website's hook",
        )
        if failure is not None:
            return failure
        return Delivered(external_id=str(article["id"]), external_url=article.get("url", ""), note=f"{event} sent")


def _article(post: Post) -> dict:
    return {
        "id": post.extra["id"],
        "title": post.title,
        "url": post.link,
        "path": post.extra.get("path", ""),
        "api_url": post.extra.get("api_url", ""),
    }
