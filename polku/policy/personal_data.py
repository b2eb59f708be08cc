"""Service relationships and consents about a client (see ``core.personal_data``).

They hold no free text, but for the reason a relationship ended by mistake was restored:
they are exported, and kept as they are when the client is anonymised, that reason
replaced. An open service relationship keeps the client's data from anonymisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from polku.core import personal_data
from polku.core.personal_data import ANONYMISED_TEXT
from polku.policy.models import (
    Consent,
    ConsentCategory,
    ReferralGrant,
    RelationshipRestoration,
    ServiceRelationship,
)

personal_data.declare(ServiceRelationship, client_lookup="client")
personal_data.declare(
    RelationshipRestoration,
    client_lookup="relationship__client",
    personal={"reason": ANONYMISED_TEXT},
)
personal_data.declare(Consent, client_lookup="client")
personal_data.declare(ConsentCategory, client_lookup="consent__client")
personal_data.declare(ReferralGrant, client_lookup="client")


def open_relationships(clients: Sequence[Any]) -> str | None:
    """A relationship that has not ended (or starts later) still needs the data."""
    if ServiceRelationship.objects.not_ended().filter(client__in=clients).exists():
        return _("The client still has a service relationship that has not ended.")
    return None


personal_data.register_hold(open_relationships)
