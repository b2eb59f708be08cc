"""Sealing the access log with a keyed chain, and verifying the seals.

Rows are appended without a lock, so numbers commit out of order and rolled-back
transactions leave gaps. The sealing task therefore seals only below a *horizon* that no
transaction still in progress can fill:

* PostgreSQL: each run remembers the sequence's last value and the current snapshot's
  ``xmax`` (a ``SealingCheckpoint``). A later run may seal up to that value once the
  oldest transaction still running *in this database* (by ``pg_stat_activity``) is at or
  past that ``xmax``: every transaction that held a number up to it has then committed or
  rolled back (the numbering trigger gives the transaction its id before the number, see
  migration 0005). Only this database's transactions can write its log, so a long
  transaction in another database on the same server does not hold sealing back.
* SQLite has one writer: whatever is committed is final.

Each seal covers the rows after the previous seal up to the horizon (at most
``batch_size`` rows), records the missing numbers as gaps, stores a truncated HMAC of
every row and an HMAC over all of that chained to the previous seal. The key comes from
``POLKU_AUDIT_SEAL_KEYS``: the first key seals, every key verifies, and each seal names
its key by id, so keys can be rotated without resealing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from polku.audit.models import AccessLogEntry, AccessLogSeal, SealingCheckpoint

GENESIS_MAC = "0" * 64
ROW_MAC_BYTES = 16
DEFAULT_BATCH_SIZE = 10_000
logger = logging.getLogger(__name__)


# Keys -------------------------------------------------------------------------------------


def key_id(key: str) -> str:
    """A short, stable name of a key that reveals nothing of it."""
    return hmac.new(key.encode(), b"polku access-log seal key id", hashlib.sha256).hexdigest()[:12]


def sealing_key() -> tuple[str, bytes]:
    keys = settings.POLKU_AUDIT_SEAL_KEYS
    if not keys:
        raise RuntimeError("POLKU_AUDIT_SEAL_KEYS is empty: the access log cannot be sealed.")
    return key_id(keys[0]), keys[0].encode()


def verifying_keys() -> dict[str, bytes]:
    return {key_id(key): key.encode() for key in settings.POLKU_AUDIT_SEAL_KEYS}


# What is sealed ---------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value)


def row_content(entry: AccessLogEntry) -> bytes:
    """Every recorded field of a row, as canonical JSON."""
    occurred_at = entry.occurred_at.astimezone(UTC).isoformat()
    content = [
        entry.sequence,
        occurred_at,
        entry.actor_kind,
        entry.actor_id,
        entry.actor_name,
        _text(entry.organisation_id),
        entry.organisation_name,
        entry.role,
        _text(entry.client_public_id),
        entry.action,
        entry.event,
        entry.categories,
        _text(entry.owner_id),
        entry.owner_name,
        entry.register,
        entry.purpose,
        entry.basis,
        _text(entry.basis_public_id),
        _text(entry.ip_address),
        entry.user_agent,
        entry.path,
    ]
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def row_mac(key: bytes, entry: AccessLogEntry) -> bytes:
    return hmac.new(key, row_content(entry), hashlib.sha256).digest()[:ROW_MAC_BYTES]


def seal_mac(key: bytes, seal: AccessLogSeal) -> str:
    content = [
        seal.key_id,
        seal.first_sequence,
        seal.last_sequence,
        seal.row_count,
        [list(gap) for gap in seal.gaps],
        bytes(seal.row_macs).hex(),
        seal.previous_mac,
    ]
    message = json.dumps(content, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def gaps_between(first: int, last: int, numbers: Sequence[int]) -> list[list[int]]:
    """The runs of numbers in first..last that ``numbers`` (ascending) does not hold."""
    gaps, expected = [], first
    for number in [*numbers, last + 1]:
        if number > expected:
            gaps.append([expected, number - 1])
        expected = number + 1
    return gaps


def numbers_of(seal: AccessLogSeal) -> Iterator[int]:
    """The row numbers a seal covers, without its gaps."""
    missing = iter(sorted((gap[0], gap[1]) for gap in seal.gaps))
    gap = next(missing, None)
    number = seal.first_sequence
    while number <= seal.last_sequence:
        if gap is not None and number >= gap[0]:
            number = gap[1] + 1
            gap = next(missing, None)
            continue
        yield number
        number += 1


# Sealing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealingReport:
    seals: int
    rows: int
    horizon: int


def _horizon() -> int:
    """The highest row number that no transaction in progress can still commit below."""
    if connection.vendor != "postgresql":
        return AccessLogEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    with connection.cursor() as cursor:
        # The sequence first, then the snapshot: see the module's docstring.
        cursor.execute("SELECT last_value, is_called FROM audit_accesslog_sequence")
        last_value, is_called = cursor.fetchone()
        # The oldest running transaction of this database, as a 64-bit id: ``age`` counts
        # back from this transaction's own id.
        cursor.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id()::text::bigint - COALESCE(("
            "  SELECT max(age(backend_xid)) FROM pg_stat_activity"
            "  WHERE datname = current_database() AND backend_xid IS NOT NULL"
            "  AND pid <> pg_backend_pid()), 0)"
        )
        xmax, xmin = cursor.fetchone()
    final = (
        SealingCheckpoint.objects.filter(snapshot_xmax__lte=xmin).order_by("-last_sequence").first()
    )
    SealingCheckpoint.objects.create(
        taken_at=timezone.now(),
        last_sequence=last_value if is_called else last_value - 1,
        snapshot_xmax=xmax,
    )
    if final is None:
        return 0
    SealingCheckpoint.objects.filter(last_sequence__lt=final.last_sequence).delete()
    return final.last_sequence


@transaction.atomic
def seal_access_log(*, batch_size: int = DEFAULT_BATCH_SIZE) -> SealingReport:
    """Seal every row that is final and not yet sealed; return what was sealed."""
    horizon = _horizon()
    kid, key = sealing_key()
    last = AccessLogSeal.objects.order_by("-first_sequence").first()
    previous_mac = last.mac if last else GENESIS_MAC
    first = last.last_sequence + 1 if last else 1
    seals = rows = 0
    while first <= horizon:
        batch = list(
            AccessLogEntry.objects.filter(sequence__gte=first, sequence__lte=horizon).order_by(
                "sequence"
            )[:batch_size]
        )
        end = batch[-1].sequence if len(batch) == batch_size else horizon
        seal = AccessLogSeal(
            first_sequence=first,
            last_sequence=end,
            row_count=len(batch),
            gaps=gaps_between(first, end, [entry.sequence for entry in batch]),
            row_macs=b"".join(row_mac(key, entry) for entry in batch),
            previous_mac=previous_mac,
            key_id=kid,
            sealed_at=timezone.now(),
        )
        seal.mac = seal_mac(key, seal)
        seal.save()
        # Written outside the database too, so that removing the newest seals is seen.
        logger.info(
            "access log sealed: rows %s-%s, %s rows, mac %s", first, end, len(batch), seal.mac
        )
        previous_mac, first = seal.mac, end + 1
        seals, rows = seals + 1, rows + len(batch)
    return SealingReport(seals=seals, rows=rows, horizon=horizon)


# Verifying --------------------------------------------------------------------------------


@dataclass
class VerificationReport:
    seals: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    unsealed: int = 0
    oldest_unsealed: datetime | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def _verify_rows(
    seal: AccessLogSeal, key: bytes, report: VerificationReport, batch_size: int
) -> None:
    stored = bytes(seal.row_macs)
    expected = numbers_of(seal)
    rows = (
        AccessLogEntry.objects.filter(
            sequence__gte=seal.first_sequence, sequence__lte=seal.last_sequence
        )
        .order_by("sequence")
        .iterator(chunk_size=batch_size)
    )
    index = 0
    number = next(expected, None)
    for entry in rows:
        while number is not None and number < entry.sequence:
            report.problems.append(f"row {number} was removed (sealed by seal {seal.number})")
            number, index = next(expected, None), index + 1
        if number != entry.sequence:
            report.problems.append(
                f"row {entry.sequence} was inserted (seal {seal.number} recorded no such row)"
            )
            continue
        mac = stored[index * ROW_MAC_BYTES : (index + 1) * ROW_MAC_BYTES]
        if not hmac.compare_digest(mac, row_mac(key, entry)):
            report.problems.append(f"row {entry.sequence} was changed after it was sealed")
        report.rows += 1
        number, index = next(expected, None), index + 1
    while number is not None:
        report.problems.append(f"row {number} was removed (sealed by seal {seal.number})")
        number = next(expected, None)


def verify_access_log(*, batch_size: int = DEFAULT_BATCH_SIZE) -> VerificationReport:
    """Recompute every seal and every sealed row's MAC, in order; list what does not fit
    (the first problem first) and count the rows not sealed yet."""
    report = VerificationReport()
    keys = verifying_keys()
    previous_mac, expected_first = GENESIS_MAC, 1
    with transaction.atomic():
        for seal in AccessLogSeal.objects.order_by("first_sequence", "number").iterator():
            report.seals += 1
            if seal.first_sequence > expected_first:
                report.problems.append(
                    f"the seal of rows {expected_first}-{seal.first_sequence - 1} was removed"
                )
            elif seal.first_sequence < expected_first:
                report.problems.append(
                    f"seal {seal.number} overlaps the previous seal: it was inserted"
                )
            if seal.previous_mac != previous_mac:
                report.problems.append(
                    f"seal {seal.number} does not follow the seal before it "
                    "(a seal was removed, inserted or changed)"
                )
            key = keys.get(seal.key_id)
            if key is None:
                report.problems.append(
                    f"seal {seal.number} names key {seal.key_id}, which is not configured"
                )
            elif not hmac.compare_digest(seal_mac(key, seal), seal.mac):
                report.problems.append(f"seal {seal.number} was changed or forged")
            else:
                _verify_rows(seal, key, report, batch_size)
            previous_mac, expected_first = seal.mac, seal.last_sequence + 1
        unsealed = AccessLogEntry.objects.filter(sequence__gte=expected_first).aggregate(
            count=Count("sequence"), oldest=Min("occurred_at")
        )
        report.unsealed = unsealed["count"]
        report.oldest_unsealed = unsealed["oldest"]
    return report
