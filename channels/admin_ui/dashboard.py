"""Dashboard panel: deliveries of the user's own articles that need someone to act."""

from django.db.models import Q
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from ..models import Delivery

LIMIT = 10


def needing_attention(user):
    """Deliveries requested by ``user`` (who published the article) that failed or wait for staff."""
    problem = Q(state__in=[Delivery.State.FAILED, Delivery.State.NEEDS_ATTENTION]) | ~Q(manual_task="")
    return Delivery.objects.filter(problem, requested_by=user).select_related("account").order_by("-updated_at")


class DeliveriesNeedingAttentionPanel(Component):
    name = "siar_deliveries_needing_attention"
    template_name = "siar_channels/home/needing_attention.html"
    order = 90  # above Wagtail's own panels

    def __init__(self, user):
        self.deliveries = list(needing_attention(user)[: LIMIT + 1])
        self.can_see_report = policy_registry.get_by_type(Delivery).user_has_any_permission(user, ["view", "change"])

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["deliveries"] = self.deliveries[:LIMIT]
        if len(self.deliveries) > LIMIT and self.can_see_report:
            context["report_url"] = reverse("siar_deliveries:index")
        return context

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.deliveries else ""
