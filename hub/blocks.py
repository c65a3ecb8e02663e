"""StreamField blocks of an article body."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from .renditions import image_representation, rendition_specs

# Images loaded up front for a whole API listing (see ``prefetched_images``).
_prefetched_images: ContextVar[dict | None] = ContextVar("siar_prefetched_images", default=None)


class PrefetchableImageChooserBlock(ImageChooserBlock):
    """An image chooser that reads images prefetched for a batch of pages.

    Wagtail loads a StreamField's images with one query per page; an API listing of 50
    articles would cost 50 queries. Inside ``prefetched_images()`` it costs none.
    """

    def bulk_to_python(self, values):
        cache = _prefetched_images.get()
        if cache is None or any(v is not None and v not in cache for v in values):
            return super().bulk_to_python(values)
        return [cache.get(v) for v in values]


@contextmanager
def prefetched_images(image_ids: Iterable[int]) -> Iterator[None]:
    """Load the given images (and their API renditions) in two queries for this block."""
    ids = {i for i in image_ids if i is not None}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*rendition_specs())
    token = _prefetched_images.set({image.pk: image for image in images})
    try:
        yield
    finally:
        _prefetched_images.reset(token)


def collect_image_ids(block: blocks.Block, raw_value) -> Iterator[int]:
    """Image ids referenced by a raw (JSON) StreamField value, at any depth."""
    if raw_value is None:
        return
    if isinstance(block, ImageChooserBlock):
        yield raw_value
    elif isinstance(block, blocks.StreamBlock):
        for item in raw_value:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from collect_image_ids(child, item.get("value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from collect_image_ids(child, raw_value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw_value:
            value = item.get("value") if isinstance(item, dict) and "type" in item else item
            yield from collect_image_ids(block.child_block, value)


class ArticleImageBlock(blocks.StructBlock):
    image = PrefetchableImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        max_length=255,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("Image")

    def get_api_representation(self, value, context=None):
        return {
            "image": image_representation(value["image"]),
            "alt_text": value["alt_text"],
            "caption": value["caption"],
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=255, icon="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul"],
    )
    image = ArticleImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        label=_("Embed or video"),
        help_text=_("A YouTube, Facebook or Instagram link, shown embedded."),
        max_width=1200,
        icon="media",
    )

    class Meta:
        label = _("Body")
