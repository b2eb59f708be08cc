"""Acts that cannot simply be taken back, in two steps that work without JavaScript.

The first POST validates the form (and the service's own checks) and answers with a page
that says what will follow. That page carries the values entered as hidden fields, with a
signature over them, the act, its object and the user; nothing has changed yet. The second
POST (``confirm``) must bring back the same values with a valid signature no older than
``MAX_AGE``: a changed hidden field is refused and changes nothing. The values are then
validated again and the service checks the policy and the record's state again, so a page
left open while someone else changed the record acts on the record as it is now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from polku.core.forms import apply_errors
from polku.core.views import problem

CONFIRM = "confirm"
EDIT = "edit"
SIGNATURE = "confirmation"
# How long a confirmation page may wait for its answer (seconds).
MAX_AGE = 60 * 60


def _values(form: forms.Form) -> list[list[str]]:
    """The form's fields as submitted: [prefixed name, value] pairs, in field order."""
    data = form.data
    return [
        [name, str(value)]
        for name in (form.add_prefix(field) for field in form.fields)
        for value in (data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")])
    ]


@dataclass(frozen=True)
class Step:
    """The confirmation step of one act on one object by one user."""

    form: forms.Form
    act: str
    subject: str
    user_id: int | None

    def _signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(
            salt=f"polku.confirmation:{self.act}:{self.subject}:{self.user_id}"
        )

    def hidden_values(self) -> list[list[str]]:
        """What the confirmation page carries, as hidden fields."""
        return _values(self.form)

    def signature(self) -> str:
        return self._signer().sign_object(_values(self.form))

    def signature_matches(self) -> bool:
        """Whether the values posted are the ones the confirmation page showed, signed for
        this act, object and user, within ``MAX_AGE``."""
        try:
            signed = self._signer().unsign_object(
                str(self.form.data.get(SIGNATURE, "")), max_age=MAX_AGE
            )
        except signing.BadSignature:
            return False
        return bool(signed == _values(self.form))


def confirm_then_act(
    request: HttpRequest,
    *,
    form: forms.Form,
    act: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    log_view: Callable[[], object],
    check: Callable[[dict[str, Any]], object],
    consequences: Callable[[dict[str, Any]], dict[str, Any]],
    perform: Callable[[dict[str, Any]], HttpResponse],
    back_url: str,
) -> HttpResponse:
    """Run a two-step act on ``template``: the form (GET, or a POST with errors or
    ``edit``), the confirmation page (a valid first POST: ``check`` raises
    ``ValidationError`` for anything the service would refuse, and ``consequences`` gives
    what the page says will follow), then ``perform`` (a confirmed POST). The caller has
    already checked that the actor may take the act; ``log_view`` logs what a page shows.
    The template (built on ``two_step.html``) gets ``form``, ``cancel_url`` (``back_url``),
    ``context`` and, on the confirmation page, ``step``."""

    def show(status: int, **more: Any) -> HttpResponse:
        log_view()
        return render(
            request,
            template,
            {"form": form, "cancel_url": back_url, **context, **more},
            status=status,
        )

    if request.method != "POST":
        return show(200)
    step = Step(form, act, subject, request.user.pk)
    if EDIT in request.POST:
        form.is_valid()  # shows the values as typed, and any error they already have
        return show(200)
    confirming = CONFIRM in request.POST
    if confirming and not step.signature_matches():
        return problem(
            request,
            _(
                "The confirmed values differ from the ones shown, or the confirmation "
                "has expired. Nothing was changed; please start again."
            ),
            back_url=back_url,
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if confirming:
                return perform(data)
            check(data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return show(200, step=step, **consequences(data))
    return show(400)
