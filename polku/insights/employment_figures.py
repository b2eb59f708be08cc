"""The supported-employment section of the situational picture: work trials and placements
started in the period, job coachings ended in it and where their clients went at the end
(the exit transition), and the share in work among them with its 95 % Wilson interval.

Counted are the coachings of the counted episodes (``scope.counted_episodes``: with the
filter on the kind of organisation, those of its episodes), and their trials and
placements. "In work" is the employment app's own (``coaching_selectors.IN_WORK_KINDS``:
open-market work, subsidised work, self-employment); an exit recorded as "not known"
counts among those recorded.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from polku.core.small_cells import Relation
from polku.core.tables import SHARE, SMALL, Cell, Table
from polku.employment.coaching_enums import IN_WORK_KINDS, Occasion, TransitionKind
from polku.employment.coaching_selectors import transition_figures
from polku.employment.models import Coaching, Placement, Transition, WorkTrial
from polku.employment.placement_enums import PlacementKind
from polku.insights.equality import wilson_interval
from polku.insights.persons import (
    GENDER_GROUPS,
    person_counts,
    person_headers,
    person_keys,
    person_relations,
    share_publishable,
)
from polku.insights.scope import PictureQuery, counted_episodes
from polku.insights.sections import Section, count_table
from polku.policy.actors import Actor

TRIALS, JOBS, STUDIES = "trials", "jobs", "studies"
ENDED, TO_WORK, TO_EDUCATION, TO_ELSEWHERE = "ended", "work", "education", "elsewhere"


def counted_coachings(actor: Actor, query: PictureQuery) -> QuerySet[Coaching]:
    return Coaching.objects.filter(episode__in=counted_episodes(actor, query).values("pk"))


def ended_coachings(actor: Actor, query: PictureQuery) -> QuerySet[Coaching]:
    """The counted job coachings that ended in the period: those whose situation at exit
    gives the share in work (``coaching_selectors.transition_figures``)."""
    return counted_coachings(actor, query).filter(
        ended_on__gte=query.starts_on, ended_on__lte=query.ends_on
    )


def employment_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Trials, placements and ended coachings of the period, by gender, with the share in
    work at exit; None when the counted clients have no coaching at all."""
    coachings = counted_coachings(actor, query)
    if not coachings.exists():
        return None
    period = {"starts_on": query.starts_on, "ends_on": query.ends_on}
    trials = WorkTrial.objects.filter(
        coaching__in=coachings.values("pk"),
        starts_on__gte=period["starts_on"],
        starts_on__lte=period["ends_on"],
    )
    placements = Placement.objects.filter(
        coaching__in=coachings.values("pk"),
        started_on__gte=period["starts_on"],
        started_on__lte=period["ends_on"],
    )
    ended = ended_coachings(actor, query)
    exits = dict(
        Transition.objects.filter(
            coaching__in=ended.values("pk"), occasion=Occasion.EXIT
        ).values_list("coaching_id", "kind")
    )

    def where(kind: str | None) -> str:
        if kind in IN_WORK_KINDS:
            return TO_WORK
        return TO_EDUCATION if kind == TransitionKind.EDUCATION else TO_ELSEWHERE

    rows = [TRIALS, JOBS, STUDIES, ENDED, TO_WORK, TO_EDUCATION, TO_ELSEWHERE]
    values = person_counts(
        rows,
        [
            *((TRIALS, gender) for gender in trials.values_list("client__gender", flat=True)),
            *(
                (JOBS if kind == PlacementKind.JOB else STUDIES, gender)
                for kind, gender in placements.values_list("kind", "client__gender")
            ),
            *(
                row
                for pk, gender in ended.values_list("pk", "client__gender")
                for row in [(ENDED, gender), (where(exits.get(pk)), gender)]
            ),
        ],
    )
    # The ended coachings are those to work, to education and the rest, known only as
    # the rest; in each gender and in all.
    relations = [
        *person_relations(rows),
        *(
            Relation(
                (ENDED, column), ((TO_WORK, column), (TO_EDUCATION, column), (TO_ELSEWHERE, column))
            )
            for column in (*GENDER_GROUPS, "all")
        ),
    ]
    labels = {
        TRIALS: _("Work trials started"),
        JOBS: _("Jobs started"),
        STUDIES: _("Studies started"),
        ENDED: _("Job coachings ended"),
        TO_WORK: _("of them, to work"),
        TO_EDUCATION: _("of them, to education"),
    }
    counts = count_table(
        key="employment_counts",
        title=_("Supported employment in the period"),
        headers=[_("In the period"), *person_headers()],
        rows=[(labels[row], person_keys(row)) for row in rows if row in labels],
        values=values,
        relations=relations,
    )
    return Section(
        key="employment",
        title=_("Supported employment"),
        tables=[counts, _share_in_work(ended)],
        note=_(
            "Job coachings of the clients counted, their work trials and placements. The "
            "share in work is among the coachings ended in the period whose situation at "
            "exit is recorded (work in the open labour market, subsidised work or "
            "self-employment), with its 95 %(percent)s confidence interval (Wilson); it is "
            "shown when neither those in work nor the others are fewer than five."
        )
        % {"percent": "%"},
    )


def _share_in_work(ended: QuerySet[Coaching]) -> Table:
    at_exit = transition_figures(ended)[Occasion.EXIT]
    in_work, recorded = at_exit.in_work, at_exit.recorded
    if share_publishable(in_work, recorded):
        low, high = wilson_interval(in_work, recorded)
        cells = [Cell(in_work / recorded, SHARE), Cell(low, SHARE), Cell(high, SHARE)]
    else:
        cells = [Cell(None, SHARE, withheld=SMALL if recorded else "") for _ in range(3)]
    return Table(
        key="employment_share_in_work",
        title=_("Share in work at the end of job coaching"),
        headers=[
            _("Coachings ended"),
            _("Share in work"),
            _("95 %(percent)s interval, from") % {"percent": "%"},
            _("to"),
        ],
        rows=[[Cell(_("With the situation at exit recorded")), *cells]],
    )
