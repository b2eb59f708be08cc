"""The IPS supported-employment fidelity scale and a unit's self-reviews against it.

A fidelity review is the service's own quality review of a unit (a team of an
organisation), not client data: it names no client, so reading and writing it writes no
access-log rows. The scale's structure (25 items in three sections, each scored 1–5) is
shipped as data; the items' wording may be reproduced only under its licence, so it ships
empty and an administrator enters it from the licensed source, as the instrument templates'
wording is entered (``measures`` "wording page for templates").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, Unit, User
from polku.core import languages
from polku.employment.fidelity_scoring import HIGHEST_SCORE, ITEM_COUNT, LOWEST_SCORE


class FidelitySection(models.TextChoices):
    """The scale's three sections: items 1–3, 4–11 and 12–25."""

    STAFFING = "staffing", _("Staffing")
    ORGANISATION = "organisation", _("Organisation")
    SERVICES = "services", _("Services")


# The section of each item number, as the scale is built.
SECTION_OF_ITEM = {
    number: (
        FidelitySection.STAFFING
        if number <= 3
        else FidelitySection.ORGANISATION
        if number <= 11
        else FidelitySection.SERVICES
    )
    for number in range(1, ITEM_COUNT + 1)
}


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


def _in_language(texts: dict[str, str]) -> str:
    """A text in the reader's language, else in the default language, else any entered."""
    code = (translation.get_language() or languages.default()).split("-")[0]
    return texts.get(code) or texts.get(languages.default()) or next(iter(texts.values()), "")


class FidelityItem(models.Model):
    """One item of the scale. ``title`` is {language: text}; ``anchors`` is
    {"1".."5": {language: text}}, what each score means. Both are empty until an
    administrator enters them from the licensed source."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    section = models.CharField(_("section"), max_length=16, choices=FidelitySection.choices)
    title = models.JSONField(_("title"), default=dict, blank=True)
    anchors = models.JSONField(_("anchors"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fidelity item")
        verbose_name_plural = _("fidelity items")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=ITEM_COUNT),
                name="fidelity_item_number_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The item's title in the reader's language, else "Item 7" (wording not entered)."""
        return _in_language(self.title) or str(_("Item %(number)d") % {"number": self.number})

    @property
    def has_wording(self) -> bool:
        return bool(self.title)

    def anchor(self, score: int) -> str:
        """What ``score`` means on this item, in the reader's language; empty if not entered."""
        return _in_language(self.anchors.get(str(score), {}))


class FidelityReview(models.Model):
    """One fidelity self-review of a unit. A draft may miss scores; a final review has all
    25 and is not changed again."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="fidelity_reviews"
    )
    # The unit's organisation, kept so that the organisation's reviews are found in one query.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("review date"))
    reviewers = models.CharField(_("reviewers"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fidelity review")
        verbose_name_plural = _("fidelity reviews")
        ordering = ["reviewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT, finalised_at__isnull=True)
                | Q(status=ReviewStatus.FINAL, finalised_at__isnull=False),
                name="fidelity_review_final_when_finalised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.reviewed_on}"

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.FINAL


class FidelityScore(models.Model):
    """The score a review gave one item, 1–5, with an optional note."""

    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("fidelity score")
        verbose_name_plural = _("fidelity scores")
        ordering = ["review", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=Q(score__gte=LOWEST_SCORE) & Q(score__lte=HIGHEST_SCORE),
                name="fidelity_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.score}"
