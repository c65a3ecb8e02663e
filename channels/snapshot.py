"""An article as the adapters see it: plain values, read once from the database and storage."""

import mimetypes
import posixpath
from dataclasses import dataclass, field

from django.conf import settings

from hub.models import ArticlePage
from hub.renditions import absolute_url

GALLERY_CHANNEL = "instagram"  # whose crop the gallery uses
GALLERY_LIMIT = 10  # Instagram's carousel takes at most ten items


@dataclass(frozen=True)
class ImageInfo:
    """One rendition of the hero image, with what the platforms' rules look at."""

    url: str
    width: int
    height: int
    size_bytes: int
    format: str  # "jpeg", "png", "webp", …
    alt: str = ""


@dataclass(frozen=True)
class VideoInfo:
    """The article's uploaded video file: where storage keeps it, for transports that upload."""

    url: str
    storage_name: str
    size_bytes: int
    content_type: str


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
    source_unit: str = ""
    images: dict[str, ImageInfo] = field(default_factory=dict)  # per channel (SIAR_CHANNEL_RENDITIONS)
    video: VideoInfo | None = None
    first_published_at: str = ""  # ISO 8601
    api_url: str = ""
    # Instagram crops of the hero image then the body's images (distinct, at most GALLERY_LIMIT): a carousel.
    gallery: tuple[ImageInfo, ...] = ()

    @classmethod
    def from_page(cls, page: ArticlePage) -> "ArticleSnapshot":
        """Reads URLs, renditions and file sizes (I/O); everything after this is pure."""
        url_parts = page.get_url_parts()
        path = url_parts[2] if url_parts else f"/{page.slug}/"
        image_url, images = "", {}
        if page.hero_image is not None:
            spec = settings.SIAR_RENDITIONS["link_preview"]
            image_url = absolute_url(page.hero_image.get_rendition(spec).url)
            images = channel_images(page.hero_image, page.hero_image_alt)
        video = video_info(page.video_file) if page.video_file_id else None
        return cls(
            id=page.pk,
            title=page.title,
            summary=page.summary,
            canonical_url=absolute_url(path),
            image_url=image_url,
            image_alt=page.hero_image_alt,
            video_url=page.video_url or (video.url if video else ""),
            category=page.category.name if page.category_id else "",
            tags=tuple(sorted(page.tags.names())),
            source_unit=page.source_unit.name if page.source_unit_id else "",
            images=images,
            video=video,
            first_published_at=page.first_published_at.isoformat() if page.first_published_at else "",
            api_url=f"{settings.SIAR_BASE_URL}/api/v2/pages/{page.pk}/" if page.pk else "",
            gallery=gallery(page, images.get(GALLERY_CHANNEL)),
        )


def channel_images(image, alt: str) -> dict[str, ImageInfo]:
    specs = settings.SIAR_CHANNEL_RENDITIONS
    renditions = image.get_renditions(*specs.values())
    return {channel: image_info(renditions[spec], alt) for channel, spec in specs.items()}


def gallery(page: ArticlePage, hero: ImageInfo | None = None) -> tuple[ImageInfo, ...]:
    """The Instagram crops of the hero image (``hero``, when already read) and of the body's image
    blocks, each image once, at most ``GALLERY_LIMIT``."""
    spec = settings.SIAR_CHANNEL_RENDITIONS.get(GALLERY_CHANNEL)
    if spec is None:
        return ()
    infos, seen = [], set()
    if page.hero_image is not None:
        infos.append(hero or image_info(page.hero_image.get_rendition(spec), page.hero_image_alt))
        seen.add(page.hero_image.pk)
    for block in page.body or ():
        if len(infos) >= GALLERY_LIMIT:
            break
        image = block.value.get("image") if block.block_type == "image" else None
        if image is None or image.pk in seen:
            continue
        seen.add(image.pk)
        alt = block.value.get("alt_text") or block.value.get("alt") or ""
        infos.append(image_info(image.get_rendition(spec), alt))
    return tuple(infos)


def image_info(rendition, alt: str) -> ImageInfo:
    extension = posixpath.splitext(rendition.file.name)[1].lower().lstrip(".")
    return ImageInfo(
        url=absolute_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        size_bytes=rendition.file.size,
        format={"jpg": "jpeg"}.get(extension, extension),
        alt=alt,
    )


def video_info(document) -> VideoInfo:
    name = document.file.name
    return VideoInfo(
        url=absolute_url(document.url),
        storage_name=name,
        size_bytes=document.file.size,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
