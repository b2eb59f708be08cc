"""The alerts section of the situational picture: how many of the counted clients have an
open alert today, by its kind (overdue assessments, overdue plan reviews, referrals
unanswered past their deadline …), by gender, and how many days overdue they are.

Alerts are the state of today (``pathways.alerts`` opens and clears them daily), so the
section speaks only for a period that includes today; for another period it says nothing
(``ONLY_TODAY_NOTE`` tells the page's reader why). A client with several open alerts of a
kind (one for each recipient, or for two episodes) counts once in that kind, with the most
overdue of them; a client with alerts of two kinds counts in both, so the kinds do not add
up to the clients with any alert.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.core.small_cells import MIN_CELL
from polku.core.tables import RATE, SMALL, Cell, Table
from polku.insights.persons import (
    person_counts,
    person_headers,
    person_keys,
    person_relations,
)
from polku.insights.scope import PictureQuery, counted_clients
from polku.insights.sections import Section, count_table
from polku.pathways.enums import AlertKind
from polku.pathways.models import Alert
from polku.policy.actors import Actor

ANY = "any"

ONLY_TODAY_NOTE = gettext_lazy(
    "Alerts are shown only for a period that includes today: they tell the situation "
    "today, not that of a past period."
)


def alerts_section(actor: Actor, query: PictureQuery, today: date | None = None) -> Section | None:
    """Counted clients with an open alert today, by kind and gender, and the median days
    overdue of each kind; for a period that does not include today, only the note saying
    why there are none."""
    today = today or timezone.localdate()
    if not query.starts_on <= today <= query.ends_on:
        return Section(key="alerts", title=_("Alerts"), tables=[], note=str(ONLY_TODAY_NOTE))
    alerts = Alert.objects.filter(
        cleared_at__isnull=True, client__in=counted_clients(actor, query).values("pk")
    )
    kind = query.filters.organisation_kind
    if kind:
        alerts = alerts.filter(
            Q(episode__organisation__kind=kind) | Q(referral__from_organisation__kind=kind)
        )
    # Per (kind, client): the client's gender and the earliest due day of its alerts.
    earliest: dict[tuple[str, int], date | None] = {}
    genders: dict[int, str] = {}
    for alert_kind, client_id, gender, due_on in alerts.values_list(
        "kind", "client_id", "client__gender", "due_on"
    ):
        genders[client_id] = gender
        key = (alert_kind, client_id)
        known = earliest.get(key)
        if key not in earliest or (due_on is not None and (known is None or due_on < known)):
            earliest[key] = due_on
    kinds = [kind.value for kind in AlertKind]
    values = person_counts(
        [*kinds, ANY],
        [(alert_kind, genders[client_id]) for alert_kind, client_id in earliest]
        + [(ANY, gender) for gender in genders.values()],
    )
    clients = count_table(
        key="alerts_by_kind",
        title=_("Clients with an open alert today, by the kind of alert"),
        headers=[_("Alert"), *person_headers()],
        rows=[(str(AlertKind(kind).label), person_keys(kind)) for kind in kinds],
        footer=[(_("Clients with any open alert"), person_keys(ANY))],
        values=values,
        # A client may have alerts of several kinds: the kinds do not add up to "any".
        relations=person_relations([*kinds, ANY]),
    )
    overdue: dict[str, list[int]] = defaultdict(list)
    for (alert_kind, _client_id), due_on in earliest.items():
        if due_on is not None:
            overdue[alert_kind].append((today - due_on).days)
    return Section(
        key="alerts",
        title=_("Alerts"),
        tables=[clients, _days_overdue(kinds, overdue)],
        note=_(
            "Open alerts today of the clients counted. A client is counted once in each "
            "kind of alert they have; days overdue run from the day the matter was due "
            "(for a missing case manager, from the start of the episode) to today, for "
            "each client the most overdue, and their median is shown when at least five "
            "clients have the alert."
        ),
    )


def _days_overdue(kinds: list[str], overdue: dict[str, list[int]]) -> Table:
    rows = []
    for kind in kinds:
        days = overdue.get(kind, [])
        if len(days) >= MIN_CELL:
            median = Cell(float(statistics.median(days)), RATE)
        else:
            median = Cell(None, RATE, withheld=SMALL if days else "")
        rows.append([Cell(str(AlertKind(kind).label)), median])
    return Table(
        key="alerts_days_overdue",
        title=_("Days overdue, median"),
        headers=[_("Alert"), _("Median, days")],
        rows=rows,
    )
