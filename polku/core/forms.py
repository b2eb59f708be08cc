"""Form helpers shared by every capability's views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors on the form, next to their fields when named."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def acted(form: forms.BaseForm, act: Callable[[dict[str, Any]], T]) -> T | None:
    """Run ``act`` on a bound form's cleaned data when the form is valid, in a savepoint;
    a service's refusal (``ValidationError``) goes onto the form and changes nothing. The
    act's result, or None when the form was not sent, was invalid or the act was refused."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return act(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None


def reason_choices(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The choices of a reason chosen on purpose: the list starts empty, so that nothing
    is preselected and a required field refuses a form sent without a choice."""
    return [("", _("– choose –")), *choices]


class CorrectionForm(forms.Form):
    """The reason for correcting an act recorded by mistake (reopening, restoring)."""

    reason = forms.CharField(
        label=_("Why the end was a mistake"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the end was a mistake.")},
    )
