"""Work-trial vocabulary: the trial's purpose, the areas observed, the 1–5 rating scale,
and the states of an employer's feedback link."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The instrument through which the client rates the same areas (shipped in
# ``measures/instruments/work-trial-self-rating-1.0.json``; its item codes are the codes of
# ``DEFAULT_AREAS``).
SELF_RATING_INSTRUMENT = "work-trial-self-rating"
FEEDBACK_LINK_DAYS = 21
RATING_MIN, RATING_MAX = 1, 5


class TrialPurpose(models.TextChoices):
    TESTING_WORK_ABILITY = "testing_work_ability", _("Testing work ability")
    TRYING_A_FIELD = "trying_a_field", _("Trying out a field")


class Rating(models.IntegerChoices):
    """The plain 1–5 scale the host and the client rate each area on, in words."""

    NOT_YET = 1, _("Does not work out yet")
    WITH_MUCH_SUPPORT = 2, _("Works out with a lot of support")
    WITH_SOME_SUPPORT = 3, _("Works out with some support")
    WELL = 4, _("Works out well")
    VERY_WELL = 5, _("Works out very well")


# The areas observed unless the coach edits them, by code; their labels are translated when
# shown, while an area the coach adds keeps the coach's own text as its label.
AREA_LABELS = {
    "punctuality": _("Punctuality"),
    "pace": _("Working pace"),
    "quality": _("Quality of work"),
    "learning": _("Learning new tasks"),
    "cooperation": _("Cooperation"),
    "coping_and_health": _("Coping and health as seen at work"),
}
DEFAULT_AREA_CODES = tuple(AREA_LABELS)


def default_areas() -> list[dict[str, str]]:
    """A new trial's areas: the six defaults, their labels left to translation."""
    return [{"code": code, "label": ""} for code in DEFAULT_AREA_CODES]


def area_label(area: dict[str, str]) -> str:
    """An area's label in the active language: a default area's translated label, a custom
    area's own text."""
    if area["code"] in AREA_LABELS and not area.get("label"):
        return str(AREA_LABELS[area["code"]])
    return area.get("label") or area["code"]


class LinkState(models.TextChoices):
    """Why a feedback link does or does not open the form (told to its holder in words)."""

    USABLE = "usable", _("Usable")
    UNKNOWN = "unknown", _("Unknown")
    EXPIRED = "expired", _("Expired")
    USED = "used", _("Used")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NO_CONSENT = "no_consent", _("No consent")
