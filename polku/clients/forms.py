"""Forms for the professional's client screens. They validate input; services decide."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, Unit
from polku.audit.selectors import LogFilter
from polku.clients.enums import Gender, Language
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import ADDRESS_FIELDS
from polku.core.forms import reason_choices
from polku.core.models import Municipality
from polku.policy import legal_bases
from polku.policy.enums import (
    CONSENT_PURPOSES,
    DISCLOSABLE_CATEGORIES,
    Action,
    ConsentMethod,
    ConsentRenewalReason,
    DataCategory,
    LegalBasis,
    Register,
    RelationshipEndReason,
    WithdrawalMethod,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


postal_code_validator = RegexValidator(
    r"^[0-9]{5}$", _("A postal code has five digits, e.g. 33100.")
)


# What looks like an identity code, valid or not (as the search treats it).
IDENTITY_CODE_IN_TEXT = re.compile(r"[0-9]{6}\S{5}")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, date of birth or identity code"),
        required=False,
        max_length=200,
        help_text=_("For example: Virtanen Matti, 14.3.1985 or a full identity code."),
    )

    def __init__(self, *args: Any, refuse_identity_codes: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refuse_identity_codes = refuse_identity_codes

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if self.refuse_identity_codes and IDENTITY_CODE_IN_TEXT.search(query):
            raise forms.ValidationError(
                _("Search by identity code with the search form, not in the page address.")
            )
        return query


class IdentityCodeField(forms.CharField):
    """An optional identity code, normalised and validated with a message per problem."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Identity code"))
        kwargs.setdefault("max_length", 11)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return parse_identity_code(value).value if value else ""


