"""Instagram (professional account) posts through the Graph API's content publishing.

Publishing takes three steps: create a media container (Instagram then fetches the image or
video from its public URL), wait until the container is ``FINISHED``, publish it. A carousel
(``kind="carousel"``, image URLs in ``extra["children"]``) first creates one container per image
(``is_carousel_item``), then the carousel container that lists them, which then goes through the
same steps. The container is remembered in the cache, so an attempt that gave up while Instagram
was still processing is continued by the next one instead of creating a second container.

Options: ``BASE_URL`` (default ``settings.INSTAGRAM_GRAPH_URL``), ``TIMEOUT`` (read timeout, s),
``POLL_INTERVAL`` (first wait between status checks, s; doubles up to ``MAX_POLL_INTERVAL``),
``CONTAINER_WAIT_SECONDS`` (how long one attempt waits for the container), ``QUOTA_RECHECK_SECONDS``
(wait when the daily publishing limit is used up). The account's ``external_id`` is the Instagram
user ID and its token an access token with ``instagram_content_publish``.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from .. import http
from ..graph import IG_IMAGE_HINTS, IG_RETRYABLE_SUBCODES, GraphClient
from ..text import plain_url
from ..transports import base
from ..transports.base import Delivered, ErrorKind, Failure, LookupFailed, Post, Unsupported

logger = logging.getLogger("siar.channels.instagram")

CONTAINER_TTL_SECONDS = 23 * 3600  # Instagram expires unpublished containers after 24 hours
LOOKUP_LIMIT = 25
PUBLISHING_LIMIT = (9, 2207042)  # code, subcode: the account's daily publishing limit is used up
MISSING_OBJECT = (100, 33)  # code, subcode: "Object with ID … does not exist"
# Container errors after which the container itself is useless: a new one is needed.
SPENT_CONTAINER_SUBCODES = frozenset({2207020, 2207032})
ERROR_CODE_IN_STATUS = re.compile(r"error code (\d+)", re.IGNORECASE)
DEFAULTS = {
    "POLL_INTERVAL": 1.0,
    "MAX_POLL_INTERVAL": 10.0,
    "CONTAINER_WAIT_SECONDS": 120.0,
    "QUOTA_RECHECK_SECONDS": 3600.0,
}
MEDIA_HINT = (
    "Check that the image is a JPEG under 8 MB, 320 to 1,440 px wide, between 4:5 and 1.91:1, "
    "and that its address is public; then retry."
)


class Transport(base.Transport):
    supports_edit = False  # the API cannot change a published caption
    supports_retract = False  # nor delete a post
    platform = "Instagram"

    def __init__(self, account, options=None):
        super().__init__(account, options)
        base_url = self.options.get("BASE_URL") or settings.INSTAGRAM_GRAPH_URL
        self.client = GraphClient(base_url, account.token, platform=self.platform, timeout=http.timeouts(self.options))
        self.user_id = account.external_id
        seconds = {name: _seconds(self.options, name, default) for name, default in DEFAULTS.items()}
        self.poll_interval = seconds["POLL_INTERVAL"]
        self.max_poll_interval = seconds["MAX_POLL_INTERVAL"]
        self.container_wait = seconds["CONTAINER_WAIT_SECONDS"]
        self.quota_recheck = seconds["QUOTA_RECHECK_SECONDS"]
        self.sleep = time.sleep  # tests replace both with a fake clock
        self.clock = time.monotonic

    # --- publishing ----------------------------------------------------------------------

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        quota = self._check_quota()
        if quota is not None:
            return quota
        key = self._container_key(post)
        container_id = cache.get(key)
        if container_id is None:
            created = self._create_container(post)
            if isinstance(created, Failure):
                return created
            container_id = created
            cache.set(key, container_id, CONTAINER_TTL_SECONDS)
        else:
            logger.info("account %s: continuing with container %s", self.account.pk, container_id)
        ready = self._wait_until_finished(container_id, key, post)
        if ready is not None:
            return ready
        return self._publish(container_id, key)

    def _check_quota(self) -> Failure | None:
        """A rate-limited failure when the account's daily publishing limit is used up."""
        answer = self.client.call(
            "GET", f"/{self.user_id}/content_publishing_limit", params={"fields": "quota_usage,config"}
        )
        if isinstance(answer, Failure):
            return answer
        try:
            [limit] = answer["data"]
            usage, config = int(limit["quota_usage"]), limit["config"]
            total, duration = int(config["quota_total"]), float(config.get("quota_duration") or 86400)
        except (KeyError, TypeError, ValueError):
            logger.warning("account %s: unreadable publishing limit %r; publishing anyway", self.account.pk, answer)
            return None
        if usage < total:
            return None
        return Failure.rate_limited(
            f"Instagram's publishing limit is used up: {usage} of {total} posts in {duration / 3600:g} hours.",
            self.quota_recheck,
            "Nothing to do: Siar publishes the post once Instagram's limit allows it.",
        )

    def _create_container(self, post: Post) -> str | Failure:
        if post.kind == "reels":
            data = {"media_type": "REELS", "video_url": post.video_url, "caption": post.text}
        elif post.kind == "carousel":
            children = []
            for url in _children(post):
                child = self._call_create({"image_url": url, "is_carousel_item": "true"})
                if isinstance(child, Failure):
                    return child
                children.append(child)
            data = {"media_type": "CAROUSEL", "children": ",".join(children), "caption": post.text}
        else:
            data = {"image_url": post.image_url, "caption": post.text}
        return self._call_create(data)

    def _call_create(self, data: dict) -> str | Failure:
        answer = self.client.call("POST", f"/{self.user_id}/media", data=data)
        if isinstance(answer, Failure):
            return answer
        if not answer.get("id"):
            return Failure.retryable("Instagram created no media container (its answer had no id).")
        logger.info("account %s: created container %s", self.account.pk, answer["id"])
        return str(answer["id"])

    def _wait_until_finished(self, container_id: str, key: str, post: Post) -> Delivered | Failure | None:
        """None once the container is ready to publish; else the attempt's result (polls with backoff)."""
        deadline = self.clock() + self.container_wait
        wait = self.poll_interval
        while True:
            answer = self.client.call("GET", f"/{container_id}", params={"fields": "status_code,status"})
            if isinstance(answer, Failure):
                return self._status_failure(answer, key)
            status_code, status = answer.get("status_code"), str(answer.get("status") or "")
            if status_code == "FINISHED":
                return None
            if status_code == "ERROR":
                cache.delete(key)
                return _container_error(container_id, status)
            if status_code == "EXPIRED":
                cache.delete(key)
                return Failure.retryable(
                    f"Instagram's media container {container_id} expired before it was published; "
                    "the next attempt makes a new one."
                )
            if status_code == "PUBLISHED":  # an earlier attempt published it, then lost the answer
                return self._adopt_published(container_id, key, post)
            remaining = deadline - self.clock()
            if remaining <= 0:
                return Failure.retryable(
                    f"Instagram is still processing the media (container {container_id}, {status or status_code}); "
                    "the next attempt continues with it."
                )
            self.sleep(min(wait, remaining))
            wait = min(wait * 2, self.max_poll_interval)

    def _status_failure(self, failure: Failure, key: str) -> Failure:
        error = self.client.last_error
        if error is not None and (error.code, error.subcode) == MISSING_OBJECT:
            cache.delete(key)  # the container is gone: the next attempt makes a new one
            return Failure.retryable(f"Instagram no longer knows the media container: {error.describe()}")
        return failure

    def _adopt_published(self, container_id: str, key: str, post: Post) -> Delivered | Failure:
        try:
            found = self.lookup(post, attempt_key="")
        except LookupFailed as exc:  # the container stays remembered: the next attempt asks again
            return exc.failure
        cache.delete(key)
        if found is not None:
            return found
        return Failure.rejected(
            f"Instagram says container {container_id} was already published, but its post is not among "
            "the account's recent posts.",
            "Check the Instagram account: if the post is missing, retry the delivery.",
        )

    def _publish(self, container_id: str, key: str) -> Delivered | Failure:
        answer = self.client.call("POST", f"/{self.user_id}/media_publish", data={"creation_id": container_id})
        if isinstance(answer, Failure):
            error = self.client.last_error
            if answer.kind == ErrorKind.REJECTED or (error is not None and error.subcode in SPENT_CONTAINER_SUBCODES):
                cache.delete(key)
            if error is not None and (error.code, error.subcode) == PUBLISHING_LIMIT:
                # The daily limit frees up slowly: wait as long as when the quota check says so.
                answer = Failure(answer.kind, answer.message, answer.hint, self.quota_recheck)
            return answer  # otherwise (rate limit, 5xx, no answer) the container is kept for the next attempt
        cache.delete(key)
        media_id = str(answer.get("id") or "")
        if not media_id:
            return Failure.retryable("Instagram answered the publish request without the post's id.")
        logger.info("account %s: published container %s as media %s", self.account.pk, container_id, media_id)
        return Delivered(media_id, self._permalink(media_id))

    def _permalink(self, media_id: str) -> str:
        """The post's address; "" when Instagram does not say (the post is published all the same)."""
        answer = self.client.call("GET", f"/{media_id}", params={"fields": "permalink"})
        if isinstance(answer, Failure):
            logger.warning("media %s: no permalink: %s", media_id, answer.message)
            return ""
        return str(answer.get("permalink") or "")

    def _container_key(self, post: Post) -> str:
        if post.kind == "reels":
            media_url = post.video_url
        elif post.kind == "carousel":
            media_url = "\0".join(_children(post))
        else:
            media_url = post.image_url
        digest = hashlib.sha256(f"{post.kind}\0{post.text}\0{media_url}".encode()).hexdigest()[:32]
        return f"siar:instagram:container:{self.account.pk}:{digest}"

    # --- what the API cannot do, and finding earlier posts -------------------------------------

    def edit(self, external_id: str, post: Post) -> Unsupported:
        return Unsupported("Instagram's API cannot change a caption: edit the post in the Instagram app.")

    def retract(self, external_id: str) -> Unsupported:
        return Unsupported("Instagram's API cannot delete a post: delete or archive it in the Instagram app.")

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        """The account's recent post whose caption gives the article's address (as the read-more line
        writes it), or, failing that, has exactly this caption.

        The address, not the caption, identifies the article: an article edited between an attempt
        whose answer was lost and the retry has a new caption, and must not be posted twice.
        """
        params = {"fields": "id,caption,permalink,timestamp", "limit": LOOKUP_LIMIT}
        answer = self.client.call("GET", f"/{self.user_id}/media", params=params)
        if isinstance(answer, Failure):
            raise LookupFailed(
                Failure(
                    answer.kind,
                    f"could not list the Instagram account's posts: {answer.message}",
                    answer.hint,
                    answer.retry_after,
                )
            )
        gives_address = _address_pattern(post.link)
        for item in answer.get("data", []):
            caption = (item.get("caption") or "").strip()
            same = caption == post.text.strip() or (gives_address is not None and gives_address.search(caption))
            if same and item.get("id"):
                cache.delete(self._container_key(post))
                note = f"adopted Instagram post {item['id']} made by an interrupted attempt"
                return Delivered(str(item["id"]), str(item.get("permalink") or ""), note=note)
        return None


