"""Measurements about a client (see ``core.personal_data``).

Answers and scores are special-category (they tell of health and functional capacity). Anonymisation
keeps the numeric answers and the scores, which group results need, and removes any
answer given as text. The answer links' token hashes are never exported.
"""

from __future__ import annotations

from typing import Any

from polku.core import personal_data
from polku.measures.models import Administration, AnswerLink, LinkDelivery


def numeric_answers_only(answers: dict[str, Any]) -> dict[str, Any]:
    return {item: value for item, value in answers.items() if not isinstance(value, str)}


personal_data.declare(
    Administration,
    client_lookup="client",
    personal={"answers": numeric_answers_only},
    special_category={"answers", "total", "subscale_scores", "band"},
)
personal_data.declare(
    AnswerLink, client_lookup="administration__client", not_exported={"token_hash"}
)
personal_data.declare(LinkDelivery, client_lookup="link__administration__client")
