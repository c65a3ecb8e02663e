"""Channel accounts in the admin: health at a glance, and a form that never shows a token again."""

from django import forms
from django.contrib import messages as django_messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import ChannelAccount
from .actions import account_saved
from .secret_fields import has_stray_characters, write_only_secret_field


class ChannelAccountForm(WagtailAdminModelForm):
    """The token is write-only: never rendered, blank keeps the stored one."""

    token = write_only_secret_field(_("Token"))
    forget_token = forms.BooleanField(
        label=_("Remove the stored token"),
        required=False,
        help_text=_("The account then uses the outbox: posts are recorded, not published."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_token = self.instance.token if self.instance.pk else ""
        self.initial["token"] = ""  # the stored value never reaches a template
        if self._stored_token:
            help_text = _("A token is stored (encrypted). Leave blank to keep the current token.")
        else:
            help_text = _("No token is stored: the account uses the outbox. Paste a token to publish for real.")
        self.fields["token"].help_text = help_text
        self.token_changed = False

    def clean_token(self):
        token = self.cleaned_data.get("token") or ""
        if has_stray_characters(token):
            raise forms.ValidationError(_("A token has no spaces or line breaks: copy it again, in one piece."))
        return token

    def clean(self):
        cleaned = super().clean()
        new_token = cleaned.get("token") or ""
        if cleaned.get("forget_token") and not new_token:
            cleaned["token"] = ""
        elif not new_token:
            cleaned["token"] = self._stored_token
        self.token_changed = bool(new_token) or (bool(cleaned.get("forget_token")) and bool(self._stored_token))
        return cleaned


class AccountHealthPanel(Panel):
    """Read-only: connection status, last success and last error of a saved account."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "siar_channels/accounts/health_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["account"] = self.instance
            context["token_expired"] = token_expired(self.instance)
            return context


def token_expired(account: ChannelAccount) -> bool:
    return bool(account.token_expires_at and account.token_expires_at <= timezone.now())


class StatusColumn(Column):
    cell_template_name = "siar_channels/tables/account_status_cell.html"


class TokenExpiryColumn(DateColumn):
    cell_template_name = "siar_channels/tables/token_expiry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["expired"] = token_expired(instance)
        return context


class LastErrorColumn(Column):
    cell_template_name = "siar_channels/tables/last_error_cell.html"


class ChannelAccountEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        account = ChannelAccount.objects.filter(pk=kwargs.get("pk")).only("partner").first()
        if account is not None and account.partner_id:  # kept in step with its partner: edit it there
            django_messages.info(request, _("This account belongs to a partner's webhook: edit the partner instead."))
            return redirect("siar_partners:edit", account.partner_id)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        instance = super().save_instance()
        account_saved(self.request, instance, token_changed=self.form.token_changed)
        return instance


class ChannelAccountCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        account_saved(self.request, instance, token_changed=self.form.token_changed)
        return instance


class ChannelAccountDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            django_messages.error(
                self.request,
                _("“%(account)s” has deliveries, so it cannot be deleted. Untick “active” to stop using it.")
                % {"account": self.object},
            )
            return redirect(self.get_success_url())


class ChannelAccountViewSet(ModelViewSet):
    model = ChannelAccount
    name = "siar_channel_accounts"
    url_prefix = "syndication/accounts"
    icon = "key"
    menu_label = _("Channel accounts")
    add_view_class = ChannelAccountCreateView
    edit_view_class = ChannelAccountEditView
    delete_view_class = ChannelAccountDeleteView
    copy_view_enabled = False
    add_to_reference_index = False
    search_fields = ["name", "external_id"]
    list_filter = ["channel", "status", "is_active"]
    list_display = [
        "name",
        "channel",
        StatusColumn("status", label=_("Status")),
        BooleanColumn("has_credentials", label=_("Has token")),
        TokenExpiryColumn("token_expires_at", label=_("Token expires"), sort_key="token_expires_at"),
        DateColumn("last_success_at", label=_("Last success"), sort_key="last_success_at"),
        LastErrorColumn("last_error", label=_("Last error")),
        BooleanColumn("is_active", label=_("Active")),
    ]
    edit_handler = ObjectList(
        [
            AccountHealthPanel(heading=_("Health")),
            FieldPanel("channel"),
            FieldPanel("name"),
            FieldPanel("external_id"),
            MultiFieldPanel(
                [FieldPanel("token"), FieldPanel("forget_token"), FieldPanel("token_expires_at")],
                heading=_("Credentials"),
            ),
            FieldPanel("is_active"),
            MultiFieldPanel(
                [
                    FieldPanel("default_for_all_categories"),
                    FieldPanel("default_categories", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Default for new articles"),
            ),
            FieldPanel("options"),
        ],
        base_form_class=ChannelAccountForm,
    )
