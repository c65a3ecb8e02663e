"""The article editor's form: a contributor's article is credited to their own source unit."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .contributors import units_for

NO_UNIT = _(
    "Your account is not tied to a source unit yet, so your article cannot be credited. "
    "Ask an editor or an administrator to add you as a member of your unit "
    "(Classification → Source units → your unit → Members)."
)


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        where = self.instance if self.instance.pk else self.parent_page
        self.contributor_units = units_for(self.for_user, where)
        # The credit saved in the database (not a revision's, e.g. when reverting) stays valid.
        self.saved_unit_id = (
            type(self.instance).objects.filter(pk=self.instance.pk).values_list("source_unit_id", flat=True).first()
            if self.instance.pk
            else None
        )
        field = self.fields.get("source_unit")
        if field is None or self.contributor_units is None:
            return
        allowed = self.contributor_units
        if self.saved_unit_id:
            allowed = allowed.model.objects.filter(Q(pk__in=allowed) | Q(pk=self.saved_unit_id))
        field.widget = forms.Select()  # not the snippet chooser, whose modal lists every unit
        field.queryset = allowed  # also sets the select's choices
        units = list(self.contributor_units[:2])
        if len(units) == 1 and not self.saved_unit_id:
            self.initial["source_unit"] = units[0].pk
            field.empty_label = None  # nothing else to choose
            field.widget.choices = field.choices
        if not units and not self.saved_unit_id:
            field.help_text = NO_UNIT

    def clean(self):
        cleaned = super().clean()
        bound = self.contributor_units is not None and "source_unit" in self.fields
        if bound and not self.saved_unit_id and not self.contributor_units.exists():
            self.add_error("source_unit", ValidationError(NO_UNIT, code="no_source_unit"))
        return cleaned
