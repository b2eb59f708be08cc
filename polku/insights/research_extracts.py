"""Building a research extract: the rows of a study's episodes, pseudonymised and
generalised, its codebook, and the ZIP given out (``extract.csv`` and ``codebook.csv``).

A read of client data without a policy check of its own: only ``research_services.make_extract``
calls it, after ``decisions.may_make_extract`` and inside the transaction that logs every
person in the extract.

The data range selects the episodes (those overlapping it) and cuts off what happened after
its end: an end, a phase, a measurement or a transition dated after ``data_until`` is not
given. Episodes of clients merged into another record are left out (their episodes are
the surviving record's).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import statistical_municipality
from polku.employment.coaching_enums import IN_WORK_KINDS
from polku.employment.models import Transition
from polku.insights.enums import DateHandling
from polku.insights.models import Study
from polku.insights.pseudonyms import age_band, month_of, pseudonym, shift_days, shifted
from polku.insights.research_variables import RARE_BELOW, VARIABLES, in_catalogue_order
from polku.measures.enums import AdministrationStatus
from polku.measures.models import Administration
from polku.pathways.enums import Phase
from polku.pathways.models import Episode, PhaseChange
from polku.policy.enums import DataCategory

WITHHELD = "withheld"
OTHER = "other"
# A fixed time for the ZIP's entries, so that the same data gives the same file.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass
class Extract:
    """What an extract gives out, and whom it is about (for the access log)."""

    header: list[str]
    rows: list[list[str]]
    codebook: list[list[str]]
    # Each person's public id, with the register of their first episode in the extract.
    persons: dict[UUID, str] = field(default_factory=dict)
    categories: list[DataCategory] = field(default_factory=list)

    def extract_csv(self) -> bytes:
        return _csv([self.header, *self.rows])

    def codebook_csv(self) -> bytes:
        return _csv(self.codebook)

    def archive(self) -> bytes:
        """One ZIP with ``extract.csv`` and ``codebook.csv``."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in (
                ("extract.csv", self.extract_csv()),
                ("codebook.csv", self.codebook_csv()),
            ):
                archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _rare(counts: Counter[str]) -> set[str]:
    return {value for value, persons in counts.items() if value and persons < RARE_BELOW}


def _phase_column(phase: str) -> str:
    return f"phase_{phase}_start"


