from .accounts import Channel, ChannelAccount
from .deliveries import Delivery, DeliveryEvent
from .intake import IntakeItem, UnitFeed
from .outbox import OutboxMessage
from .partners import Partner, PartnerToken
from .pickups import FeedFetch
from .selection import ArticleChannel

__all__ = [
    "ArticleChannel",
    "Channel",
    "ChannelAccount",
    "Delivery",
    "DeliveryEvent",
    "FeedFetch",
    "IntakeItem",
    "OutboxMessage",
    "Partner",
    "PartnerToken",
    "UnitFeed",
]