class RelationshipTermsForm(forms.Form):
    """The service relationship the user's organisation starts with the client."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    register = forms.ChoiceField(
        label=_("Register"),
        choices=Register.choices,
        help_text=_(
            "Where your organisation keeps what it records about the client. Other "
            "registers see it only with the client's consent or another legal ground."
        ),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    started_on = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        # The usual register and legal basis of the (first) organisation's kind, said why.
        if organisations:
            kind = organisations[0].kind
            kwargs["initial"] = {
                "register": legal_bases.register_for(kind),
                "legal_basis": legal_bases.legal_bases_for(kind)[0],
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["legal_basis"].help_text = " ".join(
                (
                    legal_bases.explanation_for(organisations[0].kind),
                    str(_("Choose another only if the service rests on another law.")),
                )
            )
        ids = [organisation.pk for organisation in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            organisation_id__in=ids, is_active=True
        ).select_related("organisation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, organisation = data.get("unit"), data.get("organisation")
        if unit and organisation and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("The unit must belong to the chosen organisation."))
        return data


class ClientDetailsForm(forms.Form):
    first_names = forms.CharField(label=_("First names"), max_length=200)
    last_name = forms.CharField(label=_("Last name"), max_length=200)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        initial=Gender.NOT_STATED,
        help_text=_("As the client tells it."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"),
        queryset=Municipality.objects.order_by("name_fi"),
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language of service"), choices=Language.choices
    )
    plain_language = forms.BooleanField(label=_("Prefers plain language"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=5, required=False, validators=[postal_code_validator]
    )
    post_office = forms.CharField(label=_("Post office"), max_length=100, required=False)

    def __init__(self, *args: Any, address_withheld: bool = False, **kwargs: Any) -> None:
        """``address_withheld``: the client's address is under a non-disclosure for
        personal safety that the user's organisation did not register; the form neither
        shows nor changes it."""
        super().__init__(*args, **kwargs)
        self.address_withheld = address_withheld
        if address_withheld:
            for name in ADDRESS_FIELDS:
                del self.fields[name]


class NewClientForm(ClientDetailsForm):
    identity_code = IdentityCodeField(
        required=False,
        help_text=_("Optional. With the code, the same person is never registered twice."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput(),
        required=False,
        help_text=_("Needed when there is no identity code."),
    )
    non_disclosure = forms.BooleanField(
        label=_("Non-disclosure for personal safety"),
        required=False,
        help_text=_(
            "The client's address and municipality are then shown only to your "
            "organisation, on every page, printout and export."
        ),
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person with the same name and birth date"),
        required=False,
    )

    field_order = ["first_names", "last_name", "identity_code", "birth_date"]

    def clean_birth_date(self) -> date | None:
        birth_date: date | None = self.cleaned_data["birth_date"]
        if birth_date is not None and birth_date > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        return birth_date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("identity_code")
        if code:
            data["birth_date"] = parse_identity_code(code).birth_date
        elif not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Enter the date of birth or the identity code."))
        return data


class ConsentForm(forms.Form):
    discloser = forms.ModelChoiceField(
        label=_("Disclosing organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        empty_label=_("All of the client's current service providers"),
    )
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[(p.value, p.label) for p in CONSENT_PURPOSES]
    )
    categories = forms.MultipleChoiceField(
        label=_("Data the consent covers"),
        choices=[(c.value, c.label) for c in DISCLOSABLE_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of data.")},
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput(), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for a consent in force until withdrawn."),
    )
    method = forms.ChoiceField(label=_("How the consent was given"), choices=ConsentMethod.choices)
    evidence = forms.CharField(
        label=_("Archive reference of the signed form"),
        required=False,
        max_length=200,
        help_text=_(
            "Needed when the consent discloses another organisation's records: the client's "
            "signed form is the evidence."
        ),
    )


def end_date_field(label: StrOrPromise | None = None) -> forms.DateField:
    """The date an episode, a relationship or a team membership ends: today, unless
    another is given."""
    return forms.DateField(
        label=label or _("End date"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty."),
    )


class WithdrawConsentForm(forms.Form):
    withdrawal_method = forms.ChoiceField(
        label=_("How the client withdrew the consent"),
        choices=reason_choices(WithdrawalMethod.choices),
        error_messages={"required": _("Choose how the client withdrew the consent.")},
        help_text=_("The client may withdraw a consent at any time and need not say why."),
    )


class RecordConsentAgainForm(forms.Form):
    replacement_reason = forms.ChoiceField(
        label=_("Why the consent is recorded again"),
        choices=reason_choices(ConsentRenewalReason.choices),
        error_messages={"required": _("Choose why the consent is recorded again.")},
    )
    valid_until = ConsentForm.base_fields["valid_until"]
    method = forms.ChoiceField(
        label=_("How the client gave the consent now"),
        choices=reason_choices(ConsentMethod.choices),
        error_messages={"required": _("Choose how the client gave the consent.")},
    )
    evidence = ConsentForm.base_fields["evidence"]


class EndRelationshipForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why the service relationship ends"),
        choices=reason_choices(RelationshipEndReason.choices),
        error_messages={"required": _("Choose why the service relationship ends.")},
    )
    ended_on = end_date_field()


class MergeForm(forms.Form):
    keep = forms.UUIDField(label=_("Record to keep (client ID)"))
    duplicate = forms.UUIDField(label=_("Duplicate record to merge into it (client ID)"))
    confirmed = forms.BooleanField(
        label=_("I have checked that both records are the same person"), required=False
    )


# A log row's number: positive, and within the database's 64-bit integers.
LOG_ROW_NUMBER = re.compile(r"[1-9][0-9]{0,17}")
# The dates a period of the log may name.
LOG_DATES = (date(2000, 1, 1), date(2999, 12, 31))


class AccessLogFilterForm(forms.Form):
    """Narrowing a client's access log: a period, who did it, what data, what kind of act;
    and the page (rows numbered before or after a row)."""

    date_from = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    category = forms.ChoiceField(
        label=_("Data"), choices=[("", _("All data")), *DataCategory.choices], required=False
    )
    action = forms.ChoiceField(
        label=_("Act"), choices=[("", _("All acts")), *Action.choices], required=False
    )
    # The page: rows numbered before or after a row's number (set by the page links).
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("All organisations")),
            *organisations,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", date_from), ("date_to", date_to)):
            if day is not None and not LOG_DATES[0] <= day <= LOG_DATES[1]:
                self.add_error(name, _("Give a date between 1.1.2000 and 31.12.2999."))
                date_from = date_to = None
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        for name in ("before", "after"):
            value = data.get(name) or ""
            data[name] = int(value) if LOG_ROW_NUMBER.fullmatch(value) else None
            if value and data[name] is None:
                self.add_error(None, _("There is no such page of the log."))
        return data

    def log_filter(self) -> LogFilter:
        """The filter the valid form describes."""
        data = self.cleaned_data
        return LogFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            organisation_id=data["organisation"],
            category=DataCategory(data["category"]) if data["category"] else None,
            action=Action(data["action"]) if data["action"] else None,
        )

    def query(self, **page: int) -> str:
        """The valid filter as a query string, with the page's ``before`` or ``after``."""
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in {"before", "after"}
        }
        values.update(page)
        return urlencode(values)
