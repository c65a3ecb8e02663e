"""Admin registration: taxonomy snippets under one "Classification" menu; reach views and panel."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .contributors import saved_unit_id, units_for
from .models import ArticlePage, Category, SourceUnit
from .reach import admin as reach_admin


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class SourceUnitViewSet(SnippetViewSet):
    model = SourceUnit
    icon = "group"
    list_display = ["name", "kind", "slug", "member_names"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return SourceUnit.objects.prefetch_related("members__user")


class ClassificationGroup(SnippetViewSetGroup):
    menu_label = _("Classification")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CategoryViewSet, SourceUnitViewSet)


register_snippet(ClassificationGroup)


@hooks.register("before_copy_page")
def refuse_copies_credited_to_other_units(request, page):
    """A contributor may copy only articles credited to their own units (hub.contributors)."""
    if not issubclass(page.specific_class or Page, ArticlePage):
        return None
    units = units_for(request.user, page)
    if units is None:
        return None
    unit_id = saved_unit_id(page.pk)
    if unit_id is None or units.filter(pk=unit_id).exists():
        return None
    messages.error(request, _("You can copy only articles credited to your own source unit."))
    return redirect("wagtailadmin_pages:edit", page.pk)


# --- Reach (hub.reach.admin) ---------------------------------------------------------------


class ReachPageMenuItem(PageMenuItem):
    label = _("Reach")
    icon_name = "view"
    url_name = "siar_reach:article"
    priority = 67  # after "History"

    def is_shown(self, user):
        return self.page.specific_class is not None and issubclass(self.page.specific_class, ArticlePage)


@hooks.register("register_admin_urls")
def register_reach_urls():
    return [path("reach/", include((reach_admin.admin_urls(), "siar_reach"), namespace="siar_reach"))]


@hooks.register("register_page_header_buttons")
def reach_header_button(page, user, view_name, next_url=None):
    yield ReachPageMenuItem(page=page)


@hooks.register("construct_homepage_panels")
def add_most_read_panel(request, panels):
    panels.append(reach_admin.MostReadPanel())


@hooks.register("register_reports_menu_item")
def register_reach_report_menu_item():
    return MenuItem(_("Reach"), reverse("siar_reach:summary"), icon_name="view", order=900)
