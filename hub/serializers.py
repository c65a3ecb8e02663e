"""DRF fields that shape an article for the headless API."""

from rest_framework import serializers

from .renditions import absolute_url, image_representation


class CategoryField(serializers.Field):
    def to_representation(self, category):
        return {"id": category.pk, "name": category.name, "slug": category.slug}


class SourceUnitField(serializers.Field):
    def to_representation(self, unit):
        return {
            "id": unit.pk,
            "name": unit.name,
            "slug": unit.slug,
            "kind": unit.kind,
            "kind_label": str(unit.get_kind_display()),
        }


class TagListField(serializers.Field):
    """Tags through ``tagged_items`` so a listing can prefetch them (``tags.all()`` cannot)."""

    def to_representation(self, tagged_items):
        return [{"name": item.tag.name, "slug": item.tag.slug} for item in tagged_items.all()]


class HeroImageField(serializers.Field):
    """The article's hero image with its alt text and renditions (source="*")."""

    def to_representation(self, article):
        representation = image_representation(article.hero_image)
        if representation is not None:
            representation["alt_text"] = article.hero_image_alt
        return representation


class VideoField(serializers.Field):
    """``{"kind": "file"|"url", "url": ...}`` or null (source="*")."""

    def to_representation(self, article):
        if article.video_file is not None:
            document = article.video_file
            return {
                "kind": "file",
                "url": absolute_url(document.url),
                "title": document.title,
                "file_size": document.get_file_size(),
            }
        if article.video_url:
            return {"kind": "url", "url": article.video_url, "title": ""}
        return None


class CanonicalUrlField(serializers.Field):
    """The article's public URL under SIAR_BASE_URL (source="*")."""

    def to_representation(self, page):
        request = self.context.get("request")
        _site_id, _root_url, path = page.get_url_parts(request=request) or (None, None, None)
        if path is None:
            return None
        return absolute_url(path)


class ViewCountField(serializers.Field):
    """Current views (stored plus still in Redis); a listing prefetches them in one batch (source="*")."""

    def to_representation(self, page):
        from .reach import view_count

        return view_count(page.pk)


__all__ = [
    "CanonicalUrlField",
    "CategoryField",
    "HeroImageField",
    "SourceUnitField",
    "TagListField",
    "VideoField",
    "ViewCountField",
]
