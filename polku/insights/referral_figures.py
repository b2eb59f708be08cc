"""The referrals section of the situational picture: the referrals sent in the period about
the counted clients, by their state now and by the kind of the receiving organisation, and
how long the receivers took to answer them.

A referral is counted once, whoever sent or received it; with the filter on the kind of
organisation, only those sent by an organisation of that kind (the one giving the service).
The days to answer run from the day it was sent to the day it was answered (accepted or
declined), in calendar days; the median and the 90th percentile (linear interpolation
between the order statistics, as ``statistics.quantiles(method="inclusive")``) are shown
only over at least five answered referrals.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import OrganisationKind
from polku.core.small_cells import MIN_CELL, Relation
from polku.core.tables import RATE, SMALL, Cell, Table
from polku.insights.scope import PictureQuery, counted_clients
from polku.insights.sections import Section, count_table
from polku.pathways.enums import ReferralStatus
from polku.pathways.models import Referral
from polku.policy.actors import Actor

TOTAL = "total"
ANSWERED, LATE, ON_TIME = "answered", "late", "on_time"


def counted_referrals(actor: Actor, query: PictureQuery) -> QuerySet[Referral]:
    """The referrals sent in the period (local days, both included) about the counted
    clients, sent by an organisation of the chosen kind."""
    referrals = Referral.objects.filter(
        client__in=counted_clients(actor, query).values("pk"),
        sent_at__date__gte=query.starts_on,
        sent_at__date__lte=query.ends_on,
    )
    if query.filters.organisation_kind:
        referrals = referrals.filter(from_organisation__kind=query.filters.organisation_kind)
    return referrals


def _day(moment: datetime) -> int:
    return timezone.localdate(moment).toordinal()


def referrals_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Referrals by state now and by the receiver's kind, answered ones and late answers,
    and the median and 90th percentile of the days to answer; None when there were none."""
    rows = list(
        counted_referrals(actor, query).values_list(
            "status", "to_organisation__kind", "sent_at", "answered_at", "respond_by"
        )
    )
    if not rows:
        return None
    values: dict[object, int] = {TOTAL: len(rows)}
    for status in ReferralStatus:
        values[("status", status.value)] = sum(1 for row in rows if row[0] == status)
    for kind in OrganisationKind:
        values[("kind", kind.value)] = sum(1 for row in rows if row[1] == kind)
    days = [
        _day(answered_at) - _day(sent_at)
        for _status, _kind, sent_at, answered_at, _due in rows
        if answered_at is not None
    ]
    values[ANSWERED] = len(days)
    values[LATE] = sum(
        1
        for _status, _kind, _sent, answered_at, due in rows
        if answered_at is not None and timezone.localdate(answered_at) > due
    )
    values[ON_TIME] = values[ANSWERED] - values[LATE]

    state_keys = [("status", status.value) for status in ReferralStatus]
    # Kinds no referral went to are left out: their rows would only say zero.
    kind_keys = [("kind", kind.value) for kind in OrganisationKind if values[("kind", kind.value)]]
    header = [_("Referrals")]
    by_state = count_table(
        key="referrals_by_state",
        title=_("Referrals sent in the period, by their state now"),
        headers=[_("State now"), *header],
        rows=[(str(ReferralStatus(key[1]).label), [key]) for key in state_keys],
        footer=[(_("All"), [TOTAL])],
        values=values,
        relations=[Relation(TOTAL, tuple(state_keys))],
    )
    by_kind = count_table(
        key="referrals_by_receiver",
        title=_("Referrals sent in the period, by the kind of the receiving organisation"),
        headers=[_("Receiving organisation"), *header],
        rows=[(str(OrganisationKind(key[1]).label), [key]) for key in kind_keys],
        footer=[(_("All"), [TOTAL])],
        values=values,
        relations=[Relation(TOTAL, tuple(kind_keys))],
    )
    answers = count_table(
        key="referral_answers",
        title=_("Answers to the referrals sent in the period"),
        headers=[_("Referrals"), _("Number")],
        rows=[(_("Answered"), [ANSWERED]), (_("Answered after the due date"), [LATE])],
        values=values,
        # The answered on time are known only as the rest.
        relations=[Relation(ANSWERED, (LATE, ON_TIME))],
    )
    return Section(
        key="referrals",
        title=_("Referrals"),
        tables=[by_state, by_kind, answers, _answer_days(days)],
        note=_(
            "Referrals sent in the period concerning the clients counted, by their state "
            "today. Days to answer are calendar days from sending to acceptance or "
            "declining; the median and the 90th percentile are shown when at least five "
            "referrals were answered."
        ),
    )


def _answer_days(days: list[int]) -> Table:
    if len(days) < MIN_CELL:
        median = p90 = Cell(None, RATE, withheld=SMALL if days else "")
    else:
        median = Cell(float(statistics.median(days)), RATE)
        p90 = Cell(statistics.quantiles(days, n=10, method="inclusive")[-1], RATE)
    return Table(
        key="referral_answer_days",
        title=_("Days from sending a referral to its answer"),
        headers=[_("Referrals"), _("Median, days"), _("90th percentile, days")],
        rows=[[Cell(_("Answered")), median, p90]],
    )
