"""Job-coaching data about a client (see ``core.personal_data``).

The client's own words (job preferences, strengths, supports needed), the next step and
contact notes are personal; the supports needed may tell of health, so they are
special-category, as are the supports agreed with an employer for a placement.
Anonymisation removes the text and keeps what the transition and placement figures need:
dates, stages, transitions, and placements' employers, occupations, terms, hours and end
reasons. An open coaching keeps the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from polku.core import personal_data
from polku.employment.models import (
    Coaching,
    CoachingContact,
    CoachingStage,
    Placement,
    Transition,
)

personal_data.declare(
    Coaching,
    client_lookup="client",
    personal={"job_preferences": "", "strengths": "", "supports_needed": "", "next_step": ""},
    special_category={"supports_needed"},
)
personal_data.declare(CoachingStage, client_lookup="coaching__client")
personal_data.declare(CoachingContact, client_lookup="coaching__client", personal={"note": ""})
personal_data.declare(Transition, client_lookup="coaching__client")
# A placement's employer, occupation, terms, hours, dates and end reason stay for the
# figures; the job title, the supports agreed (which may tell of health) and the note on
# the ending go.
personal_data.declare(
    Placement,
    client_lookup="client",
    personal={"job_title": "", "supports_agreed": "", "end_note": ""},
    special_category={"supports_agreed"},
)


def open_coachings(clients: Sequence[Any]) -> str | None:
    if Coaching.objects.open().filter(client__in=clients).exists():
        return _("The client still has job coaching in progress.")
    return None


personal_data.register_hold(open_coachings)
