"""Form helpers shared by every capability's views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors on the form, next to their fields when named."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
