"""Which municipalities count as rural, by Statistics Finland's statistical grouping of
municipalities (the ``municipality-groups-<version>.csv`` code sets).

Reference data, not client data: reading it needs no access decision. An indicator that
counts participants from rural areas asks here for the codes of one version and compares
them with each participant's municipality of residence.
"""

from __future__ import annotations

from polku.core.models import MunicipalityGroup, UrbanRuralGroup


class GroupingNotLoaded(LookupError):
    """The asked version of the grouping (or any version, when none was asked) is not
    loaded. Raised rather than answering with no rural municipalities, which an indicator
    would count as zero rural participants."""


def _ordered(versions: set[str]) -> list[str]:
    # Versions are years; a longer string is a later one should any ever gain a suffix.
    return sorted(versions, key=lambda version: (len(version), version))


def classification_versions() -> list[str]:
    """The loaded versions of the grouping, oldest first."""
    return _ordered(set(MunicipalityGroup.objects.values_list("classification_version", flat=True)))


def rural_municipality_codes(version: str | None = None) -> frozenset[str]:
    """The codes of the municipalities grouped as rural in ``version`` (the latest loaded
    version when None). Raise ``GroupingNotLoaded`` when that version is not loaded."""
    if version is None:
        versions = classification_versions()
        if not versions:
            raise GroupingNotLoaded("no version of the municipality grouping is loaded")
        version = versions[-1]
    rows = MunicipalityGroup.objects.filter(classification_version=version)
    if not rows.exists():
        raise GroupingNotLoaded(f"version {version} of the municipality grouping is not loaded")
    return frozenset(
        rows.filter(group=UrbanRuralGroup.RURAL).values_list("municipality_id", flat=True)
    )
