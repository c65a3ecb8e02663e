"""The "Deliveries" report: every article on every account, filterable, with a detail view."""

import json
from datetime import datetime

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from ..models import Channel, ChannelAccount, Delivery
from .actions import delivery_actions, delivery_bulk_actions

NO_EDITING_URLS = ("add_url_name", "edit_url_name", "delete_url_name", "copy_url_name", "history_url_name")


class ReadOnlyViewSetMixin:
    """A ModelViewSet with a listing and an inspect view only: records are written by the engine."""

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(dict.fromkeys(NO_EDITING_URLS))
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]


class DeliveryFilterSet(WagtailFilterSet):
    """The report's filters; ``workers`` reuses it so that bulk actions match what is shown."""

    article = django_filters.CharFilter(field_name="article_title", lookup_expr="icontains", label=_("Article"))
    channel = django_filters.ChoiceFilter(
        field_name="account__channel", choices=Channel.choices, label=_("Channel"), empty_label=_("All")
    )
    account = django_filters.ModelChoiceFilter(
        queryset=ChannelAccount.objects.all(), label=_("Account"), empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(choices=Delivery.State.choices, label=_("State"), empty_label=_("All"))
    updated_at = django_filters.DateFromToRangeFilter(label=_("Updated"), widget=DateRangePickerWidget)

    class Meta:
        model = Delivery
        fields = ["article", "channel", "account", "state", "updated_at"]


class StateColumn(Column):
    cell_template_name = "siar_channels/tables/state_cell.html"


class ProblemColumn(Column):
    cell_template_name = "siar_channels/tables/problem_cell.html"


class LinkColumn(Column):
    cell_template_name = "siar_channels/tables/link_cell.html"


def article_edit_url(delivery: Delivery) -> str | None:
    if delivery.article_id:
        return reverse("wagtailadmin_pages:edit", args=[delivery.article_id])
    return None


class DeliveryIndexView(generic.IndexView):
    results_template_name = "siar_channels/deliveries/index_results.html"
    page_title = _("Deliveries")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("account")

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class("article_title", label=_("Article"), get_url=article_edit_url, sort_key="article_title"),
            Column("account", label=_("Channel account"), sort_key="account__name"),
            StateColumn("state", label=_("State"), sort_key="state"),
            Column("operation", label=_("Operation"), accessor="get_operation_display"),
            Column("attempts", label=_("Attempts"), sort_key="attempts"),
            ProblemColumn("error_message", label=_("Problem")),
            LinkColumn("external_url", label=_("Live post")),
            DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
        ]

    def get_list_buttons(self, instance):
        return [ListingButton(_("Details"), url=self.get_inspect_url(instance), priority=10)]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["bulk_actions"] = delivery_bulk_actions(self.request, self.object_list)
        return context


class LocalTimesInspectView(generic.InspectView):
    """Wagtail's inspect view, with times in the local time zone and "–" for empty values."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime):
            return timezone.localtime(value)
        return "–" if value is None or value == "" else value


class DeliveryDetailView(LocalTimesInspectView):
    """Read-only: the delivery, its payload snapshot and its audit trail."""

    template_name = "siar_channels/deliveries/detail.html"
    page_title = _("Delivery")

    def get_object(self, queryset=None):
        return get_object_or_404(Delivery.objects.select_related("account", "requested_by"), pk=unquote(str(self.pk)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = self.object
        context["delivery"] = delivery
        context["article_url"] = article_edit_url(delivery)
        context["payload_json"] = (
            json.dumps(delivery.payload, indent=2, ensure_ascii=False) if delivery.payload is not None else ""
        )
        context["events"] = delivery.events.select_related("actor").order_by("created_at", "pk")
        context["actions"] = delivery_actions(self.request, delivery)
        return context


class DeliveryViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Listing and detail only: deliveries change through the engine and the actions it offers."""

    model = Delivery
    name = "siar_deliveries"
    url_prefix = "syndication/deliveries"
    icon = "resubmit"
    menu_label = _("Deliveries")
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryDetailView
    inspect_view_enabled = True
    inspect_view_fields = [
        "article_title",
        "account",
        "operation",
        "attempts",
        "next_attempt_at",
        "requested_by",
        "created_at",
        "updated_at",
        "delivered_at",
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = DeliveryFilterSet
    ordering = "-updated_at"
    list_per_page = 50
    list_export = [
        "article_title",
        "account",
        "get_state_display",
        "get_operation_display",
        "attempts",
        "get_error_kind_display",
        "error_message",
        "manual_task",
        "external_url",
        "updated_at",
    ]
    export_headings = {
        "article_title": _("Article"),
        "account": _("Channel account"),
        "get_state_display": _("State"),
        "get_operation_display": _("Operation"),
        "attempts": _("Attempts"),
        "get_error_kind_display": _("Error"),
        "error_message": _("Error message"),
        "manual_task": _("Manual task"),
        "external_url": _("Link"),
        "updated_at": _("Updated"),
    }
    export_filename = "deliveries"
