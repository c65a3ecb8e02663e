from .accounts import Channel, ChannelAccount
from .deliveries import Delivery, DeliveryEvent
from .outbox import OutboxMessage
from .partners import Partner, PartnerToken
from .selection import ArticleChannel

__all__ = [
    "ArticleChannel",
    "Channel",
    "ChannelAccount",
    "Delivery",
    "DeliveryEvent",
    "OutboxMessage",
    "Partner",
    "PartnerToken",
]
