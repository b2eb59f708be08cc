"""Pseudonyms and date handling of research extracts.

Everything here is derived from the study's key (``Study.pseudonym_key``) and the client's
public id, with HMAC-SHA256 and a label for each use, so that:

- a person gets the same pseudonym in every extract of one study, and pseudonyms of two
  studies cannot be linked without both keys;
- a person's dates are all moved by the same number of days (so that intervals between
  them survive), a number between −30 and +30 that is never 0 and differs from person to
  person;
- no pseudonym or shift can be worked back to the person without the key, which stays in
  Polku.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta
from uuid import UUID

PSEUDONYM_HEX_DIGITS = 16
MAX_SHIFT_DAYS = 30


def _mac(key: bytes, label: bytes, client_public_id: UUID) -> bytes:
    return hmac.new(key, label + b":" + str(client_public_id).encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, client_public_id: UUID) -> str:
    """The client's pseudonym in the study whose key is ``key``: 16 hex digits."""
    return _mac(key, b"pseudonym", client_public_id).hex()[:PSEUDONYM_HEX_DIGITS]


def shift_days(key: bytes, client_public_id: UUID) -> int:
    """How many days every date of the client is moved in the study: −30…−1 or 1…30."""
    value = int.from_bytes(_mac(key, b"date-shift", client_public_id)[:8], "big")
    offset = value % (2 * MAX_SHIFT_DAYS) - MAX_SHIFT_DAYS  # −30…29
    return offset if offset < 0 else offset + 1


def shifted(day: date, days: int) -> str:
    """The date moved by ``days``, as ISO 8601 (2026-03-14)."""
    return (day + timedelta(days=days)).isoformat()


def month_of(day: date) -> str:
    """The date coarsened to its month (2026-03)."""
    return f"{day.year:04d}-{day.month:02d}"


def age_band(birth_date: date, on: date) -> str:
    """The age on ``on`` in five-year bands: "30-34"."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    low = max(age, 0) // 5 * 5
    return f"{low}-{low + 4}"
