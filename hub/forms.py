"""The article editor's form: a contributor's article is credited to their own source unit."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .contributors import saved_unit_id, units_for

NO_UNIT = _(
    "Your account is not tied to a source unit yet, so your article cannot be credited. "
    "Ask an editor or an administrator to add you as a member of your unit "
    "(Classification → Source units → your unit → Members)."
)


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing_unit = False  # a contributor with no unit and nothing saved: clean() explains
        field = self.fields.get("source_unit")
        units = units_for(self.for_user, self.instance if self.instance.pk else self.parent_page)
        if field is None or units is None:
            return
        saved = saved_unit_id(self.instance.pk)  # stays valid, e.g. a unit an editor chose
        field.widget = forms.Select()  # not the snippet chooser, whose modal lists every unit
        field.queryset = units.model.objects.filter(Q(pk__in=units) | Q(pk=saved)) if saved else units
        own = list(units[:2])
        if len(own) == 1 and not saved:
            self.initial["source_unit"] = own[0].pk
            field.empty_label = None  # nothing else to choose
            field.widget.choices = field.choices
        if not own and not saved:
            self.missing_unit = True
            field.help_text = NO_UNIT

    def clean(self):
        cleaned = super().clean()
        if self.missing_unit:
            self.add_error("source_unit", ValidationError(NO_UNIT, code="no_source_unit"))
        return cleaned
