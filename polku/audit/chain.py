"""The hash of an access-log row: its content and the previous row's hash."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from polku.audit.models import AccessLogEntry


def row_hash(entry: AccessLogEntry) -> str:
    """SHA-256 over a canonical JSON array of every recorded field and the previous hash."""
    content = [
        entry.sequence,
        entry.occurred_at.isoformat(),
        entry.actor_id,
        entry.actor_name,
        entry.organisation_id,
        entry.organisation_name,
        entry.role,
        str(entry.client_public_id),
        entry.action,
        entry.categories,
        entry.purpose,
        entry.basis,
        str(entry.basis_public_id) if entry.basis_public_id else "",
        entry.ip_address or "",
        entry.user_agent,
        entry.path,
        entry.previous_hash,
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
