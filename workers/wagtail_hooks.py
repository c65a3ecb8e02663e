"""Admin actions on deliveries and accounts: the channels admin renders them, these act.

They live here because they queue work (``channels`` never enqueues); see
``channels.admin_ui.actions`` for the hooks.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages

from channels.admin_ui.actions import (
    ACCOUNT_SAVED_HOOK,
    DELIVERY_ACTIONS_HOOK,
    DELIVERY_BULK_ACTIONS_HOOK,
    DeliveryAction,
)
from channels.models import Delivery

from . import admin_views, syndication

app_name = "siar_syndication"
urlpatterns = [
    path("retry/<int:pk>/", admin_views.delivery_retry, name="retry"),
    path("manual-task-done/<int:pk>/", admin_views.delivery_manual_task_done, name="manual_task_done"),
    path("post-by-hand/<int:pk>/", admin_views.delivery_post_by_hand, name="post_by_hand"),
    path("retry-failed/", admin_views.deliveries_retry_failed, name="retry_failed"),
]


@hooks.register("register_admin_urls")
def register_syndication_action_urls():
    return [path("syndication/actions/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register(DELIVERY_ACTIONS_HOOK)
def delivery_actions(request, delivery):
    if not admin_views.can_act_on(request.user, delivery):
        return []
    actions = []
    if admin_views.can_retry(delivery):
        label = _("Post again") if delivery.state == Delivery.State.DELIVERED else _("Retry")
        url = reverse("siar_syndication:retry", args=[delivery.pk])
        actions.append(DeliveryAction(label, url, icon="resubmit", primary=True))
    if delivery.manual_task == Delivery.ManualTask.POST:
        url = reverse("siar_syndication:post_by_hand", args=[delivery.pk])
        actions.append(DeliveryAction(_("Post by hand"), url, icon="clipboard-list", primary=True, method="get"))
    elif delivery.manual_task:
        url = reverse("siar_syndication:manual_task_done", args=[delivery.pk])
        actions.append(DeliveryAction(_("Mark as done"), url, icon="check"))
    return actions


@hooks.register(DELIVERY_BULK_ACTIONS_HOOK)
def delivery_bulk_actions(request, queryset):
    if not admin_views.can_manage_deliveries(request.user):
        return []
    count = admin_views.retryable(queryset).count()
    if not count:
        return []
    query = request.GET.copy()
    for key in ("p", "ordering", "export", "_w_filter_fragment"):
        query.pop(key, None)
    url = reverse("siar_syndication:retry_failed") + (f"?{query.urlencode()}" if query else "")
    label = ngettext("Retry %(count)d failed delivery", "Retry all %(count)d failed deliveries", count)
    return [DeliveryAction(label % {"count": count}, url, icon="resubmit", primary=True)]


@hooks.register(ACCOUNT_SAVED_HOOK)
def reconnect_after_new_token(request, account, *, token_changed):
    """A new token for a disconnected account reconnects it and sends what waited for it."""
    if not (token_changed and account.has_credentials and not account.is_connected):
        return
    count = syndication.account_reconnected(account=account, user=request.user, source="admin")
    message = ngettext(
        "“%(account)s” is connected again; %(count)d waiting delivery will be sent.",
        "“%(account)s” is connected again; %(count)d waiting deliveries will be sent.",
        count,
    )
    messages.success(request, message % {"account": account, "count": count})
