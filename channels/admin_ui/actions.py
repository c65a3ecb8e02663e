"""Extension points through which ``workers`` adds actions to the channels admin.

``channels`` renders deliveries and accounts but never enqueues, so the buttons that retry a
delivery or reconnect an account come from Wagtail hooks that ``workers/wagtail_hooks.py``
registers:

- ``siar_delivery_actions``: ``fn(request, delivery)`` → iterable of :class:`DeliveryAction`,
  shown next to one delivery (article editor, delivery detail). Each is POSTed (with CSRF and
  ``next``), or followed as a link when its ``method`` is "get".
- ``siar_delivery_bulk_actions``: ``fn(request, queryset)`` → iterable of :class:`DeliveryAction`
  for the deliveries report; ``queryset`` holds the deliveries matching the current filters.
- ``siar_after_channel_account_save``: ``fn(request, account, *, token_changed)``, after an
  account was saved in the admin (inside its transaction).
"""

from dataclasses import dataclass

from wagtail import hooks

DELIVERY_ACTIONS_HOOK = "siar_delivery_actions"
DELIVERY_BULK_ACTIONS_HOOK = "siar_delivery_bulk_actions"
ACCOUNT_SAVED_HOOK = "siar_after_channel_account_save"


@dataclass(frozen=True)
class DeliveryAction:
    label: str
    url: str
    icon: str = ""
    primary: bool = False
    method: str = "post"  # "get": a link to a page (e.g. a form) rather than a button that acts at once


def delivery_actions(request, delivery) -> list[DeliveryAction]:
    return [action for fn in hooks.get_hooks(DELIVERY_ACTIONS_HOOK) for action in fn(request, delivery)]


def delivery_bulk_actions(request, queryset) -> list[DeliveryAction]:
    return [action for fn in hooks.get_hooks(DELIVERY_BULK_ACTIONS_HOOK) for action in fn(request, queryset)]


def account_saved(request, account, *, token_changed: bool) -> None:
    for fn in hooks.get_hooks(ACCOUNT_SAVED_HOOK):
        fn(request, account, token_changed=token_changed)
