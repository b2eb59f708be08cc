"""Project participant data about a client (see ``core.personal_data``).

The entry, exit and follow-up details are categories and dates, kept on anonymisation so
that a closed project's figures still add up. The sensitive details (disability, origin,
minority, housing) are special-category and removed on anonymisation.
"""

from __future__ import annotations

from polku.core import personal_data
from polku.projects.models import Participant, SensitiveDetails

SENSITIVE_FIELDS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
)

personal_data.declare(Participant, client_lookup="client")
personal_data.declare(
    SensitiveDetails,
    client_lookup="participant__client",
    personal=dict.fromkeys(SENSITIVE_FIELDS, ""),
    special_category=SENSITIVE_FIELDS,
)
