"""Intake from unit websites in the admin: the inbox (create a draft from an item, or dismiss it)
and the units' feeds."""

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from hub.models import SourceUnit

from ..intake.inbox import create_draft, dismiss
from ..models import IntakeItem, UnitFeed
from ..outbound import url_problem
from .deliveries import NO_EDITING_URLS

INTAKE = "siar_intake"  # the inbox viewset's name and URL namespace
ALL = "all"


def can_handle(user) -> bool:
    return policy_registry.get_by_type(IntakeItem).user_has_permission(user, "change")


# --- the inbox --------------------------------------------------------------------------------


class IntakeFilterSet(WagtailFilterSet):
    """The inbox shows new items unless another state is chosen."""

    state = django_filters.ChoiceFilter(
        choices=[*IntakeItem.State.choices, (ALL, _("All"))], label=_("State"), empty_label=None, method="by_state"
    )
    source_unit = django_filters.ModelChoiceFilter(
        queryset=SourceUnit.objects.all(), label=_("Source unit"), empty_label=_("All")
    )
    title = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))

    class Meta:
        model = IntakeItem
        fields = ["state", "source_unit", "title"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("state"):
            data["state"] = IntakeItem.State.NEW
        super().__init__(data, *args, **kwargs)

    def by_state(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(state=value)


class OriginalTitleColumn(Column):
    cell_template_name = "siar_channels/intake/title_cell.html"


class ItemActionsColumn(Column):
    cell_template_name = "siar_channels/intake/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(
            request=request,
            # Cells render without the request's context processors: the forms need the token explicitly.
            csrf_token=get_token(request) if request else "",
            can_handle=bool(request and can_handle(request.user)),
            draft_url=reverse(f"{INTAKE}:draft", args=[instance.pk]),
            dismiss_url=reverse(f"{INTAKE}:dismiss", args=[instance.pk]),
            edit_draft_url=(reverse("wagtailadmin_pages:edit", args=[instance.draft_id]) if instance.draft_id else ""),
        )
        return context


class IntakeIndexView(generic.IndexView):
    page_title = _("Intake inbox")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source_unit")

    @cached_property
    def columns(self):
        return [
            OriginalTitleColumn("title", label=_("Title"), sort_key="title"),
            Column("source_unit", label=_("Source unit"), sort_key="source_unit__name"),
            DateColumn("published", label=_("Published"), sort_key="published"),
            Column("state", label=_("State"), accessor="get_state_display"),
            ItemActionsColumn("actions", label=_("Actions")),
        ]

    def get_list_buttons(self, instance):
        return []


def _handled_item(request, pk) -> IntakeItem:
    if not can_handle(request.user):
        raise PermissionDenied
    return get_object_or_404(IntakeItem.objects.select_related("source_unit"), pk=unquote(str(pk)))


@require_POST
def draft_view(request, pk):
    item = _handled_item(request, pk)
    try:
        page = create_draft(item, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{INTAKE}:index")
    messages.success(request, _("Draft created from “%(title)s”. Check it before publishing.") % {"title": item.title})
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_POST
def dismiss_view(request, pk):
    item = _handled_item(request, pk)
    if item.state == IntakeItem.State.NEW:
        dismiss(item, request.user)
        messages.success(request, _("“%(title)s” dismissed.") % {"title": item.title})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(f"{INTAKE}:index")


class IntakeViewSet(ModelViewSet):
    """The inbox: items come from polling; staff turn them into drafts or dismiss them."""

    model = IntakeItem
    name = INTAKE
    url_prefix = "syndication/intake"
    icon = "download"
    menu_label = _("Intake inbox")
    index_view_class = IntakeIndexView
    filterset_class = IntakeFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    ordering = ["-published", "-fetched_at"]
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(dict.fromkeys(NO_EDITING_URLS))
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/draft/", draft_view, name="draft"),
            path("<int:pk>/dismiss/", dismiss_view, name="dismiss"),
        ]


# --- the units' feeds -------------------------------------------------------------------------


class UnitFeedForm(WagtailAdminModelForm):
    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if url and (problem := url_problem(url)):
            raise forms.ValidationError(_("Siar will not fetch this address: %(reason)s"), params={"reason": problem})
        return url


class FeedErrorColumn(Column):
    cell_template_name = "siar_channels/intake/feed_error_cell.html"


class UnitFeedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source_unit")

    @cached_property
    def columns(self):
        columns = super().columns
        return [
            *columns[:1],
            Column("source_unit", label=_("Source unit"), sort_key="source_unit__name"),
            BooleanColumn("is_active", label=_("Active")),
            DateColumn("last_polled_at", label=_("Last polled"), sort_key="last_polled_at"),
            FeedErrorColumn("last_error", label=_("Last error")),
        ]


class UnitFeedViewSet(ModelViewSet):
    model = UnitFeed
    name = "siar_unit_feeds"
    url_prefix = "syndication/unit-feeds"
    icon = "link"
    menu_label = _("Unit feeds")
    form_fields = ["source_unit", "url", "is_active"]
    list_display = ["url"]
    list_filter = ["source_unit", "is_active"]
    search_fields = ["url", "source_unit__name"]
    search_backend_name = None  # the Django ORM: feeds are not in the search index
    index_view_class = UnitFeedIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "url":
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_form_class(self, for_update=False):
        return modelform_factory(
            UnitFeed, form=UnitFeedForm, fields=self.form_fields, formfield_callback=self.formfield_for_dbfield
        )
