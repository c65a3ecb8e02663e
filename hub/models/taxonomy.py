"""Snippets that classify articles: what an article is about and who sent it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Category(index.Indexed, models.Model):
    """What an article is about; partners and channels can be chosen per category."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Used in API filters and URLs."))
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class SourceUnit(index.Indexed, models.Model):
    """A unit that feeds news to the office: a work unit, a sub-district or a KIM."""

    class Kind(models.TextChoices):
        SKPD = "skpd", _("Government work unit (SKPD)")
        SUBDISTRICT = "subdistrict", _("Sub-district (kecamatan)")
        KIM = "kim", _("Community information group (KIM)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("source unit")
        verbose_name_plural = _("source units")

    def __str__(self):
        return self.name
