"""The interface every channel transport implements, and the results it returns.

Like Django's e-mail backends: a transport is built per account with its options, sends a
``Post`` and answers with a result instead of raising. The engine (workers/) turns results
into delivery states; transports never touch the database.
"""

from dataclasses import asdict, dataclass, field
from typing import ClassVar

from ..models import ChannelAccount, Delivery

ErrorKind = Delivery.ErrorKind


@dataclass(frozen=True)
class Limit:
    """One of the platform's limits, as the editor's preview counts it."""

    name: str  # e.g. "caption", "hashtags"
    used: int
    maximum: int
    unit: str = "characters"

    @property
    def exceeded(self) -> bool:
        return self.used > self.maximum


@dataclass(frozen=True)
class Post:
    """What a channel will publish: the output of ``adapt()``, stored as the payload snapshot.

    ``problems`` are broken platform rules that Siar cannot fix by itself: a post with problems
    is held (failed, with the reasons) instead of being sent to be rejected. ``notices`` are
    things the editor should know (text shortened, image URL not public, …) that do not stop it.
    """

    channel: str
    text: str
    link: str
    title: str = ""
    kind: str = ""  # the platform's post type: "link", "photo", "image", "video", "community", …
    image_url: str = ""
    video_url: str = ""
    extra: dict = field(default_factory=dict)
    limits: tuple[Limit, ...] = ()
    problems: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    by_hand: str = ""  # why staff must make this post themselves (the platform has no API for it)

    def as_payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Delivered:
    external_id: str
    external_url: str = ""
    note: str = ""
    adopted: bool = False  # found by lookup: a post an earlier attempt made, perhaps of an older version


@dataclass(frozen=True)
class Failure:
    kind: str  # an ErrorKind value
    message: str
    hint: str = ""
    retry_after: float | None = None  # seconds, when the platform said how long to wait

    @classmethod
    def retryable(cls, message: str, hint: str = "", retry_after: float | None = None) -> "Failure":
        return cls(ErrorKind.RETRYABLE, message, hint, retry_after)

    @classmethod
    def rate_limited(cls, message: str, retry_after: float | None, hint: str = "") -> "Failure":
        return cls(ErrorKind.RATE_LIMITED, message, hint, retry_after)

    @classmethod
    def auth(cls, message: str, hint: str = "") -> "Failure":
        return cls(ErrorKind.AUTH, message, hint or "Reconnect the account (channels connect …) and retry.")

    @classmethod
    def rejected(cls, message: str, hint: str = "") -> "Failure":
        return cls(ErrorKind.REJECTED, message, hint)


@dataclass(frozen=True)
class Unsupported:
    """The platform cannot do this operation through its API: staff must do it by hand."""

    reason: str


Result = Delivered | Failure | Unsupported


class LookupFailed(Exception):
    """The platform could not say whether an earlier attempt posted: the engine must not post again
    yet. Carries the lookup's own failure (auth, rate limit, …) so the delivery gets its real class."""

    def __init__(self, failure: Failure):
        super().__init__(failure.message)
        self.failure = failure


class Transport:
    """Base class. Subclasses set the class flags and implement what their platform allows."""

    supports_edit: ClassVar[bool] = False
    supports_retract: ClassVar[bool] = False
    is_outbox: ClassVar[bool] = False

    def __init__(self, account: ChannelAccount, options: dict | None = None):
        self.account = account
        self.options = options or {}

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        raise NotImplementedError

    def edit(self, external_id: str, post: Post) -> Result:
        return Unsupported(f"{self.account.get_channel_display()} posts cannot be edited through its API.")

    def retract(self, external_id: str) -> Result:
        return Unsupported(f"{self.account.get_channel_display()} posts cannot be removed through its API.")

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        """Find a post made by an earlier attempt that crashed before recording it, if any."""
        return None
