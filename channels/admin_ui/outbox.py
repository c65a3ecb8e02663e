"""The outbox: what accounts without credentials would have sent (at /admin/outbox/<id>/)."""

import json

from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Delivery, OutboxMessage
from .deliveries import LocalTimesInspectView, ReadOnlyViewSetMixin


class OutboxMessageView(LocalTimesInspectView):
    template_name = "siar_channels/outbox/detail.html"
    page_title = _("Outbox message")

    def get_object(self, queryset=None):
        queryset = OutboxMessage.objects.select_related("account", "delivery")
        return get_object_or_404(queryset, pk=unquote(str(self.pk)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.object
        context["message"] = message
        context["request_json"] = json.dumps(message.request, indent=2, ensure_ascii=False)
        delivery_id = message.delivery_id or self.find_delivery_id(message)
        if delivery_id:
            context["delivery_url"] = reverse("siar_deliveries:inspect", args=[delivery_id])
        return context

    @staticmethod
    def find_delivery_id(message: OutboxMessage) -> int | None:
        """The delivery whose post this message recorded (the transport does not link them)."""
        deliveries = Delivery.objects.filter(account_id=message.account_id)
        match = Q(external_id=f"outbox:{message.pk}")
        if message.attempt_key:
            match |= Q(attempt_key=message.attempt_key)
        return deliveries.filter(match).values_list("pk", flat=True).first()


class OutboxViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = OutboxMessage
    name = "siar_outbox"
    url_prefix = "outbox"
    icon = "mail"
    menu_label = _("Outbox")
    inspect_view_class = OutboxMessageView
    inspect_view_enabled = True
    inspect_view_fields = ["account", "operation", "created_at"]
    copy_view_enabled = False
    add_to_reference_index = False
    list_filter = ["account", "operation"]
    ordering = "-created_at"
    list_per_page = 50
    list_display = [
        "__str__",
        Column("account", label=_("Account")),
        Column("operation", label=_("Operation")),
        DateColumn("created_at", label=_("Recorded"), sort_key="created_at"),
    ]
