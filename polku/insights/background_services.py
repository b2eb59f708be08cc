"""Loading the background figures of municipalities from a CSV file (one act).

Public statistics of areas, not client data: no access-log rows. The file is read whole
first (``background_files``); a file with any bad row loads nothing, a dry run never
writes, and loading the same figures again changes nothing. Who may load is decided by
``decisions.may_import_background_figures``; a refused actor gets ``PermissionDenied``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.core.models import Municipality
from polku.insights.background_files import ParsedFigure, RowProblem, parse_background_file
from polku.insights.enums import BackgroundFileKind
from polku.insights.models import BackgroundFigure, BackgroundImport
from polku.policy import decisions
from polku.policy.actors import Actor


@dataclass(frozen=True)
class ImportReport:
    """What a file holds and what loading it does (or did)."""

    file_name: str
    kind: BackgroundFileKind | None
    dry_run: bool
    rows_read: int
    to_add: int
    to_replace: int
    unchanged: int
    other_areas: int
    missing: tuple[RowProblem, ...]
    problems: tuple[RowProblem, ...]
    # The import written, when the figures were loaded (not a dry run, no bad rows,
    # something new).
    batch: BackgroundImport | None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def loaded(self) -> bool:
        return self.batch is not None

    def summary(self) -> list[str]:
        """The report in sentences, for the page and the command line."""
        lines = [
            ngettext("%(count)s row read.", "%(count)s rows read.", self.rows_read)
            % {"count": self.rows_read},
            _("Figures to add: %(count)s.") % {"count": self.to_add},
            _("Figures to replace with a new value: %(count)s.") % {"count": self.to_replace},
            _("Figures already loaded with the same value: %(count)s.") % {"count": self.unchanged},
        ]
        if self.other_areas:
            lines.append(
                ngettext(
                    "%(count)s row of another area than a municipality was skipped.",
                    "%(count)s rows of other areas than municipalities were skipped.",
                    self.other_areas,
                )
                % {"count": self.other_areas}
            )
        if self.missing:
            lines.append(
                ngettext(
                    "%(count)s figure is missing in the file and is not loaded.",
                    "%(count)s figures are missing in the file and are not loaded.",
                    len(self.missing),
                )
                % {"count": len(self.missing)}
            )
        if self.problems:
            lines.append(
                ngettext(
                    "%(count)s problem: nothing was loaded.",
                    "%(count)s problems: nothing was loaded.",
                    len(self.problems),
                )
                % {"count": len(self.problems)}
            )
        elif self.dry_run:
            lines.append(_("Dry run: nothing was loaded."))
        elif self.loaded:
            lines.append(_("The figures have been loaded."))
        else:
            lines.append(_("Nothing new: the figures were already loaded."))
        return lines


def import_background_figures(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    dry_run: bool,
    source: str = "",
    today: date | None = None,
) -> ImportReport:
    """Read ``content`` and, unless it is a dry run or any row is bad, load its figures
    in one transaction: new keys (municipality, kind, year, month) are added, a key
    already loaded with another value takes the new value and this import as its source,
    one with the same value is left as it was. An import row (who, when, the file's name
    and SHA-256, its kind, rows, what it added and replaced, the source note) is written
    only when something changes."""
    if not decisions.may_import_background_figures(actor):
        raise PermissionDenied(_("You may not load background figures."))
    today = today or timezone.localdate()
    municipalities = {
        code: (name_fi, name_sv)
        for code, name_fi, name_sv in Municipality.objects.values_list("code", "name_fi", "name_sv")
    }
    parsed = parse_background_file(content, municipalities=municipalities, today=today)
    with transaction.atomic():
        existing = _existing(parsed.figures)
        new = [figure for figure in parsed.figures if figure.key not in existing]
        changed = [
            figure
            for figure in parsed.figures
            if figure.key in existing and existing[figure.key].value != figure.value
        ]
        batch = None
        if not parsed.problems and not dry_run and (new or changed) and parsed.kind:
            batch = BackgroundImport.objects.create(
                imported_by=actor.user,
                imported_by_name=actor.display_name,
                # PostgreSQL refuses a NUL character in text.
                file_name=file_name.replace("\x00", "")[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                kind=parsed.kind,
                rows=parsed.rows,
                added=len(new),
                replaced=len(changed),
                source=source[:500],
            )
            BackgroundFigure.objects.bulk_create(
                [
                    BackgroundFigure(
                        municipality_id=figure.municipality,
                        kind=figure.kind,
                        year=figure.year,
                        month=figure.month,
                        value=figure.value,
                        batch=batch,
                    )
                    for figure in new
                ],
                batch_size=1000,
            )
            replaced = []
            for figure in changed:
                row = existing[figure.key]
                row.value = figure.value
                row.batch = batch
                replaced.append(row)
            BackgroundFigure.objects.bulk_update(replaced, ["value", "batch"], batch_size=1000)
    return ImportReport(
        file_name=file_name,
        kind=parsed.kind,
        dry_run=dry_run,
        rows_read=parsed.rows,
        to_add=len(new),
        to_replace=len(changed),
        unchanged=len(parsed.figures) - len(new) - len(changed),
        other_areas=parsed.other_areas,
        missing=tuple(parsed.missing),
        problems=tuple(parsed.problems),
        batch=batch,
    )


def _existing(
    figures: list[ParsedFigure],
) -> dict[tuple[str, str, int, int | None], BackgroundFigure]:
    """The loaded figures with the keys of ``figures``, locked until the transaction ends."""
    if not figures:
        return {}
    rows = BackgroundFigure.objects.select_for_update().filter(
        kind__in={figure.kind for figure in figures},
        year__in={figure.year for figure in figures},
        municipality_id__in={figure.municipality for figure in figures},
    )
    return {(row.municipality_id, row.kind, row.year, row.month): row for row in rows}