def build_extract(study: Study) -> Extract:
    """The study's extract as the data stands now; a handful of queries whatever its size."""
    key = study.pseudonym_key()
    variables = in_catalogue_order(list(study.variables))
    selected = Episode.objects.filter(
        organisation_id=study.organisation_id,
        client__merged_into__isnull=True,
        started_on__lte=study.data_until,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=study.data_from))
    episodes = list(selected.select_related("client", "programme").order_by("started_on", "pk"))
    episode_ids = [episode.pk for episode in episodes]
    # A client under a non-disclosure for personal safety lives in an unknown municipality
    # for any statistic or research: no column places them.
    statistical_places = {
        client_id: (municipality or "", county or "")
        for client_id, municipality, county in selected.values_list(
            "client_id",
            statistical_municipality(),
            statistical_municipality("municipality__wellbeing_county_id"),
        )
    }
    until = study.data_until

    # Each person once: their pseudonym, date shift, and the categories they fall in.
    people: dict[int, tuple[str, int]] = {}
    genders: dict[int, str] = {}
    languages: dict[int, str] = {}
    places: dict[int, tuple[str, str]] = {}
    for episode in episodes:
        client = episode.client
        if client.pk in people:
            continue
        people[client.pk] = (
            pseudonym(key, client.public_id),
            shift_days(key, client.public_id),
        )
        genders[client.pk] = client.gender
        languages[client.pk] = client.preferred_language
        places[client.pk] = statistical_places[client.pk]
    rare_genders = _rare(Counter(genders.values()))
    rare_languages = _rare(Counter(languages.values()))
    rare_municipalities = _rare(Counter(place[0] for place in places.values()))
    rare_counties = _rare(Counter(place[1] for place in places.values()))

    def day(value: date | None, client_id: int) -> str:
        if value is None or value > until:
            return ""
        if study.date_handling == DateHandling.MONTH:
            return month_of(value)
        return shifted(value, people[client_id][1])

    phase_starts: dict[int, dict[str, date]] = defaultdict(dict)
    if "phases" in variables:
        for episode_id, phase, started_on in (
            PhaseChange.objects.filter(episode_id__in=episode_ids, started_on__lte=until)
            .order_by("started_on", "recorded_at", "pk")
            .values_list("episode_id", "phase", "started_on")
        ):
            phase_starts[episode_id].setdefault(phase, started_on)

    # {episode: {instrument: [(date, total), ...]}} in the order answered.
    scores: dict[int, dict[str, list[tuple[date, float]]]] = defaultdict(lambda: defaultdict(list))
    instruments: list[str] = []
    if "measurements" in variables:
        for episode_id, code, completed_at, total in (
            Administration.objects.filter(
                episode_id__in=episode_ids,
                status=AdministrationStatus.COMPLETE,
                total__isnull=False,
                completed_at__isnull=False,
            )
            .order_by("completed_at", "pk")
            .values_list("episode_id", "instrument__code", "completed_at", "total")
        ):
            answered_on = timezone.localdate(completed_at)
            if answered_on <= until and episode_id is not None and total is not None:
                scores[episode_id][code].append((answered_on, total))
        instruments = sorted({code for by_code in scores.values() for code in by_code})

    transitions: dict[int, list[str]] = defaultdict(list)
    if "transition_to_work" in variables:
        for episode_id, kind in Transition.objects.filter(
            coaching__episode_id__in=episode_ids, observed_on__lte=until
        ).values_list("coaching__episode_id", "kind"):
            transitions[episode_id].append(kind)

    header: list[str] = []
    for key_name in variables:
        if key_name == "municipality":
            header += ["municipality", "wellbeing_county"]
        elif key_name == "episode_dates":
            header += ["episode_start", "episode_end"]
        elif key_name == "phases":
            header += [_phase_column(phase) for phase in Phase.values]
        elif key_name == "measurements":
            for code in instruments:
                header += [f"{code}_first", f"{code}_first_date"]
                header += [f"{code}_latest", f"{code}_latest_date"]
        else:
            header.append(key_name)

    keyed_rows: list[tuple[str, date, int, list[str]]] = []
    persons: dict[UUID, str] = {}
    for episode in episodes:
        client = episode.client
        persons.setdefault(client.public_id, episode.register)
        ended = episode.ended_on is not None and episode.ended_on <= until
        row: list[str] = []
        for key_name in variables:
            if key_name == "pseudonym":
                row.append(people[client.pk][0])
            elif key_name == "birth_year":
                row.append(str(client.birth_date.year))
            elif key_name == "age_band":
                row.append(age_band(client.birth_date, episode.started_on))
            elif key_name == "gender":
                gender = genders[client.pk]
                row.append(WITHHELD if gender in rare_genders else gender)
            elif key_name == "municipality":
                place, county = places[client.pk]
                row.append("" if place in rare_municipalities else place)
                row.append("" if county in rare_counties else county)
            elif key_name == "preferred_language":
                language = languages[client.pk]
                row.append(OTHER if language in rare_languages else language)
            elif key_name == "programme":
                row.append(episode.programme.code)
            elif key_name == "episode_dates":
                row.append(day(episode.started_on, client.pk))
                row.append(day(episode.ended_on, client.pk) if ended else "")
            elif key_name == "end_reason":
                row.append(episode.end_reason if ended else "")
            elif key_name == "phases":
                starts = phase_starts.get(episode.pk, {})
                row += [day(starts.get(phase), client.pk) for phase in Phase.values]
            elif key_name == "measurements":
                by_code = scores.get(episode.pk, {})
                for code in instruments:
                    answered = by_code.get(code, [])
                    if answered:
                        for on, total in (answered[0], answered[-1]):
                            row += [_score(total), day(on, client.pk)]
                    else:
                        row += ["", "", "", ""]
            elif key_name == "transition_to_work":
                kinds = transitions.get(episode.pk, [])
                row.append(
                    "" if not kinds else "yes" if any(k in IN_WORK_KINDS for k in kinds) else "no"
                )
        keyed_rows.append((people[client.pk][0], episode.started_on, episode.pk, row))
    # Ordered by pseudonym, so that the order of the rows says nothing of the records'.
    keyed_rows.sort(key=lambda keyed: keyed[:3])

    generalised = {
        "gender": len(rare_genders),
        "municipality": len(rare_municipalities),
        "preferred_language": len(rare_languages),
    }
    codebook = [["variable", "columns", "label", "description", "generalisation", "in_extract"]]
    for key_name in variables:
        variable = VARIABLES[key_name]
        columns = _columns_of(key_name, instruments)
        codebook.append(
            [
                key_name,
                " ".join(columns),
                str(variable.label),
                str(variable.description),
                str(variable.generalisation),
                _generalised_here(key_name, generalised, len(rare_counties), study),
            ]
        )
    return Extract(
        header=header,
        rows=[row for *_key, row in keyed_rows],
        codebook=codebook,
        persons=persons,
        categories=sorted(
            {VARIABLES[key_name].category for key_name in variables} | {DataCategory.PLAN}
        ),
    )


def _score(total: float | None) -> str:
    if total is None:
        return ""
    return str(int(total)) if float(total).is_integer() else f"{total:.2f}"


def _columns_of(key_name: str, instruments: list[str]) -> list[str]:
    if key_name == "municipality":
        return ["municipality", "wellbeing_county"]
    if key_name == "episode_dates":
        return ["episode_start", "episode_end"]
    if key_name == "phases":
        return [_phase_column(phase) for phase in Phase.values]
    if key_name == "measurements":
        return [
            f"{code}_{which}"
            for code in instruments
            for which in ("first", "first_date", "latest", "latest_date")
        ]
    return [key_name]


def _generalised_here(
    key_name: str, generalised: dict[str, int], rare_counties: int, study: Study
) -> str:
    """What this extract generalised in the variable, in words."""
    if key_name == "gender" and generalised["gender"]:
        return _("Genders given as withheld: %(count)d.") % {"count": generalised["gender"]}
    if key_name == "preferred_language" and generalised["preferred_language"]:
        return _("Languages given as other: %(count)d.") % {
            "count": generalised["preferred_language"]
        }
    if key_name == "municipality" and (generalised["municipality"] or rare_counties):
        return _(
            "Municipalities given as their county only: %(municipalities)d. "
            "Counties left empty: %(counties)d."
        ) % {"municipalities": generalised["municipality"], "counties": rare_counties}
    if key_name in {"episode_dates", "phases", "measurements"}:
        if study.date_handling == DateHandling.MONTH:
            return _("Dates coarsened to the month.")
        return _("Dates shifted by the same 1 to 30 days, forward or back, for each person.")
    return ""
