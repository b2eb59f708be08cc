"""The client's personal data: identity and contact details (see ``core.personal_data``).

Anonymisation keeps what statistics need: the year of birth (as 1 January), gender,
municipality and languages; it removes the names, the identity code with its lookup hash,
and every contact detail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from polku.clients.models import Client, search_key
from polku.core import personal_data
from polku.core.personal_data import ANONYMISED_TEXT


def _year_only(birth_date: date) -> date:
    return birth_date.replace(month=1, day=1)


def _identity_code(client: Client) -> dict[str, Any]:
    return {"identity_code": client.identity_code}


personal_data.declare(
    Client,
    client_lookup="pk",
    personal={
        "first_names": ANONYMISED_TEXT,
        "last_name": ANONYMISED_TEXT,
        "search_name": search_key(ANONYMISED_TEXT, ANONYMISED_TEXT),
        "identity_code_encrypted": "",
        "identity_code_hash": None,
        "birth_date": _year_only,
        "phone": "",
        "email": "",
        "street_address": "",
        "postal_code": "",
        "post_office": "",
    },
    # The code is exported decrypted, as ``identity_code``; its stored forms are keys.
    not_exported={"identity_code_encrypted", "identity_code_hash", "search_name"},
    more_values=_identity_code,
)
