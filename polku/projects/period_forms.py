from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput


class PeriodForm(forms.Form):
    starts_on = forms.DateField(
        label=_("First day"),
        widget=DateInput(),
        error_messages={"required": _("Give the first day of the period.")},
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        error_messages={"required": _("Give the last day of the period.")},
    )


class CloseForm(forms.Form):
    """Closing asks nothing more: the confirmation page says what will follow."""
