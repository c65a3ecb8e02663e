"""Partners in the admin: media companies and KIM, their feed tokens, and the monthly pickup report.

A raw feed token or webhook secret is shown exactly once. It travels from the view that made it to
the page that shows it in the user's session, encrypted, and that page removes it as it renders it:
reloading the page (or pressing Back) shows it no more. Only token hashes are stored.
"""

import csv
import logging
import time
from datetime import datetime

import redis
from django import forms
from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry

from .. import partners_service as service
from ..crypto import decrypt, encrypt
from ..models import FeedFetch, Partner, PartnerToken
from ..outbound import url_problem
from ..reports import DEFAULT_MONTHS, partner_monthly_report
from .secret_fields import has_stray_characters, write_only_secret_field

logger = logging.getLogger("siar.channels.partners")

PARTNERS = "siar_partners"  # the viewset's name and URL namespace
REPORT = "siar_partner_report"
FEED_FORMATS = (("rss", "RSS 2.0"), ("atom", "Atom 1.0"), ("json", "JSON Feed 1.1"))

ONCE_SESSION_KEY = "siar_partner_secrets"
ONCE_MAX_AGE_SECONDS = 15 * 60  # a secret not shown within this time is dropped unseen


# --- shown once -------------------------------------------------------------------------------


def stash_secrets(request, partner: Partner, *, token: str = "", webhook_secret: str = "", grace_ends=None) -> bool:
    """Keep new secrets (encrypted) in the session for the one page view that shows them."""
    if not token and not webhook_secret:
        return False
    stash = dict(request.session.get(ONCE_SESSION_KEY) or {})
    stash[str(partner.pk)] = {
        "token": encrypt(token) if token else "",
        "webhook_secret": encrypt(webhook_secret) if webhook_secret else "",
        "grace_ends": grace_ends.isoformat() if grace_ends else "",
        "at": time.time(),
    }
    request.session[ONCE_SESSION_KEY] = stash
    return True


def take_secrets(request, partner: Partner) -> dict | None:
    """The secrets waiting to be shown for this partner, removed from the session (None if none)."""
    stash = dict(request.session.get(ONCE_SESSION_KEY) or {})
    entry = stash.pop(str(partner.pk), None)
    if entry is None:
        return None
    if stash:
        request.session[ONCE_SESSION_KEY] = stash
    else:
        del request.session[ONCE_SESSION_KEY]
    if time.time() - entry.get("at", 0) > ONCE_MAX_AGE_SECONDS:
        return None
    grace_ends = entry.get("grace_ends")
    return {
        "token": decrypt(entry["token"]) if entry.get("token") else "",
        "webhook_secret": decrypt(entry["webhook_secret"]) if entry.get("webhook_secret") else "",
        "grace_ends": datetime.fromisoformat(grace_ends) if grace_ends else None,
    }


def feed_urls(partner: Partner) -> list[tuple[str, str]]:
    return [
        (label, settings.SIAR_BASE_URL + reverse(f"siar_feeds:partner_{fmt}", args=[partner.slug]))
        for fmt, label in FEED_FORMATS
    ]


def url_for(view_name: str, *args) -> str:
    return reverse(f"{PARTNERS}:{view_name}", args=args)


def can(user, *actions: str) -> bool:
    return policy_registry.get_by_type(Partner).user_has_any_permission(user, list(actions))


def flush_pickups(request) -> None:
    """Bring the pickup log up to date (lines still waiting in Redis)."""
    from ..feeds import pickups

    try:
        pickups.flush()
    except redis.RedisError as exc:
        logger.warning("pickup log not flushed (Redis: %s)", exc.__class__.__name__)
        messages.warning(request, _("The latest fetches could not be read from Redis: figures may be a little behind."))


# --- the form ---------------------------------------------------------------------------------


