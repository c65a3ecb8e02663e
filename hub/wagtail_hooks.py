"""Admin registration: taxonomy snippets under one "Classification" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, SourceUnit


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class SourceUnitViewSet(SnippetViewSet):
    model = SourceUnit
    icon = "group"
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ClassificationGroup(SnippetViewSetGroup):
    menu_label = _("Classification")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CategoryViewSet, SourceUnitViewSet)


register_snippet(ClassificationGroup)
