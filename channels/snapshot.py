"""An article as the adapters see it: plain values, read once from the database."""

from dataclasses import dataclass

from django.conf import settings

from hub.models import ArticlePage
from hub.renditions import absolute_url


@dataclass(frozen=True)
class ArticleSnapshot:
    id: int
    title: str
    summary: str
    canonical_url: str
    image_url: str = ""
    image_alt: str = ""
    video_url: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_page(cls, page: ArticlePage) -> "ArticleSnapshot":
        """Reads URLs and renditions (I/O); everything after this is pure."""
        url_parts = page.get_url_parts()
        path = url_parts[2] if url_parts else f"/{page.slug}/"
        image_url = ""
        if page.hero_image is not None:
            spec = settings.SIAR_RENDITIONS["link_preview"]
            image_url = absolute_url(page.hero_image.get_rendition(spec).url)
        video_url = page.video_url or (absolute_url(page.video_file.url) if page.video_file else "")
        return cls(
            id=page.pk,
            title=page.title,
            summary=page.summary,
            canonical_url=absolute_url(path),
            image_url=image_url,
            image_alt=page.hero_image_alt,
            video_url=video_url,
            category=page.category.name if page.category else "",
            tags=tuple(sorted(page.tags.names())),
        )
