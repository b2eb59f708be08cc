"""The confirmation step signs exactly the values it shows, for one act, object and user."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.http import QueryDict

from polku.core.confirmation import Step


def confirmed(response: Any, **changes: str) -> dict[str, str]:
    """What a confirmation page posts back when its button is pressed (with ``changes``
    made to its hidden fields, as a tamperer would)."""
    step = response.context["step"]
    return {
        **dict(step.hidden_values()),
        "confirmation": step.signature(),
        "confirm": "1",
        **changes,
    }


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(choices=[("", "–"), ("a", "A"), ("b", "B")])
    kinds = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)


def step(query: str, *, act: str = "end", subject: str = "s1", user_id: int = 1) -> Step:
    return Step(ReasonForm(QueryDict(query), prefix="p"), act, subject, user_id)


def answer(shown: Step, query: str, **kwargs: Any) -> Step:
    """The step as posted back: ``query`` and the signature ``shown`` put on the page."""
    signed = QueryDict(query, mutable=True)
    signed["confirmation"] = shown.signature()
    return Step(
        ReasonForm(signed, prefix="p"),
        kwargs.pop("act", shown.act),
        kwargs.pop("subject", shown.subject),
        kwargs.pop("user_id", shown.user_id),
    )


def test_the_values_shown_are_the_prefixed_fields_as_posted_every_value_of_each():
    shown = step("p-reason=a&p-kinds=x&p-kinds=y&other=1")

    assert shown.hidden_values() == [["p-reason", "a"], ["p-kinds", "x"], ["p-kinds", "y"]]


def test_the_same_values_back_match():
    shown = step("p-reason=a&p-kinds=x")

    assert answer(shown, "p-reason=a&p-kinds=x&confirm=1").signature_matches()


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("p-reason=b&p-kinds=x", {}),
        ("p-reason=a", {}),
        ("p-reason=a&p-kinds=x&p-kinds=y", {}),
        ("p-reason=a&p-kinds=x", {"act": "withdraw"}),
        ("p-reason=a&p-kinds=x", {"subject": "s2"}),
        ("p-reason=a&p-kinds=x", {"user_id": 2}),
    ],
    ids=[
        "a changed value",
        "a value left out",
        "a value added",
        "another act",
        "another object",
        "another user",
    ],
)
def test_anything_else_does_not_match(query, where):
    shown = step("p-reason=a&p-kinds=x")

    assert not answer(shown, query, **where).signature_matches()


def test_an_expired_or_forged_signature_does_not_match(monkeypatch):
    shown = step("p-reason=a")
    forged = QueryDict("p-reason=a&confirmation=p-reason:a", mutable=True)
    assert not Step(ReasonForm(forged, prefix="p"), "end", "s1", 1).signature_matches()

    monkeypatch.setattr("polku.core.confirmation.MAX_AGE", -1)
    assert not answer(shown, "p-reason=a").signature_matches()
