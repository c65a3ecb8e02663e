"""Image renditions published through the API (sizes in ``settings.SIAR_RENDITIONS``)."""

from django.conf import settings


def absolute_url(url: str) -> str:
    """Media URLs are relative unless a remote storage made them absolute."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SIAR_BASE_URL + url


def rendition_specs() -> list[str]:
    return list(settings.SIAR_RENDITIONS.values())


def image_representation(image) -> dict | None:
    """The API form of an image: metadata plus every configured rendition.

    Uses renditions prefetched with ``prefetch_renditions`` when present; missing ones
    are generated (once) by Wagtail.
    """
    if image is None:
        return None
    renditions = image.get_renditions(*rendition_specs())
    return {
        "id": image.pk,
        "title": image.title,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute_url(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in settings.SIAR_RENDITIONS.items()
        },
    }
