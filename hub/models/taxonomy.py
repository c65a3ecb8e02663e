"""Snippets that classify articles: what an article is about and who sent it."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
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


class SourceUnit(index.Indexed, ClusterableModel):
    """A unit that feeds news to the office: a work unit, a sub-district or a KIM.

    Its members (liaison officers, KIM members) are the contributors who write for it: a user
    who may only add pages credits articles to their own units (``hub.contributors``).
    """

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

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        InlinePanel(
            "members",
            heading=_("Members"),
            label=_("Member"),
            help_text=_("Liaison officers or KIM members who write for this unit. Their articles are credited to it."),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("source unit")
        verbose_name_plural = _("source units")

    def __str__(self):
        return self.name

    @admin.display(description=_("members"))
    def member_names(self) -> str:
        return ", ".join(sorted(member.user.get_username() for member in self.members.all()))


class SourceUnitMember(models.Model):
    """A contributor (liaison officer, KIM member) tied to the unit they write for."""

    source_unit = ParentalKey(
        SourceUnit, verbose_name=_("source unit"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="source_unit_memberships",
        limit_choices_to={"is_active": True},
    )

    panels = [FieldPanel("user")]

    class Meta:
        verbose_name = _("source unit member")
        verbose_name_plural = _("source unit members")
        constraints = [models.UniqueConstraint(fields=["source_unit", "user"], name="unique_source_unit_member")]

    def __str__(self):
        return f"{self.user} – {self.source_unit}"
