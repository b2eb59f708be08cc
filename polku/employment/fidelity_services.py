"""Writes on fidelity self-reviews and on the fidelity scale's wording: one function per act.

A fidelity review is the service's quality review of a unit, not client data, so these
acts write no access-log rows (as the employer register's, ``employer_services``). Who may
act is decided by ``decisions.may_review_fidelity`` and ``may_edit_fidelity_wording``.
Refused acts raise ``PermissionDenied``, bad input ``ValidationError``; either way nothing
is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Unit
from polku.employment.fidelity_scoring import HIGHEST_SCORE, ITEM_COUNT, LOWEST_SCORE
from polku.employment.models import FidelityItem, FidelityReview, FidelityScore, ReviewStatus
from polku.policy import decisions
from polku.policy.actors import Actor


def ensure_scale() -> None:
    """The scale's 25 items, without wording, as the data migration creates them; for a
    database emptied since (a test server's flush)."""
    from polku.employment.models import FidelityItem, FidelitySection

    for number in range(1, ITEM_COUNT + 1):
        section = (
            FidelitySection.STAFFING
            if number <= 3
            else FidelitySection.ORGANISATION
            if number <= 11
            else FidelitySection.SERVICES
        )
        FidelityItem.objects.get_or_create(number=number, defaults={"section": section})


def score_field(number: int) -> str:
    """The name under which a form and a service's errors carry item ``number``'s score."""
    return f"score_{number}"


def _require_review(actor: Actor, unit: Unit) -> None:
    if not decisions.may_review_fidelity(actor, unit):
        raise PermissionDenied(
            _("Only the unit's organisation's professionals review its fidelity.")
        )


def _locked_draft(actor: Actor, review: FidelityReview) -> FidelityReview:
    locked = FidelityReview.objects.select_for_update().select_related("unit").get(pk=review.pk)
    _require_review(actor, locked.unit)
    if locked.is_final:
        raise ValidationError(_("A final review cannot be changed."))
    return locked


@transaction.atomic
def start_review(
    *, actor: Actor, unit: Unit, reviewed_on: date, reviewers: str = "", notes: str = ""
) -> FidelityReview:
    """Start a draft review of ``unit``, by its organisation's own people."""
    _require_review(actor, unit)
    if not unit.is_active:
        raise ValidationError(_("A unit that is no longer active cannot be reviewed."))
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    review = FidelityReview(
        unit=unit,
        organisation_id=unit.organisation_id,
        reviewed_on=reviewed_on,
        reviewers=reviewers.strip(),
        notes=notes.strip(),
        created_by=actor.person,
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def save_scores(
    *,
    actor: Actor,
    review: FidelityReview,
    scores: Mapping[int, int | None],
    item_notes: Mapping[int, str] | None = None,
    reviewers: str | None = None,
    notes: str | None = None,
) -> FidelityReview:
    """Save a draft's scores: ``scores`` maps item numbers to 1–5, or to None to leave the
    item without a score (a draft may have gaps). Items not named keep their score."""
    locked = _locked_draft(actor, review)
    item_notes = item_notes or {}
    errors: dict[str, str] = {}
    for number in {*scores, *item_notes}:
        if not 1 <= number <= ITEM_COUNT:
            raise ValidationError(_("The scale has no item %(number)d.") % {"number": number})
    for number, score in scores.items():
        if score is not None and not LOWEST_SCORE <= score <= HIGHEST_SCORE:
            errors[score_field(number)] = _(
                "Item %(number)d: a score is a whole number from %(lowest)d to %(highest)d."
            ) % {"number": number, "lowest": LOWEST_SCORE, "highest": HIGHEST_SCORE}
    if errors:
        raise ValidationError(errors)
    items = {item.number: item for item in FidelityItem.objects.all()}
    existing = {score.item.number: score for score in locked.scores.select_related("item")}
    for number in sorted({*scores, *item_notes}):
        score = scores.get(number, existing[number].score if number in existing else None)
        note = (item_notes.get(number) or "").strip()
        if number not in item_notes and number in existing:
            note = existing[number].note
        if score is None:
            if number in existing:
                existing[number].delete()
            continue
        if number in existing:
            row = existing[number]
            row.score, row.note = score, note
            row.save(update_fields=["score", "note"])
        else:
            FidelityScore.objects.create(review=locked, item=items[number], score=score, note=note)
    changed = []
    if reviewers is not None:
        locked.reviewers = reviewers.strip()
        changed.append("reviewers")
    if notes is not None:
        locked.notes = notes.strip()
        changed.append("notes")
    if changed:
        locked.full_clean()
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def finalise_review(*, actor: Actor, review: FidelityReview) -> FidelityReview:
    """Make a draft final: it needs a score on all 25 items, and is not changed again."""
    locked = _locked_draft(actor, review)
    scored = set(locked.scores.values_list("item__number", flat=True))
    missing = sorted(set(range(1, ITEM_COUNT + 1)) - scored)
    if missing:
        raise ValidationError(
            _(
                "A final review needs a score on every item; items without a score: "
                "%(items)s. Save the review as a draft until they are scored."
            )
            % {"items": ", ".join(str(number) for number in missing)}
        )
    locked.status = ReviewStatus.FINAL
    locked.finalised_at = timezone.now()
    locked.save(update_fields=["status", "finalised_at"])
    return locked


@transaction.atomic
def set_item_wording(
    *,
    actor: Actor,
    item: FidelityItem,
    title: Mapping[str, str],
    anchors: Mapping[int, Mapping[str, str]],
) -> FidelityItem:
    """An administrator enters an item's title and the meaning of each score 1–5, per
    language, from the licensed source. Empty texts are left out; an empty title clears
    the item's wording back to "Item N"."""
    if not decisions.may_edit_fidelity_wording(actor):
        raise PermissionDenied(_("Only administrators can enter the fidelity scale's wording."))
    languages = {code for code, _name in settings.LANGUAGES}
    named = {*title, *(code for by_language in anchors.values() for code in by_language)}
    unknown = named - languages
    if unknown or any(not LOWEST_SCORE <= score <= HIGHEST_SCORE for score in anchors):
        raise ValidationError(_("The wording names an unknown language or score."))
    item = FidelityItem.objects.select_for_update().get(pk=item.pk)
    item.title = {code: text.strip() for code, text in title.items() if text.strip()}
    item.anchors = {
        str(score): cleaned
        for score, by_language in sorted(anchors.items())
        if (cleaned := {code: text.strip() for code, text in by_language.items() if text.strip()})
    }
    item.save(update_fields=["title", "anchors"])
    return item
