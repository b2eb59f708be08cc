"""Reads of work trials: the coach's trial page with the comparison of the host's ratings
and the client's self-rating, the coaching page's list of trials, and what the host sees
behind the feedback link. Each read asks the policy and logs what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.employment import access
from polku.employment import worktrial_services as services
from polku.employment.models import Coaching, EmployerFeedback, FeedbackLink, WorkTrial
from polku.employment.worktrial_enums import AREA_LABELS, LinkState, Rating, area_label
from polku.measures import charts
from polku.measures.access import measurement_decision
from polku.measures.enums import AdministrationStatus
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory
from polku.policy.models import Consent

EMPLOYMENT = DataCategory.EMPLOYMENT


def get_work_trial(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[WorkTrial, decisions.Decision]:
    return access.access_work_trial(actor, public_id, action=action)


def first_name(client: Client) -> str:
    """The one name the host is shown: the first of the client's first names."""
    names = client.first_names.split()
    return names[0] if names else ""


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    label: str
    host: int | None
    host_words: str
    host_comment: str
    client: int | None
    client_words: str
    in_questionnaire: bool


def _words(value: int | None) -> str:
    return str(Rating(value).label) if value in Rating.values else ""


def comparison(
    trial: WorkTrial, feedback: EmployerFeedback | None, self_rating: dict[str, int] | None
) -> list[ComparisonRow]:
    """Each area of the trial with the host's sent rating and the client's own rating of the
    same area (custom areas are not in the client's questionnaire)."""
    host = feedback.ratings if feedback is not None else {}
    comments = feedback.comments if feedback is not None else {}
    own = self_rating or {}
    rows = []
    for area in trial.areas:
        code = area["code"]
        host_value = host.get(code)
        client_value = own.get(code) if code in AREA_LABELS else None
        rows.append(
            ComparisonRow(
                code=code,
                label=area_label(area),
                host=host_value,
                host_words=_words(host_value),
                host_comment=comments.get(code, ""),
                client=client_value,
                client_words=_words(client_value),
                in_questionnaire=code in AREA_LABELS,
            )
        )
    return rows


def comparison_chart(rows: list[ComparisonRow]) -> charts.Chart | None:
    host_label, client_label = _("Host employer"), _("Client's own rating")
    bars = [
        (row.label, who, float(value))
        for row in rows
        for who, value in ((host_label, row.host), (client_label, row.client))
        if value is not None
    ]
    if not bars:
        return None
    description = _(
        "The host employer's ratings beside the client's own ratings of the same areas, "
        "on a scale from 1 (does not work out yet) to 5 (works out very well): %(values)s"
    ) % {
        "values": "; ".join(
            f"{row.label}: {host_label} {row.host or '–'}, {client_label} {row.client or '–'}"
            for row in rows
        )
    }
    return charts.grouped_bars(
        bars, y_title=_("Rating (1–5)"), y_domain=(0, 5), description=description
    )


@dataclass
class TrialPage:
    trial: WorkTrial
    may_change: bool
    consent: Consent | None
    open_link: FeedbackLink | None
    open_link_state: LinkState | None
    feedback: EmployerFeedback | None  # the host's sent feedback
    draft: EmployerFeedback | None  # a draft saved through the open link
    self_rating_status: str
    self_rating_shown: bool
    self_rating_open: bool
    rows: list[ComparisonRow] = field(default_factory=list)
    chart: charts.Chart | None = None
    areas_editable: bool = True


def trial_page(actor: Actor, trial: WorkTrial, decision: decisions.Decision) -> TrialPage:
    """Everything the coach's trial page shows of a trial ``get_work_trial`` opened to the
    actor, logged as viewed (the client's self-rating under its own category, when the
    policy lets the actor see it)."""
    sent = (
        EmployerFeedback.objects.filter(link__trial=trial, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .first()
    )
    link = services.open_link(trial)
    draft = EmployerFeedback.objects.filter(link=link).first() if link is not None else None
    own: dict[str, int] | None = None
    shown = False
    status = ""
    accesses = [
        Access.granted(
            trial.client.public_id, decision, Action.VIEW, [DataCategory.BASIC, EMPLOYMENT]
        )
    ]
    administration = trial.self_rating
    if administration is not None:
        seen = measurement_decision(actor, administration, Action.VIEW)
        if seen:
            shown = True
            status = administration.get_status_display()
            if administration.status == AdministrationStatus.COMPLETE:
                own = {code: int(value) for code, value in administration.answers.items()}
            accesses.append(
                Access.granted(
                    trial.client.public_id, seen, Action.VIEW, [DataCategory.MEASUREMENTS]
                )
            )
    rows = comparison(trial, sent, own)
    page = TrialPage(
        trial=trial,
        may_change=bool(access.work_trial_decision(actor, trial, Action.CHANGE)),
        consent=services.employer_consent(trial),
        open_link=link,
        open_link_state=link.state() if link is not None else None,
        feedback=sent,
        draft=draft,
        self_rating_status=status,
        self_rating_shown=shown,
        self_rating_open=shown
        and administration is not None
        and administration.status == AdministrationStatus.DRAFT,
        rows=rows,
        chart=comparison_chart(rows),
        areas_editable=sent is None,
    )
    record(actor=actor, accesses=accesses)
    return page


def trials_of(coaching: Coaching) -> list[WorkTrial]:
    """The trials of a coaching that the caller has opened (and logged) to the actor: they
    share its owner, register and category."""
    return list(
        WorkTrial.objects.filter(coaching=coaching)
        .select_related("employer")
        .order_by("-starts_on", "-pk")
    )


@dataclass(frozen=True)
class HostView:
    """What the host's contact person sees: who asks, the client's first name, and the
    trial's period, workplace, tasks and areas. Nothing else of the client."""

    organisation: str
    asker: str
    first_name: str
    employer: str
    starts_on: object
    ends_on: object
    workplace: str
    tasks: str
    expires_at: object
    draft: EmployerFeedback | None


def host_view(link: FeedbackLink) -> HostView:
    trial = link.trial
    return HostView(
        organisation=str(trial.organisation.localized_name),
        asker=link.created_by.get_full_name() or link.created_by.get_username(),
        first_name=first_name(trial.client),
        employer=trial.employer.name,
        starts_on=trial.starts_on,
        ends_on=trial.ends_on,
        workplace=trial.workplace,
        tasks=trial.tasks,
        expires_at=timezone.localtime(link.expires_at),
        draft=EmployerFeedback.objects.filter(link=link).first(),
    )
