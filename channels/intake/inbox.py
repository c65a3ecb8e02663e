"""What staff do with intake: add a feed, turn an item into a draft article, or dismiss it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from hub.models import ArticlePage, NewsIndexPage, SourceUnit

from ..models import IntakeItem, UnitFeed
from ..outbound import url_problem
from ..text import cut_at_word

SUMMARY_MAX = 300  # ArticlePage.summary's limit


def add_feed(source_unit: SourceUnit, url: str) -> UnitFeed:
    """A new feed for the unit; ValidationError when Siar will not fetch the address or has it already."""
    url = url.strip()
    if problem := url_problem(url):
        raise ValidationError(problem)
    if UnitFeed.objects.filter(source_unit=source_unit, url=url).exists():
        raise ValidationError(_("%(unit)s already has this feed.") % {"unit": source_unit})
    return UnitFeed.objects.create(source_unit=source_unit, url=url)


def create_draft(item: IntakeItem, user=None) -> ArticlePage:
    """An unpublished article under the first news index, pre-filled from the item and credited to its unit."""
    with transaction.atomic():
        item = IntakeItem.objects.select_for_update().select_related("source_unit").get(pk=item.pk)
        if item.state == IntakeItem.State.DRAFTED and item.draft_id:
            return item.draft
        parent = NewsIndexPage.objects.order_by("path").first()
        if parent is None:
            raise ValidationError(_("There is no news index page to put the draft under."))
        summary = cut_at_word(item.summary, SUMMARY_MAX) if item.summary else item.title[:SUMMARY_MAX]
        body = []
        if item.summary:
            body.append({"type": "paragraph", "value": format_html("<p>{}</p>", item.summary)})
        if item.link:
            body.append(
                {
                    "type": "paragraph",
                    "value": format_html(
                        '<p>{} <a href="{}">{}</a></p>', _("Source:"), item.link, item.source_unit.name
                    ),
                }
            )
        page = ArticlePage(
            live=False,
            title=item.title[:255],
            summary=summary,
            source_unit=item.source_unit,
            body=body,
            owner=user if user and user.is_authenticated else None,
        )
        # A draft, as Wagtail's own "create page" saves one: minimal validation only. The category is
        # left for staff to choose in the editor (publishing asks for it).
        parent.add_child(instance=page)
        page.save_revision(user=user if user and user.is_authenticated else None, log_action=True, clean=False)
        item.state = IntakeItem.State.DRAFTED
        item.draft = page
        item.handled_by = user if user and user.is_authenticated else None
        item.handled_at = timezone.now()
        item.save(update_fields=["state", "draft", "handled_by", "handled_at"])
    return page


def dismiss(item: IntakeItem, user=None) -> None:
    item.state = IntakeItem.State.DISMISSED
    item.handled_by = user if user and user.is_authenticated else None
    item.handled_at = timezone.now()
    item.save(update_fields=["state", "handled_by", "handled_at"])
