"""The outbox transport: records the exact request instead of sending it.

The default for accounts without credentials (like Django's console e-mail backend), so the
whole flow can be seen with no platform accounts. Results are labelled as not published.
"""

from django.conf import settings

from ..models import OutboxMessage
from .base import Delivered, Post, Transport


class OutboxTransport(Transport):
    supports_edit = True
    supports_retract = True
    is_outbox = True

    def _record(self, operation: str, request: dict, attempt_key: str | None = None) -> Delivered:
        message = OutboxMessage.objects.create(
            account=self.account, operation=operation, request=request, attempt_key=attempt_key
        )
        return self._delivered(message)

    def _delivered(self, message: OutboxMessage) -> Delivered:
        return Delivered(
            external_id=f"outbox:{message.pk}",
            external_url=f"{settings.SIAR_BASE_URL}/admin/outbox/{message.pk}/",
            note="Recorded in the outbox, not published: this account has no credentials.",
        )

    def send(self, post: Post, *, attempt_key: str) -> Delivered:
        return self._record("post", post.as_payload(), attempt_key)

    def edit(self, external_id: str, post: Post) -> Delivered:
        return self._record("edit", {"external_id": external_id, **post.as_payload()})

    def retract(self, external_id: str) -> Delivered:
        return self._record("retract", {"external_id": external_id})

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        message = OutboxMessage.objects.filter(account=self.account, attempt_key=attempt_key).first()
        return self._delivered(message) if message else None
