"""Forms for the work-trial screens: arranging and editing a trial, the client's consent to
disclose to the host, and the host's feedback form behind the link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput
from polku.core.forms import reason_choices
from polku.employment.models import Employer, EmployerContactPerson
from polku.employment.worktrial_enums import AREA_LABELS, Rating, TrialPurpose, area_label
from polku.employment.worktrial_services import AREA_LABEL_LENGTH, COMMENT_LENGTH
from polku.policy.enums import ConsentMethod


class WorkTrialForm(forms.Form):
    employer = forms.ModelChoiceField(
        label=_("Host employer"),
        queryset=Employer.objects.none(),
        help_text=_("Add a new employer in the employer register first."),
    )
    contact_person = forms.ModelChoiceField(
        label=_("Host's contact person"),
        queryset=EmployerContactPerson.objects.none(),
        help_text=_("The person at the host who gives feedback on the trial."),
    )
    workplace = forms.CharField(
        label=_("Workplace"),
        required=False,
        max_length=200,
        help_text=_("The site or department where the trial takes place."),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), widget=DateInput())
    tasks = forms.CharField(
        label=_("Tasks"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=reason_choices(TrialPurpose.choices),
        widget=forms.RadioSelect,
    )
    default_areas = forms.MultipleChoiceField(
        label=_("Areas to observe"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    custom_areas = forms.CharField(
        label=_("Other areas to observe"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One area a line, in your own words."),
    )

    def __init__(self, *args: Any, with_employer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_areas"].choices = [  # type: ignore[attr-defined]
            (code, label) for code, label in AREA_LABELS.items()
        ]
        self.fields["purpose"].choices = TrialPurpose.choices  # type: ignore[attr-defined]
        if with_employer:
            self.fields["employer"].queryset = Employer.objects.filter(is_active=True)  # type: ignore[attr-defined]
        else:
            del self.fields["employer"]
        self.fields["contact_person"].queryset = (  # type: ignore[attr-defined]
            EmployerContactPerson.objects.filter(is_active=True, employer__is_active=True)
            .select_related("employer")
            .order_by("employer__name", "name")
        )
        self.fields["contact_person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda person: f"{person} ({person.employer.name})"
        )

    def clean_custom_areas(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["custom_areas"].splitlines()]
        too_long = [line for line in lines if len(line) > AREA_LABEL_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Name each area in at most %(count)d characters.") % {"count": AREA_LABEL_LENGTH}
            )
        return [line for line in lines if line]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        areas = [{"code": code, "label": ""} for code in data.pop("default_areas")]
        areas += [{"code": "", "label": label} for label in data.pop("custom_areas")]
        data["areas"] = areas
        return data

    @staticmethod
    def initial_of(trial: Any) -> dict[str, Any]:
        return {
            "contact_person": trial.contact_person_id,
            "workplace": trial.workplace,
            "starts_on": trial.starts_on,
            "ends_on": trial.ends_on,
            "tasks": trial.tasks,
            "purpose": trial.purpose,
            "default_areas": [a["code"] for a in trial.areas if a["code"] in AREA_LABELS],
            "custom_areas": "\n".join(
                a["label"] for a in trial.areas if a["code"] not in AREA_LABELS
            ),
        }


class EmployerConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the client gave the consent"),
        choices=reason_choices(ConsentMethod.choices),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Until withdrawn, if left empty."),
    )
    evidence = forms.CharField(
        label=_("Signed form"),
        required=False,
        max_length=200,
        help_text=_("Where the signed consent form is archived (document or archive number)."),
    )


class HostFeedbackForm(forms.Form):
    """The host's ratings (1–5 in words) and a comment for each of the trial's areas, and an
    overall comment. Fields are named after the trial's own area codes; the form carries
    no id of the trial or the link: the token in the address alone decides."""

    overall = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, areas: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = [(area["code"], area_label(area)) for area in areas]
        fields: dict[str, forms.Field] = {}
        for code, label in self.areas:
            fields[f"rating_{code}"] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                choices=[(value, f"{value} – {text}") for value, text in Rating.choices],
                widget=forms.RadioSelect,
            )
            fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment on “%(area)s”") % {"area": label},
                required=False,
                max_length=COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        overall = self.fields.pop("overall")
        self.fields.update(fields)
        self.fields["overall"] = overall

    def area_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"rating_{code}"], self[f"comment_{code}"]) for code, _label in self.areas]

    def ratings(self) -> dict[str, Any]:
        return {code: self.cleaned_data.get(f"rating_{code}") for code, _label in self.areas}

    def comments(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"comment_{code}", "") for code, _label in self.areas}

    @staticmethod
    def initial_of(feedback: Any) -> dict[str, Any]:
        if feedback is None:
            return {}
        initial: dict[str, Any] = {"overall": feedback.overall}
        for code, value in feedback.ratings.items():
            initial[f"rating_{code}"] = value
        for code, text in feedback.comments.items():
            initial[f"comment_{code}"] = text
        return initial
