from .accounts import Channel, ChannelAccount
from .deliveries import Delivery, DeliveryEvent
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
    "OutboxMessage",
    "Partner",
    "PartnerToken",
]
