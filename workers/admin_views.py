"""Admin actions that change deliveries: retry one, retry the failed ones of a report, mark a
manual task done, and record a post made by hand. They call ``syndication`` (which queues after commit)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.permissions import policy_registry

from channels.admin_ui.deliveries import DeliveryFilterSet
from channels.models import Delivery

from . import syndication

SOURCE = "admin"
RETRYABLE_STATES = (Delivery.State.FAILED, Delivery.State.NEEDS_ATTENTION, Delivery.State.WAITING_FOR_STAFF)


def can_manage_deliveries(user) -> bool:
    return policy_registry.get_by_type(Delivery).user_has_permission(user, "change")


def can_act_on(user, delivery: Delivery) -> bool:
    """Staff who may change deliveries, or anyone who may publish the article."""
    if can_manage_deliveries(user):
        return True
    article = delivery.article
    return article is not None and article.permissions_for_user(user).can_publish()


def can_retry(delivery: Delivery) -> bool:
    """Failed, waiting for staff, or posted on a platform that could not apply a later edit."""
    if delivery.state in RETRYABLE_STATES:
        return True
    return delivery.state == Delivery.State.DELIVERED and delivery.manual_task == Delivery.ManualTask.CORRECT


def _get_delivery(request, pk: int) -> Delivery:
    delivery = get_object_or_404(Delivery.objects.select_related("account", "article"), pk=pk)
    if not can_act_on(request.user, delivery):
        raise PermissionDenied
    return delivery


def _back(request, delivery: Delivery):
    return redirect(get_valid_next_url_from_request(request) or reverse("siar_deliveries:inspect", args=[delivery.pk]))


@require_POST
def delivery_retry(request, pk: int):
    delivery = _get_delivery(request, pk)
    if syndication.delivery_retry(delivery=delivery, user=request.user, source=SOURCE):
        messages.success(request, _("“%(delivery)s” will be sent again shortly.") % {"delivery": delivery})
    else:
        messages.warning(request, _("“%(delivery)s” is being sent right now.") % {"delivery": delivery})
    return _back(request, delivery)


class PostedForm(forms.Form):
    url = forms.URLField(
        label=_lazy("Address of the post"),
        max_length=1000,
        assume_scheme="https",
        help_text=_lazy("Open the post on the platform and copy its address from the browser."),
    )


def delivery_post_by_hand(request, pk: int):
    """A post the platform's API cannot make: its text to copy, its image, and "mark as posted"."""
    delivery = _get_delivery(request, pk)
    if delivery.manual_task != Delivery.ManualTask.POST:
        messages.warning(request, _("“%(delivery)s” has nothing to post by hand.") % {"delivery": delivery})
        return _back(request, delivery)
    form = PostedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data["url"]
        syndication.manual_post_done(delivery=delivery, url=url, user=request.user)
        messages.success(request, _("“%(delivery)s” is marked as posted.") % {"delivery": delivery})
        return _back(request, delivery)
    context = {
        "delivery": delivery,
        "post": delivery.payload or {},
        "form": form,
        "page_title": _("Post by hand"),
        "header_icon": "clipboard-list",
        "next_url": get_valid_next_url_from_request(request),
    }
    return TemplateResponse(request, "siar_channels/deliveries/post_by_hand.html", context)


@require_POST
def delivery_manual_task_done(request, pk: int):
    delivery = _get_delivery(request, pk)
    if syndication.manual_task_done(delivery=delivery, user=request.user):
        messages.success(request, _("Manual task for “%(delivery)s” marked as done.") % {"delivery": delivery})
    return _back(request, delivery)


def retryable(queryset):
    return queryset.filter(state__in=RETRYABLE_STATES)


@require_POST
def deliveries_retry_failed(request):
    """Retry every failed or waiting delivery that matches the report's filters (in the query string)."""
    if not can_manage_deliveries(request.user):
        raise PermissionDenied
    filters = DeliveryFilterSet(request.GET, queryset=Delivery.objects.all(), request=request)
    report_url = reverse("siar_deliveries:index") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not filters.is_valid():
        messages.error(request, _("The filters are not valid; nothing was retried."))
        return redirect(report_url)
    deliveries = retryable(filters.qs).select_related("account").order_by("pk")
    count = sum(syndication.delivery_retry(delivery=d, user=request.user, source=SOURCE) for d in deliveries)
    message = ngettext(
        "%(count)d failed delivery will be sent again.", "%(count)d failed deliveries will be sent again.", count
    )
    messages.success(request, message % {"count": count})
    return redirect(report_url)