class PartnerForm(WagtailAdminModelForm):
    """The webhook secret is write-only: never rendered, blank keeps the stored one."""

    webhook_secret = write_only_secret_field(_("Webhook secret"))
    regenerate_webhook_secret = forms.BooleanField(
        label=_("Generate a new webhook secret"),
        required=False,
        help_text=_("The old secret stops working at once; the new one is shown once, after saving."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_secret = self.instance.webhook_secret if self.instance.pk else ""
        self.initial["webhook_secret"] = ""  # the stored value never reaches a template
        if self._stored_secret:
            help_text = _("A secret is stored (encrypted). Leave blank to keep it.")
        else:
            help_text = _("Leave blank and Siar generates one when a webhook URL is set, and shows it once.")
        self.fields["webhook_secret"].help_text = help_text
        if not self._stored_secret:
            del self.fields["regenerate_webhook_secret"]  # nothing to replace yet

    def clean_webhook_url(self):
        url = self.cleaned_data.get("webhook_url") or ""
        if url and (problem := url_problem(url)):
            raise forms.ValidationError(
                _("Siar will not send requests to this address: %(reason)s"), params={"reason": problem}
            )
        return url

    def clean_webhook_secret(self):
        secret = self.cleaned_data.get("webhook_secret") or ""
        if has_stray_characters(secret):
            raise forms.ValidationError(_("A secret has no spaces or line breaks."))
        if secret and len(secret) < 16:
            raise forms.ValidationError(_("Use at least 16 characters, or leave blank to have one generated."))
        return secret

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("agreement_start"), cleaned.get("agreement_end")
        if start and end and end < start:
            self.add_error("agreement_end", _("The agreement cannot end before it starts."))
        new_secret = cleaned.get("webhook_secret") or ""
        if not new_secret:
            # Regenerate: blank, so that saving generates (and shows) a new one when there is a URL.
            cleaned["webhook_secret"] = "" if cleaned.get("regenerate_webhook_secret") else self._stored_secret
        return cleaned


class AccessPanel(Panel):
    """Read-only, on a saved partner: its standing, feed URLs, tokens in use and links to manage them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "siar_channels/partners/access_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            partner = self.instance
            context.update(
                partner=partner,
                status=service.partner_status(partner),
                feed_urls=feed_urls(partner),
                tokens_in_use=partner.tokens.usable().count(),
                tokens_url=url_for("tokens", partner.pk),
                report_url=f"{reverse(f'{REPORT}:index')}?partner={partner.pk}",
            )
            return context


# --- listing, create, edit, delete --------------------------------------------------------------


class AgreementColumn(Column):
    cell_template_name = "siar_channels/tables/agreement_cell.html"


def status_label(partner: Partner) -> str:
    return service.partner_status(partner).label


def is_serving(partner: Partner) -> bool:
    return service.partner_status(partner) == service.PartnerStatus.ACTIVE


class PartnerIndexView(generic.IndexView):
    def get_base_queryset(self):
        tokens_in_use = (
            PartnerToken.objects.usable()
            .filter(partner=OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(count=Count("pk"))
            .values("count")
        )
        last_fetch = FeedFetch.objects.filter(partner=OuterRef("pk")).order_by("-fetched_at").values("fetched_at")[:1]
        return (
            super()
            .get_base_queryset()
            .annotate(
                tokens_in_use=Coalesce(Subquery(tokens_in_use, output_field=IntegerField()), 0),
                last_fetch=Subquery(last_fetch),
            )
        )

    def get(self, request, *args, **kwargs):
        flush_pickups(request)
        return super().get(request, *args, **kwargs)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can(self.request.user, "change"):
            buttons.append(
                ListingMenuItem(_("Tokens"), url=url_for("tokens", instance.pk), icon_name="key", priority=15)
            )
        if can(self.request.user, "change", "view"):
            report_url = f"{reverse(f'{REPORT}:index')}?partner={instance.pk}"
            buttons.append(ListingMenuItem(_("Report"), url=report_url, icon_name="table", priority=16))
        return buttons


class PartnerCreateView(generic.CreateView):
    def save_instance(self):
        partner = super().save_instance()
        _token, raw = service.issue_token(partner, label=gettext("first token"), user=self.request.user)
        stash_secrets(self.request, partner, token=raw, webhook_secret=partner.new_webhook_secret)
        return partner

    def get_success_url(self):
        return url_for("secrets", self.object.pk)


class PartnerEditView(generic.EditView):
    def save_instance(self):
        partner = super().save_instance()
        self.secrets_waiting = stash_secrets(self.request, partner, webhook_secret=partner.new_webhook_secret)
        return partner

    def get_success_url(self):
        if getattr(self, "secrets_waiting", False):
            return url_for("secrets", self.object.pk)
        return super().get_success_url()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("Tokens"), url=url_for("tokens", self.object.pk), icon_name="key", priority=5))
        report_url = f"{reverse(f'{REPORT}:index')}?partner={self.object.pk}"
        buttons.append(Button(_("Report"), url=report_url, icon_name="table", priority=6))
        return buttons


# --- tokens -------------------------------------------------------------------------------------


class PartnerPageMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A page about one partner, below it in the breadcrumbs."""

    model = Partner
    permission_required = "change"
    header_icon = "key"

    @cached_property
    def partner(self) -> Partner:  # (looked up after the permission check, so no hint to others)
        return get_object_or_404(Partner, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.partner)

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": url_for("index"), "label": Partner._meta.verbose_name_plural.capitalize()},
        ]
        if can(self.request.user, "change"):
            items.append({"url": url_for("edit", self.partner.pk), "label": str(self.partner)})
        return [*items, {"url": "", "label": self.get_page_title(), "sublabel": str(self.partner)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partner"] = self.partner
        return context


class TokensView(PartnerPageMixin, TemplateView):
    template_name = "siar_channels/partners/tokens.html"
    page_title = _("Feed tokens")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tokens = list(self.partner.tokens.all())
        states = service.token_states(tokens)
        context.update(
            rows=[(token, states[token.pk]) for token in tokens],
            TokenState=service.TokenState,
            status=service.partner_status(self.partner),
            feed_urls=feed_urls(self.partner),
            issue_url=url_for("issue_token", self.partner.pk),
            rotate_url=url_for("rotate_tokens", self.partner.pk),
        )
        return context


class IssueTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=100, required=False, help_text=_("E.g. who uses it: “newsroom CMS”.")
    )


class RotateTokensForm(IssueTokenForm):
    grace_days = forms.IntegerField(
        label=_("Grace period (days)"),
        min_value=0,
        max_value=service.MAX_GRACE_DAYS,
        initial=service.DEFAULT_GRACE_DAYS,
        help_text=_("The current tokens keep working for this many days, then expire (0: at once)."),
    )


class RevokeTokenForm(forms.Form):
    pass


class TokenActionView(PartnerPageMixin, FormView):
    """A confirmation page (GET) and the action itself (POST): issue, rotate or revoke."""

    template_name = "siar_channels/partners/token_action.html"
    action = ""  # "issue", "rotate" or "revoke"
    forms_by_action = {"issue": IssueTokenForm, "rotate": RotateTokensForm, "revoke": RevokeTokenForm}

    @cached_property
    def token(self) -> PartnerToken | None:
        if self.action != "revoke":
            return None
        return get_object_or_404(PartnerToken, pk=self.kwargs["token_pk"], partner=self.partner)

    def get_form_class(self):
        return self.forms_by_action[self.action]

    def get_page_title(self):
        return {
            "issue": _("Issue a new token"),
            "rotate": _("Rotate tokens"),
            "revoke": _("Revoke a token"),
        }[self.action]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self.action,
            token=self.token,
            usable=list(self.partner.tokens.usable()),
            tokens_url=url_for("tokens", self.partner.pk),
            submit_label={"issue": _("Issue token"), "rotate": _("Rotate"), "revoke": _("Revoke")}[self.action],
        )
        return context

    def form_valid(self, form):
        user = self.request.user
        if self.action == "revoke":
            revoked = service.revoke_tokens(self.partner, pk=self.token.pk, user=user)
            if revoked:
                messages.success(
                    self.request,
                    _("Token %(prefix)s… is revoked: feeds refuse it from now on.") % {"prefix": self.token.key_prefix},
                )
            else:
                messages.warning(self.request, _("That token was already revoked."))
            return redirect(url_for("tokens", self.partner.pk))
        label = form.cleaned_data["label"]
        if self.action == "rotate":
            _token, raw, grace_ends = service.rotate_tokens(
                self.partner, grace_days=form.cleaned_data["grace_days"], label=label, user=user
            )
        else:
            (_token, raw), grace_ends = service.issue_token(self.partner, label=label, user=user), None
        stash_secrets(self.request, self.partner, token=raw, grace_ends=grace_ends)
        return redirect(url_for("secrets", self.partner.pk))


class SecretsView(PartnerPageMixin, TemplateView):
    """New credentials, shown once: the token (and webhook secret) just made, with the feed URLs."""

    template_name = "siar_channels/partners/secrets.html"
    page_title = _("New credentials")
    permission_required = None
    any_permission_required = ["add", "change"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        secrets = take_secrets(self.request, self.partner)
        context.update(
            secrets=secrets,
            feed_urls=feed_urls(self.partner),
            can_change=can(self.request.user, "change"),
            tokens_url=url_for("tokens", self.partner.pk),
            edit_url=url_for("edit", self.partner.pk),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)  # not kept by the browser: Back does not show it again
        return response


# --- the viewset -----------------------------------------------------------------------------


class PartnerViewSet(ModelViewSet):
    model = Partner
    name = PARTNERS
    url_prefix = "syndication/partners"
    icon = "group"
    menu_label = _("Partners")
    index_view_class = PartnerIndexView
    add_view_class = PartnerCreateView
    edit_view_class = PartnerEditView
    copy_view_enabled = False
    add_to_reference_index = False
    search_fields = ["name", "slug", "agreement_number"]
    list_filter = ["kind", "is_active"]
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        AgreementColumn("agreement_number", label=_("Agreement"), sort_key="agreement_end"),
        StatusTagColumn("status", label=_("Status"), accessor=status_label, primary=is_serving),
        Column("tokens_in_use", label=_("Tokens in use"), sort_key="tokens_in_use"),
        DateColumn("last_fetch", label=_("Last fetch"), sort_key="last_fetch"),
    ]
    edit_handler = ObjectList(
        [
            AccessPanel(heading=_("Access")),
            MultiFieldPanel(
                [FieldPanel("kind"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("is_active")],
                heading=_("Partner"),
            ),
            MultiFieldPanel(
                [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
                heading=_("Contact"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("agreement_number"),
                    FieldPanel("agreement_start"),
                    FieldPanel("agreement_end"),
                    FieldPanel("press_verification"),
                    FieldPanel("press_certificate_number"),
                ],
                heading=_("Agreement"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("source_units", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("full_text"),
                    FieldPanel("attribution"),
                ],
                heading=_("What it receives"),
            ),
            MultiFieldPanel(
                [FieldPanel("webhook_url"), FieldPanel("webhook_secret"), FieldPanel("regenerate_webhook_secret")],
                heading=_("Push webhook"),
            ),
        ],
        base_form_class=PartnerForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("tokens/<int:pk>/", self.construct_view(TokensView), name="tokens"),
            path("tokens/<int:pk>/issue/", self.construct_view(TokenActionView, action="issue"), name="issue_token"),
            path(
                "tokens/<int:pk>/rotate/",
                self.construct_view(TokenActionView, action="rotate"),
                name="rotate_tokens",
            ),
            path(
                "tokens/<int:pk>/revoke/<int:token_pk>/",
                self.construct_view(TokenActionView, action="revoke"),
                name="revoke_token",
            ),
            path("new-credentials/<int:pk>/", self.construct_view(SecretsView), name="secrets"),
        ]


# --- the report ------------------------------------------------------------------------------


class ReportFilterForm(forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), required=False, label=_("Partner"), empty_label=_("All partners")
    )


def report_columns():
    return [
        (_("Partner"), lambda row: row.partner_name),
        (_("Slug"), lambda row: row.partner_slug),
        (_("Month"), lambda row: row.month.strftime("%Y-%m")),
        (_("Fetches"), lambda row: row.fetches),
        (_("Fetches OK (200)"), lambda row: row.fetches_ok),
        (_("Not modified (304)"), lambda row: row.fetches_not_modified),
        (_("Refused (403)"), lambda row: row.fetches_refused),
        (_("Articles made available"), lambda row: row.articles_available),
        (_("Articles served"), lambda row: row.articles_served),
        (
            _("Last fetch"),
            lambda row: local(row.last_fetch).strftime("%Y-%m-%d %H:%M") if row.last_fetch else "",
        ),
        (_("Webhook deliveries"), lambda row: row.webhook_deliveries),
    ]


def local(moment: datetime) -> datetime:
    """In the project's time zone, as the report's months are (not the user's)."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def csv_safe(value):
    """Text a spreadsheet would read as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class PartnerReportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per partner and month (the last twelve): fetches, articles made available and served, the last
    fetch and webhook deliveries; ``csv/`` gives the same rows as a file."""

    model = Partner
    any_permission_required = ["change", "view"]
    template_name = "siar_channels/partners/report.html"
    page_title = _("Partner report")
    header_icon = "table"
    export_csv = False

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def filter_form(self):
        return ReportFilterForm(self.request.GET or None)

    @cached_property
    def partner(self) -> Partner | None:
        form = self.filter_form
        return form.cleaned_data.get("partner") if form.is_bound and form.is_valid() else None

    def get(self, request, *args, **kwargs):
        flush_pickups(request)
        rows = partner_monthly_report(self.partner, months=DEFAULT_MONTHS)
        if self.export_csv:
            return self.csv_response(rows)
        return self.render_to_response(self.get_context_data(rows=rows))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = f"?partner={self.partner.pk}" if self.partner else ""
        context.update(
            filter_form=self.filter_form,
            months=DEFAULT_MONTHS,
            csv_url=reverse(f"{REPORT}:csv") + query,
            partners_url=url_for("index"),
        )
        return context

    def csv_response(self, rows):
        columns = report_columns()
        suffix = f"-{self.partner.slug}" if self.partner else ""
        filename = f"siar-partner-report{suffix}-{timezone.localdate():%Y-%m-%d}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # a byte-order mark, so that Excel reads UTF-8
        writer = csv.writer(response)
        writer.writerow([str(label) for label, _value in columns])
        for row in rows:
            writer.writerow([csv_safe(value(row)) for _label, value in columns])
        return response


class PartnerReportViewSet(ViewSet):
    name = REPORT
    url_prefix = "syndication/partner-report"
    icon = "table"
    menu_label = _("Partner report")

    def get_urlpatterns(self):
        return [
            path("", PartnerReportView.as_view(), name="index"),
            path("csv/", PartnerReportView.as_view(export_csv=True), name="csv"),
        ]

    @cached_property
    def menu_item_class(self):
        class ReportMenuItem(MenuItem):
            def is_shown(self, request):
                return can(request.user, "change", "view")

        return ReportMenuItem
