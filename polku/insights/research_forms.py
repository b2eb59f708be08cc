"""The form that records a research study. It reads the input; ``research_services``
checks it (the data range, the variables, a study id used already)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation
from polku.clients.forms import DateInput
from polku.insights.enums import DateHandling
from polku.insights.research_variables import variable_choices


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localized_name)


class StudyForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Disclosing organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the organisation that discloses the data."),
            "invalid_choice": _("Choose the organisation that discloses the data."),
        },
    )
    code = forms.CharField(
        label=_("Study id"),
        max_length=60,
        help_text=_("The id the permit gives the study, e.g. THL/1234/2026."),
        error_messages={"required": _("Write the study's id.")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, error_messages={"required": _("Write the title.")}
    )
    purpose = forms.CharField(
        label=_("Purpose of the study"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the purpose of the study.")},
    )
    approver = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_("The ethics committee or the data permit authority that approved it."),
        error_messages={"required": _("Name who approved the study.")},
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=100,
        error_messages={"required": _("Write the decision's reference.")},
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the decision's date."),
            "invalid": _("Give the date as a day, month and year."),
        },
    )
    data_from = forms.DateField(
        label=_("Data from"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the first day of the data."),
            "invalid": _("Give the date as a day, month and year."),
        },
    )
    data_until = forms.DateField(
        label=_("Data until"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the last day of the data."),
            "invalid": _("Give the date as a day, month and year."),
        },
    )
    closes_on = forms.DateField(
        label=_("Extracts may be made until"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day of the permit; leave empty when it names none."),
        error_messages={"invalid": _("Give the date as a day, month and year.")},
    )
    variables = forms.MultipleChoiceField(
        label=_("Variables"),
        choices=variable_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one variable."),
            "invalid_choice": _("Unknown variable: %(value)s."),
        },
    )
    date_handling = forms.ChoiceField(
        label=_("Dates"),
        choices=DateHandling.choices,
        widget=forms.RadioSelect,
        initial=DateHandling.SHIFT,
        error_messages={
            "required": _("Choose how the dates are given."),
            "invalid_choice": _("Choose how the dates are given."),
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
