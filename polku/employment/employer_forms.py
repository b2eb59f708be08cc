"""Forms of the employer register and the engagement log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import OrganisationKind
from polku.accounts.models import Organisation
from polku.clients.forms import DateInput
from polku.core.models import Industry, Municipality
from polku.employment.models import (
    ContactMode,
    Employer,
    EmployerContact,
    EmployerContactPerson,
)


class CodeChoiceField(forms.ModelChoiceField):
    """A code-set entry shown as "code name" in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class EmployerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or business ID"),
        required=False,
        max_length=200,
        help_text=_("The beginning of the name, or the whole business ID."),
    )


class EmployerForm(forms.ModelForm):
    industry = CodeChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.filter(parent__isnull=False).order_by("code"),
        required=False,
        help_text=_("Standard Industrial Classification TOL 2008."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name_fi")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation in Polku"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True),
        required=False,
        help_text=_("Only if the employer's own staff use Polku."),
    )

    class Meta:
        model = Employer
        fields = [
            "name",
            "business_id",
            "industry",
            "size_band",
            "municipality",
            "address",
            "organisation",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = EmployerContactPerson
        fields = ["name", "title", "phone", "email"]


class EmployerContactForm(forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = [
            "date",
            "mode",
            "purpose",
            "contact_person",
            "result",
            "next_step",
            "next_step_date",
        ]
        widgets = {
            "date": DateInput(),
            "next_step_date": DateInput(),
            "mode": forms.RadioSelect(),
            "result": forms.Textarea(attrs={"rows": 3}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        # A radio list needs no empty choice: the mode is required.
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.choices = ContactMode.choices
        people = self.fields["contact_person"]
        assert isinstance(people, forms.ModelChoiceField)
        people.queryset = employer.contact_people.filter(is_active=True).order_by("name")
        self.instance.employer = employer


class WeekRangeForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Last day"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return cleaned
