"""The page tree: HomePage → NewsIndexPage → ArticlePage."""

import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ArticleBodyBlock
from ..forms import ArticlePageForm
from ..previews import extra_preview_modes, preview_mode
from ..serializers import (
    CanonicalUrlField,
    CategoryField,
    HeroImageField,
    SourceUnitField,
    TagListField,
    VideoField,
    ViewCountField,
)

VIDEO_EXTENSIONS = {".mp4", ".webm", ".mov"}


class HomePage(Page):
    """The site root. The hub is headless; this page only anchors the tree."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["hub.NewsIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["hub.ArticlePage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.live()
            .child_of(self)
            .select_related("category", "source_unit")
            .order_by("-first_published_at")[:50]
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("hub.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticlePage(Page):
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("The lead (at most 300 characters). Also the default text for social media."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the hero image shows, for readers who cannot see it. Required with a hero image."),
    )
    category = models.ForeignKey(
        "hub.Category",
        verbose_name=_("category"),
        null=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    source_unit = models.ForeignKey(
        "hub.SourceUnit",
        verbose_name=_("source unit"),
        null=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The work unit, sub-district or KIM the news comes from."),
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An MP4, WebM or MOV file for video news."),
    )
    video_url = models.URLField(
        _("video URL"),
        blank=True,
        help_text=_("Or a link to a video already online (e.g. YouTube)."),
    )
    # Channel selection and per-channel overrides are added by the syndication engine.

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("source_unit"), FieldPanel("tags")],
            heading=_("Classification"),
        ),
        MultiFieldPanel([FieldPanel("video_file"), FieldPanel("video_url")], heading=_("Video")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("source_unit"),
        index.FilterField("first_published_at"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("hero_image", serializer=HeroImageField(source="*")),
        APIField("category", serializer=CategoryField()),
        APIField("source_unit", serializer=SourceUnitField()),
        APIField("tags", serializer=TagListField(source="tagged_items")),
        APIField("video", serializer=VideoField(source="*")),
        APIField("canonical_url", serializer=CanonicalUrlField(source="*")),
        APIField("last_published_at"),
        APIField("view_count", serializer=ViewCountField(source="*")),
    ]

    parent_page_types = ["hub.NewsIndexPage"]
    subpage_types = []
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def preview_modes(self):
        return [("", _("Website")), *((mode.name, mode.label) for mode in extra_preview_modes())]

    def serve_preview(self, request, mode_name):
        mode = preview_mode(mode_name)
        return mode.render(self, request) if mode else super().serve_preview(request, mode_name)

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the hero image for readers who cannot see it.")
        if self.video_file_id and self.video_url:
            errors["video_url"] = _("Choose a video file or a video URL, not both.")
        if self.video_file_id:
            extension = posixpath.splitext(self.video_file.file.name)[1].lower()
            if extension not in VIDEO_EXTENSIONS:
                errors["video_file"] = _("This document is not a video (use an MP4, WebM or MOV file).")
        if errors:
            raise ValidationError(errors)
