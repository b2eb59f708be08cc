"""Loading of the code-set files shipped in ``data/``.

Each code set is one CSV file named ``<name>-<version>.csv``. Loading is all-or-nothing:
every row is validated first, and a file with any bad row changes nothing and reports
each problem with its line number. A file whose checksum matches the loaded version is
skipped, so loading is idempotent and cheap to run on every deployment.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from polku.core.models import (
    CodeSetVersion,
    EmploymentArea,
    Industry,
    Municipality,
    MunicipalityGroup,
    Occupation,
    UrbanRuralGroup,
    WellbeingCounty,
)

DATA_DIR = Path(__file__).parent / "data"


class CodeSetError(Exception):
    """A code-set file is malformed; ``problems`` lists each one with its line."""

    def __init__(self, codeset: str, problems: list[str]) -> None:
        self.codeset = codeset
        self.problems = problems
        super().__init__(f"{codeset}: " + "; ".join(problems))


@dataclass(frozen=True)
class CodeSet:
    name: str
    version: str
    model: type[models.Model]
    # Column name -> model that the column's code must exist in (blank allowed). A column
    # referring to the code set's own model (``parent_code``) must name a code on an
    # earlier line of the same file, so parents load first and no cycle can be written.
    references: dict[str, type[models.Model]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return DATA_DIR / f"{self.name}-{self.version}.csv"


CODESETS: tuple[CodeSet, ...] = (
    CodeSet("wellbeing-counties", "2023", WellbeingCounty),
    CodeSet("employment-areas", "2025", EmploymentArea),
    CodeSet(
        "municipalities",
        "2025",
        Municipality,
        {"wellbeing_county_code": WellbeingCounty, "employment_area_code": EmploymentArea},
    ),
    CodeSet("industries", "tol2008", Industry, {"parent_code": Industry}),
    CodeSet("occupations", "ammattiluokitus2010", Occupation, {"parent_code": Occupation}),
)

BASE_COLUMNS = ("code", "name_fi", "name_sv")
# Optional columns after the base ones: a file without them still loads (files made before
# English names were added), and a blank English name falls back to the Finnish one.
OPTIONAL_COLUMNS = ("name_en",)


def parse_rows(codeset: CodeSet, text: str) -> list[dict[str, str]]:
    """Validate the file's text and return its rows, or raise ``CodeSetError``."""
    reader = csv.DictReader(io.StringIO(text))
    expected = [*BASE_COLUMNS, *OPTIONAL_COLUMNS, *codeset.references]
    accepted = (expected, [*BASE_COLUMNS, *codeset.references])
    if reader.fieldnames not in accepted:
        raise CodeSetError(
            codeset.name, [f"columns must be {','.join(expected)}, found {reader.fieldnames}"]
        )
    known = {
        column: set(model._default_manager.values_list("pk", flat=True))
        for column, model in codeset.references.items()
        if model is not codeset.model
    }
    # Codes of earlier lines, which the code set's own references grow with.
    for column, model in codeset.references.items():
        if model is codeset.model:
            known[column] = set()
    own_columns = [c for c, model in codeset.references.items() if model is codeset.model]
    rows, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in row.items()}
        for column in OPTIONAL_COLUMNS:
            row.setdefault(column, "")
        if not row["code"] or not row["name_fi"] or not row["name_sv"]:
            problems.append(f"line {line}: code, name_fi and name_sv are required")
        elif row["code"] in seen:
            problems.append(f"line {line}: code {row['code']} appears twice")
        for column, codes in known.items():
            if row[column] and row[column] not in codes:
                problems.append(f"line {line}: {column} {row[column]} is not a known code")
        seen.add(row["code"])
        for column in own_columns:
            known[column].add(row["code"])
        rows.append(row)
    if not rows:
        problems.append("the file has no rows")
    if problems:
        raise CodeSetError(codeset.name, problems)
    return rows


def load_codeset(codeset: CodeSet | MunicipalityGrouping, *, text: str | None = None) -> int | None:
    """Load one code set; return the number of rows, or None when already up to date."""
    if isinstance(codeset, MunicipalityGrouping):
        return load_municipality_grouping(codeset, text=text)
    if text is None:
        text = codeset.path.read_text(encoding="utf-8")
    checksum = hashlib.sha256(text.encode()).hexdigest()
    loaded = CodeSetVersion.objects.filter(codeset=codeset.name).first()
    if loaded and loaded.version == codeset.version and loaded.sha256 == checksum:
        return None
    rows = parse_rows(codeset, text)
    # A reference column "wellbeing_county_code" fills the foreign key "wellbeing_county".
    reference_fields = {column: column.removesuffix("_code") for column in codeset.references}
    objects = []
    for row in rows:
        values: dict[str, str | None] = {
            "name_fi": row["name_fi"],
            "name_sv": row["name_sv"],
            "name_en": row["name_en"],
        }
        for column, field_name in reference_fields.items():
            values[f"{field_name}_id"] = row[column] or None
        objects.append(codeset.model(pk=row["code"], **values))
    with transaction.atomic():
        codeset.model._default_manager.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name_fi", "name_sv", "name_en", *reference_fields.values()],
        )
        CodeSetVersion.objects.update_or_create(
            codeset=codeset.name, defaults={"version": codeset.version, "sha256": checksum}
        )
    return len(objects)


