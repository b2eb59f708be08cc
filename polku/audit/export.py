"""The access log as a CSV file, for a controller's records or the client's request.

Semicolon-separated UTF-8 with a byte-order mark, as spreadsheet programs in Finnish and
Swedish use open it directly. Each row keeps its number (to compare with the sealed log),
and says in plain words what happened; no identity code is ever written, and no cell can
start a spreadsheet formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import Role
from polku.audit.describe import describe
from polku.audit.models import AccessLogEntry
from polku.audit.services import without_identity_codes

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def _cell(value: object) -> str:
    text = without_identity_codes("" if value is None else str(value))
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _role(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def write_csv(rows: Iterable[AccessLogEntry], out: Writable) -> int:
    """Write ``rows`` to ``out`` in the active language; returns how many were written."""
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Number"),
            _("Time"),
            _("What happened"),
            _("Who"),
            _("Role"),
            _("Organisation"),
            _("Action"),
            _("Event"),
            _("Data categories"),
            _("On what basis"),
            _("Purpose"),
            _("Whose records"),
            _("Register"),
            _("From address"),
            _("Page"),
        ]
    )
    written = 0
    for row in rows:
        writer.writerow(
            _cell(value)
            for value in (
                row.sequence,
                timezone.localtime(row.occurred_at).isoformat(timespec="seconds"),
                describe(row),
                row.actor_name,
                _role(row.role),
                row.organisation_name,
                row.get_action_display(),
                row.event_label(),
                ", ".join(row.category_labels()),
                row.get_basis_display() if row.basis else "",
                row.get_purpose_display() if row.purpose else "",
                row.owner_name,
                row.get_register_display() if row.register else "",
                row.ip_address,
                row.path,
            )
        )
        written += 1
    return written
