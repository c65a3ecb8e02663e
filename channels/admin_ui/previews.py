"""The editor's preview of each chosen channel's post: what ``adapt()`` makes of the article now.

Shown twice: as Wagtail's live-preview mode "Channel posts" (re-rendered from the unsaved form
as the editor types) and on the Syndication tab for the last saved version.
"""

import logging
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from wagtail.users.models import UserProfile

from ..models import ChannelAccount
from ..registry import adapt_for_account, get_transport
from ..selection import article_accounts
from ..snapshot import ArticleSnapshot
from ..transports.base import Post

logger = logging.getLogger("siar.channels.preview")


@dataclass(frozen=True)
class ChannelPreview:
    account: ChannelAccount
    post: Post | None
    error: str = ""  # when the adapter itself failed

    @property
    def outbox_only(self) -> bool:
        return not self.account.has_credentials

    @property
    def manual(self) -> bool:
        """The platform has no API for this kind of post: staff will post it by hand."""
        return self.post is not None and bool(self.post.by_hand)


def channel_previews(article) -> tuple[list[ChannelPreview], str]:
    """Previews for the article's accounts, and an error that stopped all of them ("" if none)."""
    accounts = article_accounts(article)
    if not accounts:
        return [], ""
    try:
        snapshot = ArticleSnapshot.from_page(article)
    except (OSError, ValueError) as exc:  # e.g. an image file missing from storage
        logger.warning("channel preview of article %s failed: %s", article.pk, exc)
        return [], str(_("The preview could not read the article's media: %(error)s")) % {"error": exc}
    overrides = {choice.account_id: choice.text_override for choice in article.channel_choices.all()}
    previews = []
    for account in accounts:
        try:
            post = adapt_for_account(snapshot, account, text_override=overrides.get(account.pk, ""))
            get_transport(account)  # a bad transport setting shows here, not only at publication
        except Exception as exc:  # one broken channel must not hide the others (logged)
            logger.exception("channel preview for %s failed", account)
            previews.append(ChannelPreview(account, None, f"{exc.__class__.__name__}: {exc}"))
        else:
            previews.append(ChannelPreview(account, post))
    return previews, ""


def preview_context(article) -> dict:
    previews, error = channel_previews(article)
    return {"previews": previews, "preview_error": error, "article": article}


def serve_channel_preview(article, request) -> TemplateResponse:
    """The "Channel posts" live-preview mode, in the editor's own admin language."""
    language = get_language()
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        language = UserProfile.get_for_user(request.user).get_preferred_language()
    with override(language):
        response = TemplateResponse(request, "siar_channels/preview/page.html", preview_context(article))
        return response.render()