def _container_error(container_id: str, status: str) -> Failure:
    """A container that ended in ERROR: retryable for Instagram's own hiccups, else rejected with a hint."""
    match = ERROR_CODE_IN_STATUS.search(status)
    subcode = int(match.group(1)) if match else None
    message = f"Instagram could not process the media (container {container_id}): {status or 'ERROR'}"
    if subcode in IG_RETRYABLE_SUBCODES:
        return Failure.retryable(message)
    return Failure.rejected(message, IG_IMAGE_HINTS.get(subcode, MEDIA_HINT))


def _children(post: Post) -> list[str]:
    return [str(url) for url in (post.extra or {}).get("children") or []]


def _address_pattern(link: str) -> re.Pattern | None:
    """Finds ``plain_url(link)`` in a caption as a whole address (``…/berita/pasar`` is not found in
    ``…/berita/pasar-murah``); None when there is no link."""
    address = plain_url(link)
    if not address:
        return None
    return re.compile(r"(?<![\w./-])" + re.escape(address) + r"(?![\w-]|[/.?#][\w-])", re.IGNORECASE)


def _seconds(options: dict, name: str, default: float) -> float:
    value = options.get(name, default)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if seconds < 0:
        raise ImproperlyConfigured(f"Instagram option {name} must be a number of seconds, not {value!r}")
    return seconds