# The municipalities' urban–rural grouping differs from the code sets above: it has no names
# and no codes of its own, it classifies the municipalities, and several versions (one a
# year) are kept side by side. Each shipped file ``municipality-groups-<version>.csv`` is
# one version, so a new year's grouping is added by adding its file.
GROUPING_COLUMNS = ["code", "group"]


@dataclass(frozen=True)
class MunicipalityGrouping:
    """One version of the municipalities' urban–rural grouping (``code,group``)."""

    version: str
    name: str = "municipality-groups"

    @property
    def path(self) -> Path:
        return DATA_DIR / f"{self.name}-{self.version}.csv"

    @property
    def key(self) -> str:
        """The name its loaded version is recorded under: one record per version."""
        return f"{self.name}-{self.version}"


def municipality_groupings() -> list[MunicipalityGrouping]:
    """The shipped versions of the grouping, oldest first."""
    versions = [
        path.stem.removeprefix("municipality-groups-")
        for path in DATA_DIR.glob("municipality-groups-*.csv")
    ]
    return [
        MunicipalityGrouping(version) for version in sorted(versions, key=lambda v: (len(v), v))
    ]


def parse_municipality_grouping(grouping: MunicipalityGrouping, text: str) -> dict[str, str]:
    """Validate a grouping file: every known municipality exactly once, with a known
    group. Return municipality code -> group, or raise ``CodeSetError``."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != GROUPING_COLUMNS:
        raise CodeSetError(
            grouping.key,
            [f"columns must be {','.join(GROUPING_COLUMNS)}, found {reader.fieldnames}"],
        )
    municipalities = set(Municipality.objects.values_list("pk", flat=True))
    groups: dict[str, str] = {}
    problems = []
    for line, row in enumerate(reader, start=2):
        code, group = ((row.get(column) or "").strip() for column in GROUPING_COLUMNS)
        if code not in municipalities:
            problems.append(f"line {line}: code {code!r} is not a known municipality")
        elif code in groups:
            problems.append(f"line {line}: code {code} appears twice")
        if group not in UrbanRuralGroup.values:
            problems.append(
                f"line {line}: group {group!r} is not one of {', '.join(UrbanRuralGroup.values)}"
            )
        groups.setdefault(code, group)
    # A partial grouping would count the municipalities it leaves out as not rural.
    missing = sorted(municipalities - groups.keys())
    if missing:
        problems.append(f"municipalities without a group: {', '.join(missing)}")
    if problems:
        raise CodeSetError(grouping.key, problems)
    return groups


def load_municipality_grouping(
    grouping: MunicipalityGrouping, *, text: str | None = None
) -> int | None:
    """Load one version of the grouping; return its number of rows, or None when that
    version is already loaded from the same file. A changed file of the version updates
    its rows (the file names every municipality, so no row is left over); other versions
    are left as they are."""
    if text is None:
        text = grouping.path.read_text(encoding="utf-8")
    checksum = hashlib.sha256(text.encode()).hexdigest()
    loaded = CodeSetVersion.objects.filter(codeset=grouping.key).first()
    if loaded and loaded.sha256 == checksum:
        return None
    groups = parse_municipality_grouping(grouping, text)
    objects = [
        MunicipalityGroup(
            municipality_id=code, classification_version=grouping.version, group=group
        )
        for code, group in groups.items()
    ]
    with transaction.atomic():
        MunicipalityGroup.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["municipality", "classification_version"],
            update_fields=["group"],
        )
        CodeSetVersion.objects.update_or_create(
            codeset=grouping.key, defaults={"version": grouping.version, "sha256": checksum}
        )
    return len(objects)


def load_all() -> dict[str, int | None]:
    """Load every shipped code set in dependency order, then every shipped version of
    the municipalities' grouping."""
    results = {codeset.name: load_codeset(codeset) for codeset in CODESETS}
    for grouping in municipality_groupings():
        results[grouping.key] = load_municipality_grouping(grouping)
    return results
