"""Facebook Page posts through the Graph API: ``/{page}/feed`` (link) or ``/{page}/photos``.

Options: ``BASE_URL`` (default ``settings.FACEBOOK_GRAPH_URL``), ``TIMEOUT`` (read timeout in
seconds), ``WEB_URL`` (where post links point, default https://www.facebook.com). The account's
``external_id`` is the Page ID and its token a Page access token.
"""

from django.conf import settings

from .. import http
from ..graph import DUPLICATE_CODE, GraphClient
from ..transports import base
from ..transports.base import Delivered, Failure, LookupFailed, Post

LOOKUP_LIMIT = 25
LOOKUP_FIELDS = "id,message,permalink_url,created_time,attachments{unshimmed_url}"
MISSING_OBJECT_SUBCODE = 33


class Transport(base.Transport):
    supports_edit = True
    supports_retract = True
    platform = "Facebook"

    def __init__(self, account, options=None):
        super().__init__(account, options)
        base_url = self.options.get("BASE_URL") or settings.FACEBOOK_GRAPH_URL
        self.client = GraphClient(base_url, account.token, platform=self.platform, timeout=http.timeouts(self.options))
        self.web_url = str(self.options.get("WEB_URL", "https://www.facebook.com")).rstrip("/")
        self.page_id = account.external_id

    def send(self, post: Post, *, attempt_key: str) -> Delivered | Failure:
        if post.kind == "photo":
            answer = self.client.call(
                "POST", f"/{self.page_id}/photos", data={"url": post.image_url, "message": post.text}
            )
        else:
            answer = self.client.call("POST", f"/{self.page_id}/feed", data={"message": post.text, "link": post.link})
        if isinstance(answer, Failure):
            error = self.client.last_error
            if error is not None and error.code == DUPLICATE_CODE:
                return self._adopt_duplicate(post, answer)
            return answer
        post_id = str(answer.get("post_id") or answer["id"])  # a photo answers with its post's id too
        return Delivered(external_id=post_id, external_url=self.post_url(post_id))

    def _adopt_duplicate(self, post: Post, failure: Failure) -> Delivered | Failure:
        """Code 506: the Page already has this message. Adopt that post rather than fail."""
        try:
            found = self.lookup(post, attempt_key="")
        except LookupFailed as exc:
            return exc.failure
        if found is not None:
            return Delivered(found.external_id, found.external_url, note="Facebook reported a duplicate: adopted it")
        return Failure.rejected(failure.message, "Facebook already has this text on the Page: change the text.")

    def edit(self, external_id: str, post: Post) -> Delivered | Failure:
        answer = self.client.call("POST", f"/{external_id}", data={"message": post.text})
        return answer if isinstance(answer, Failure) else Delivered(external_id, self.post_url(external_id))

    def retract(self, external_id: str) -> Delivered | Failure:
        answer = self.client.call("DELETE", f"/{external_id}")
        error = self.client.last_error
        if isinstance(answer, Failure) and not (
            error and error.code == 100 and error.subcode == MISSING_OBJECT_SUBCODE
        ):
            return answer
        note = "post removed" if not isinstance(answer, Failure) else "the post was already gone"
        return Delivered(external_id, note=note)

    def lookup(self, post: Post, *, attempt_key: str) -> Delivered | None:
        """The Page's recent post that shares this article's link (attached to a link post, written
        in a photo post's text). Not the text: an edit between two attempts changes it."""
        params = {"fields": LOOKUP_FIELDS, "limit": LOOKUP_LIMIT}
        answer = self.client.call("GET", f"/{self.page_id}/feed", params=params)
        if isinstance(answer, Failure):
            message = f"could not list the Page's posts: {answer.message}"
            raise LookupFailed(Failure(answer.kind, message, answer.hint, answer.retry_after))
        for item in answer.get("data", []):
            if _shares(item, post):
                url = item.get("permalink_url") or self.post_url(item["id"])
                return Delivered(item["id"], url, note=f"adopted post {item['id']} made by an interrupted attempt")
        return None

    def post_url(self, post_id: str) -> str:
        return f"{self.web_url}/{post_id}"


def _shares(item: dict, post: Post) -> bool:
    if post.kind == "photo":
        return post.link in (item.get("message") or "")
    return post.link in _attached_links(item)


def _attached_links(item: dict) -> set[str]:
    attachments = (item.get("attachments") or {}).get("data") or []
    return {attachment.get("unshimmed_url") for attachment in attachments if isinstance(attachment, dict)}
