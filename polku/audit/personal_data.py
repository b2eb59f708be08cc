"""The access-log rows about a client (see ``core.personal_data``).

Exported in full for a subject-access request, except the professional's address and
browser (their data, not the client's). Never anonymised: the
log must stay intact, and it holds only the client's public id, never a name or an
identity code.
"""

from __future__ import annotations

from polku.audit.models import AccessLogEntry
from polku.core import personal_data

personal_data.declare(
    AccessLogEntry,
    client_lookup="client_public_id",
    by_public_id=True,
    not_exported={"ip_address", "user_agent"},
)
