"""Pathway data about a client (see ``core.personal_data``).

Free text is personal (goals in the client's own words, plan factors, notes, journal
entries, referral reasons); the factors that hinder or help the client, journal entries
and referral reasons are special-category, as they tell of health and social welfare.
Anonymisation removes the text and keeps what statistics need: dates, phases, programmes,
organisations, goal weights and attainment levels. An open episode keeps the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from polku.core import personal_data
from polku.core.personal_data import ANONYMISED_TEXT
from polku.pathways.models import (
    Alert,
    CaseManagerAssignment,
    Episode,
    EpisodeReopening,
    Goal,
    GoalAttainment,
    Handover,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Referral,
    TeamMember,
)

PLAN_TEXTS = ("helping_factors", "hindering_factors", "services", "working_methods")


def anonymised_plan_content(content: dict[str, Any]) -> dict[str, Any]:
    """A plan version's snapshot without its texts (goals' baselines and level
    descriptions included); dates, weights, levels and owners stay."""
    scrubbed = dict(content)
    for name in PLAN_TEXTS:
        if name in scrubbed:
            scrubbed[name] = ""
    for key in ("goals", "actions"):
        scrubbed[key] = [
            {**entry, "text": ANONYMISED_TEXT} if "text" in entry else dict(entry)
            for entry in scrubbed.get(key, [])
        ]
    for goal in scrubbed["goals"]:
        if "baseline" in goal:
            goal["baseline"] = ""
        if "levels" in goal:
            goal["levels"] = dict.fromkeys(goal["levels"], "")
    return scrubbed


personal_data.declare(Episode, client_lookup="client")
personal_data.declare(
    EpisodeReopening, client_lookup="episode__client", personal={"reason": ANONYMISED_TEXT}
)
personal_data.declare(PhaseChange, client_lookup="episode__client")
personal_data.declare(CaseManagerAssignment, client_lookup="episode__client")
personal_data.declare(TeamMember, client_lookup="episode__client")
personal_data.declare(Handover, client_lookup="episode__client", personal={"note": ""})


def _text_if_any(text: str) -> str:
    """Neutral text where there was text (a declined referral must give a reason)."""
    return ANONYMISED_TEXT if text else ""


personal_data.declare(
    Referral,
    client_lookup="client",
    personal={"reason": ANONYMISED_TEXT, "decline_reason": _text_if_any},
    special_category={"reason", "decline_reason"},
)
personal_data.declare(
    Plan,
    client_lookup="episode__client",
    personal=dict.fromkeys(PLAN_TEXTS, ""),
    special_category={"helping_factors", "hindering_factors"},
)
GOAL_SCALE_TEXTS = (
    "baseline",
    "level_minus_2",
    "level_minus_1",
    "level_0",
    "level_plus_1",
    "level_plus_2",
)
personal_data.declare(
    Goal,
    client_lookup="plan__episode__client",
    personal={"text": ANONYMISED_TEXT, **dict.fromkeys(GOAL_SCALE_TEXTS, "")},
)
personal_data.declare(
    PlanAction, client_lookup="plan__episode__client", personal={"text": ANONYMISED_TEXT}
)
personal_data.declare(
    PlanVersion,
    client_lookup="plan__episode__client",
    personal={"content": anonymised_plan_content, "change_note": ""},
    special_category={"content"},
)
personal_data.declare(PlanReview, client_lookup="plan__episode__client", personal={"note": ""})
personal_data.declare(GoalAttainment, client_lookup="review__plan__episode__client")
personal_data.declare(
    JournalEntry,
    client_lookup="client",
    personal={"text": ANONYMISED_TEXT},
    special_category={"text"},
)
personal_data.declare(Alert, client_lookup="client")


def open_episodes(clients: Sequence[Any]) -> str | None:
    if Episode.objects.active().filter(client__in=clients).exists():
        return _("The client still has an open episode.")
    return None


personal_data.register_hold(open_episodes)
