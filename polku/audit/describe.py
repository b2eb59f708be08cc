"""Each access-log row in plain words, in the reader's language:

"Social worker Maija Esimerkki (Tampereen kaupunki) read basic details on the ground of the
organisation's own service relationship."

Built from the row's actor, action or event, data categories and ground; the sentence
patterns are translatable whole, so that each language may order its words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from polku.accounts.enums import Role
from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.audit.services import without_identity_codes
from polku.policy.actors import ActorKind
from polku.policy.enums import Action, BasisKind, DataCategory

# What the access was about, as the object of the verbs below.
DATA = {
    DataCategory.BASIC: pgettext_lazy("access log object", "basic details"),
    DataCategory.PLAN: pgettext_lazy("access log object", "the plan and pathway"),
    DataCategory.MEASUREMENTS: pgettext_lazy("access log object", "measurements"),
    DataCategory.EMPLOYMENT: pgettext_lazy("access log object", "employment and job coaching data"),
    DataCategory.SOCIAL_WELFARE: pgettext_lazy("access log object", "social welfare records"),
    DataCategory.HEALTH: pgettext_lazy("access log object", "health records"),
    DataCategory.PROJECT: pgettext_lazy("access log object", "project participant details"),
    DataCategory.PROJECT_SENSITIVE: pgettext_lazy(
        "access log object", "sensitive project participant details"
    ),
}

# What the actor did, by action; ``%(data)s`` is the list of what it concerned.
DID = {
    Action.LIST: gettext_lazy("saw %(data)s in a list"),
    Action.VIEW: gettext_lazy("read %(data)s"),
    Action.CREATE: gettext_lazy("recorded %(data)s"),
    Action.CHANGE: gettext_lazy("changed %(data)s"),
    Action.EXPORT: gettext_lazy("exported %(data)s to a file"),
}
LOOKED_UP = gettext_lazy("looked up the person's identity")

# What the actor did, by the event of a write (it says more than the action).
DID_EVENT: dict[str, Promise] = {
    AuditEvent.CLIENT_REGISTERED: gettext_lazy("registered the client"),
    AuditEvent.BASIC_DETAILS_CHANGED: gettext_lazy("changed the basic details"),
    AuditEvent.RELATIONSHIP_STARTED: gettext_lazy("started a service relationship"),
    AuditEvent.RELATIONSHIP_ENDED: gettext_lazy("ended a service relationship"),
    AuditEvent.CONSENT_RECORDED: gettext_lazy("recorded a consent"),
    AuditEvent.CONSENT_WITHDRAWN: gettext_lazy("recorded the withdrawal of a consent"),
    AuditEvent.CLIENTS_MERGED: gettext_lazy("merged two records of the client"),
    AuditEvent.NON_DISCLOSURE_SET: gettext_lazy("set a non-disclosure for personal safety"),
    AuditEvent.NON_DISCLOSURE_LIFTED: gettext_lazy("lifted the non-disclosure for personal safety"),
    AuditEvent.ACCESS_LOG_EXPORTED: gettext_lazy("exported the access log to a file"),
    AuditEvent.EPISODE_STARTED: gettext_lazy("started an episode"),
    AuditEvent.EPISODE_ENDED: gettext_lazy("ended an episode"),
    AuditEvent.PHASE_CHANGED: gettext_lazy("changed the phase of the pathway"),
    AuditEvent.CASE_MANAGER_ASSIGNED: gettext_lazy("named the case manager"),
    AuditEvent.HANDOVER_PROPOSED: gettext_lazy("offered to hand the case over"),
    AuditEvent.HANDOVER_ANSWERED: gettext_lazy("answered an offer to hand the case over"),
    AuditEvent.TEAM_MEMBER_ADDED: gettext_lazy("added a member to the team"),
    AuditEvent.PLAN_SAVED: gettext_lazy("saved the plan"),
    AuditEvent.PLAN_REVIEWED: gettext_lazy("reviewed the plan"),
    AuditEvent.JOURNAL_ENTRY_ADDED: gettext_lazy("wrote a journal entry"),
    AuditEvent.REFERRAL_SENT: gettext_lazy("sent a referral"),
    AuditEvent.REFERRAL_RECEIVED: gettext_lazy("marked a referral received"),
    AuditEvent.REFERRAL_ACCEPTED: gettext_lazy("accepted a referral"),
    AuditEvent.REFERRAL_DECLINED: gettext_lazy("declined a referral"),
    AuditEvent.REFERRAL_CLOSED: gettext_lazy("closed a referral"),
    AuditEvent.MEASUREMENT_STARTED: gettext_lazy("started a measurement"),
    AuditEvent.MEASUREMENT_ANSWERED: gettext_lazy("answered a measurement"),
    AuditEvent.ANSWER_LINK_SENT: gettext_lazy("created a link for answering"),
    AuditEvent.ANSWER_LINK_DELIVERED: gettext_lazy("sent a link for answering to the client"),
    AuditEvent.CONSENT_RECORDED_AGAIN: gettext_lazy("recorded a withdrawn consent again"),
    AuditEvent.RELATIONSHIP_RESTORED: gettext_lazy("restored an ended service relationship"),
    AuditEvent.EPISODE_REOPENED: gettext_lazy("reopened an ended episode"),
    AuditEvent.COACHING_STARTED: gettext_lazy("started job coaching"),
    AuditEvent.COACHING_STAGE_CHANGED: gettext_lazy("changed the stage of job coaching"),
    AuditEvent.COACHING_PROFILE_UPDATED: gettext_lazy(
        "updated the job-coaching profile and next step"
    ),
    AuditEvent.COACHING_CONTACT_RECORDED: gettext_lazy("recorded a job-coaching contact"),
    AuditEvent.COACHING_ENDED: gettext_lazy("ended job coaching"),
    AuditEvent.TRANSITION_RECORDED: gettext_lazy("recorded a transition after job coaching"),
    AuditEvent.PLACEMENT_STARTED: gettext_lazy("recorded the start of a job or studies"),
    AuditEvent.PLACEMENT_ENDED: gettext_lazy("recorded the end of a job or studies"),
    AuditEvent.WORK_TRIAL_ARRANGED: gettext_lazy("arranged a work trial"),
    AuditEvent.WORK_TRIAL_UPDATED: gettext_lazy("updated a work trial"),
    AuditEvent.FEEDBACK_LINK_SENT: gettext_lazy(
        "sent a work trial's feedback link to the employer"
    ),
    AuditEvent.FEEDBACK_LINK_WITHDRAWN: gettext_lazy("withdrew a work trial's feedback link"),
    AuditEvent.EMPLOYER_FEEDBACK_SAVED: gettext_lazy(
        "saved feedback on a work trial as a draft, as the host employer"
    ),
    AuditEvent.EMPLOYER_FEEDBACK_SUBMITTED: gettext_lazy(
        "sent feedback on a work trial, as the host employer"
    ),
    AuditEvent.FEEDBACK_LINK_REFUSED: gettext_lazy(
        "tried a work trial's feedback link that the client's consent no longer allows"
    ),
    AuditEvent.PARTICIPANT_ENROLLED: gettext_lazy("enrolled the client in a funded project"),
    AuditEvent.PARTICIPANT_ENTRY_CHANGED: gettext_lazy(
        "recorded the client's entry details in a project"
    ),
    AuditEvent.SENSITIVE_DETAILS_RECORDED: gettext_lazy(
        "recorded the client's sensitive participant details in a project"
    ),
    AuditEvent.PARTICIPANT_EXIT_RECORDED: gettext_lazy(
        "recorded the client's situation on leaving a project"
    ),
    AuditEvent.PARTICIPANT_FOLLOW_UP_RECORDED: gettext_lazy(
        "recorded the client's situation six months after leaving a project"
    ),
    AuditEvent.PARTICIPANT_EXPORTED: gettext_lazy("exported a project's participant list"),
    AuditEvent.TEAM_MEMBER_REMOVED: gettext_lazy("removed a member from the team"),
    AuditEvent.PLAN_ACTION_DONE: gettext_lazy("marked a task of the plan done"),
    AuditEvent.PLAN_ACTION_REOPENED: gettext_lazy("marked a task of the plan not done"),
}

# On what ground, as the end of the sentence.
GROUND = {
    BasisKind.SERVICE_RELATIONSHIP: gettext_lazy(
        "on the ground of the organisation's own service relationship"
    ),
    BasisKind.CONSENT: gettext_lazy("with the client's consent"),
    BasisKind.STARTING_RELATIONSHIP: gettext_lazy("to start a service relationship"),
    BasisKind.ADMINISTRATION: gettext_lazy("to keep the client register in order"),
    BasisKind.REFERRAL: gettext_lazy("on the ground of a referral to the organisation"),
    BasisKind.CLIENT_SELF: gettext_lazy("as their own data"),
    BasisKind.LINK: gettext_lazy("through a single-use link"),
    BasisKind.SYSTEM: gettext_lazy("as an automatic job"),
    BasisKind.PROJECT_WORK: gettext_lazy("as staff of a funded project the client takes part in"),
}


# Acts that create their own ground (the new relationship): saying it again says nothing.
GROUNDLESS_EVENTS = frozenset({AuditEvent.CLIENT_REGISTERED, AuditEvent.RELATIONSHIP_STARTED})


def _known(choices: type, value: str) -> bool:
    return value in choices.values  # type: ignore[attr-defined]


def recorded_name(row: AccessLogEntry, field: str) -> str:
    """The row's ``organisation`` or ``owner`` as it recorded the name, in the reader's
    language when the organisation still bears that official name. Only an organisation
    read with the row (``select_related``) is asked: the log is never read row by row."""
    recorded: str = getattr(row, f"{field}_name")
    descriptor = getattr(type(row), field)
    organisation = getattr(row, field) if descriptor.is_cached(row) else None
    if organisation is not None and organisation.name == recorded:
        return str(organisation.localized_name)
    return recorded


def who(row: AccessLogEntry) -> str:
    """The actor as the sentence names it: role, name and organisation where known."""
    if row.actor_kind == ActorKind.CLIENT:
        return _("The client")
    if row.actor_kind == ActorKind.LINK_HOLDER:
        return _("The holder of a single-use link")
    if row.actor_kind == ActorKind.SYSTEM:
        return _("The system job %(name)s") % {"name": row.actor_name}
    role = str(Role(row.role).label) if _known(Role, row.role) else ""
    if row.actor_kind == ActorKind.API_CLIENT:
        role = _("The connected system")
    name = f"{role} {row.actor_name}" if role else row.actor_name
    if row.organisation_name:
        return _("%(name)s (%(organisation)s)") % {
            "name": name,
            "organisation": recorded_name(row, "organisation"),
        }
    return name


def did(row: AccessLogEntry) -> str:
    """What the actor did: the write's event, else the action on the data categories."""
    if row.event:
        if row.event in DID_EVENT:
            return str(DID_EVENT[row.event])
        return _("made a change: %(event)s") % {"event": row.event_label()}
    if row.action == Action.LOOKUP:
        return str(LOOKED_UP)
    data = [
        str(DATA[DataCategory(c)]) for c in row.categories.split(",") if _known(DataCategory, c)
    ]
    pattern = DID.get(Action(row.action)) if _known(Action, row.action) else None
    if pattern is None or not data:
        return str(Action(row.action).label).lower() if _known(Action, row.action) else ""
    return str(pattern) % {"data": get_text_list(data, _("and"))}


def describe(row: AccessLogEntry) -> str:
    """The row as one plain sentence, in the active language; never an identity code."""
    ground = GROUND.get(BasisKind(row.basis)) if _known(BasisKind, row.basis) else None
    if row.event in GROUNDLESS_EVENTS:
        ground = None
    parts = {"who": who(row), "did": did(row)}
    if ground is None:
        sentence = _("%(who)s %(did)s.") % parts
    else:
        sentence = _("%(who)s %(did)s %(ground)s.") % {**parts, "ground": ground}
    return without_identity_codes(sentence)
