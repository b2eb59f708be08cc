"""Forms of the fidelity self-review: starting a review, scoring it, and the scale's
wording entered by an administrator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput
from polku.employment.fidelity_scoring import HIGHEST_SCORE, LOWEST_SCORE
from polku.employment.fidelity_services import score_field
from polku.employment.models import FidelityItem, FidelityReview, FidelitySection
from polku.employment.models.fidelity import FidelityScore

SCORES = range(LOWEST_SCORE, HIGHEST_SCORE + 1)


def note_field(number: int) -> str:
    return f"note_{number}"


class StartReviewForm(forms.ModelForm):
    class Meta:
        model = FidelityReview
        fields = ["reviewed_on", "reviewers", "notes"]
        widgets = {"reviewed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reviewers": _("Who took part in the review, e.g. the team and its lead.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("reviewed_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ScoringForm(forms.Form):
    """A 1–5 choice and a note for each of the 25 items, and the review's reviewers and
    notes. Every score is optional here: a draft may have gaps; finalising checks them."""

    reviewers = forms.CharField(label=_("Reviewers"), max_length=500, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        review: FidelityReview,
        items: list[FidelityItem],
        scores: dict[int, FidelityScore],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {"reviewers": review.reviewers, "notes": review.notes}
        for number, score in scores.items():
            initial[score_field(number)] = str(score.score)
            initial[note_field(number)] = score.note
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            choices = [
                (
                    str(score),
                    f"{score} – {anchor}" if (anchor := item.anchor(score)) else str(score),
                )
                for score in SCORES
            ]
            self.fields[score_field(item.number)] = forms.ChoiceField(
                label=_("Item %(number)d: %(title)s") % {"number": item.number, "title": item.label}
                if item.has_wording
                else item.label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose a score from %(lowest)d to %(highest)d.")
                    % {"lowest": LOWEST_SCORE, "highest": HIGHEST_SCORE}
                },
            )
            self.fields[note_field(item.number)] = forms.CharField(
                label=_("Note on item %(number)d") % {"number": item.number},
                max_length=1000,
                required=False,
            )

    def sections(
        self,
    ) -> list[tuple[str, list[tuple[FidelityItem, forms.BoundField, forms.BoundField]]]]:
        """The items by section, in order, each with its score and note fields."""
        grouped: dict[str, list[tuple[FidelityItem, forms.BoundField, forms.BoundField]]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(
                (item, self[score_field(item.number)], self[note_field(item.number)])
            )
        return [
            (str(FidelitySection(section).label), grouped[section])
            for section in FidelitySection.values
            if section in grouped
        ]

    def scores(self) -> dict[int, int | None]:
        return {
            item.number: int(value)
            if (value := self.cleaned_data[score_field(item.number)])
            else None
            for item in self.items
        }

    def item_notes(self) -> dict[int, str]:
        return {item.number: self.cleaned_data[note_field(item.number)] for item in self.items}


class ItemWordingForm(forms.Form):
    """An item's title and the meaning of each score, in each language of Polku."""

    def __init__(self, *args: Any, item: FidelityItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title_fields: list[str] = []
        self.anchor_fields: list[tuple[int, list[str]]] = []
        for code, language in settings.LANGUAGES:
            name = f"title__{code}"
            self.fields[name] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": language},
                max_length=300,
                required=False,
                initial=item.title.get(code, ""),
            )
            self.title_fields.append(name)
        for score in SCORES:
            names = []
            for code, language in settings.LANGUAGES:
                name = f"anchor_{score}__{code}"
                self.fields[name] = forms.CharField(
                    label=_("Score %(score)d (%(language)s)")
                    % {"score": score, "language": language},
                    max_length=1000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=item.anchors.get(str(score), {}).get(code, ""),
                )
                names.append(name)
            self.anchor_fields.append((score, names))

    def title(self) -> dict[str, str]:
        return {name.split("__")[1]: self.cleaned_data[name] for name in self.title_fields}

    def anchors(self) -> dict[int, dict[str, str]]:
        return {
            score: {name.split("__")[1]: self.cleaned_data[name] for name in names}
            for score, names in self.anchor_fields
        }

    def anchor_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(score, [self[name] for name in names]) for score, names in self.anchor_fields]

    def title_group(self) -> list[forms.BoundField]:
        return [self[name] for name in self.title_fields]
