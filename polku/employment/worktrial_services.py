"""Writes on work trials: arranging one, its employer's consent and feedback link, the
host's feedback through the link, and the client's self-rating.

A work trial belongs to its coaching's organisation and register; the policy decides on
the "employment" category with that organisation as owner. The host's contact person acts
as the holder of the trial's feedback link (``access.feedback_link_holder``), only while
the client's consent to disclose employment data to the host lasts. Each act is one
transaction with its access-log row; a refused act raises ``PermissionDenied`` /
``Http404`` and bad input ``ValidationError``, and either way nothing changes.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.accounts.enums import OrganisationKind
from polku.accounts.models import Organisation
from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients import services as client_services
from polku.core import languages
from polku.core.tokens import new_token, token_hash
from polku.employment import access
from polku.employment.models import (
    Coaching,
    Employer,
    EmployerContactPerson,
    EmployerFeedback,
    FeedbackLink,
    WorkTrial,
)
from polku.employment.worktrial_enums import (
    DEFAULT_AREA_CODES,
    RATING_MAX,
    RATING_MIN,
    SELF_RATING_INSTRUMENT,
    LinkState,
    TrialPurpose,
)
from polku.measures import services as measures_services
from polku.measures.enums import Channel
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, ConsentMethod, DataCategory, Purpose
from polku.policy.models import Consent

EMPLOYMENT = DataCategory.EMPLOYMENT
AREA_LABEL_LENGTH = 80
COMMENT_LENGTH = 2000
MAX_AREAS = 12


def _log(
    actor: Actor,
    trial: WorkTrial,
    decision: decisions.Decision,
    event: AuditEvent,
    action: Action = Action.CHANGE,
) -> None:
    record(
        actor=actor,
        accesses=[
            Access.granted(trial.client.public_id, decision, action, [EMPLOYMENT], event=event)
        ],
    )


def _require_change_coaching(actor: Actor, coaching: Coaching) -> decisions.Decision:
    return decisions.require(
        actor,
        coaching.client,
        action=Action.CHANGE,
        category=EMPLOYMENT,
        owner=coaching.organisation,
        register=coaching.register,
    )


def _locked(trial: WorkTrial) -> WorkTrial:
    trial.refresh_from_db(from_queryset=WorkTrial.objects.select_for_update(of=("self",)))
    return trial


def _require_change(actor: Actor, trial: WorkTrial) -> decisions.Decision:
    return decisions.granted_or_refused(
        lambda asked: access.work_trial_decision(actor, trial, asked), Action.CHANGE
    )


# Arranging and editing ---------------------------------------------------------------------


def _clean_areas(areas: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Areas as stored: the default codes with an empty label (translated when shown), and
    custom areas with the coach's text and a code of their own; duplicates refused."""
    if areas is None:
        return [{"code": code, "label": ""} for code in DEFAULT_AREA_CODES]
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    custom = 0
    for area in areas:
        code = str(area.get("code", "")).strip()
        label = " ".join(str(area.get("label", "")).split())[:AREA_LABEL_LENGTH]
        if code in DEFAULT_AREA_CODES:
            label = ""
        else:
            if not label:
                continue
            custom += 1
            code = f"custom-{custom}"
        key = code if code in DEFAULT_AREA_CODES else label.casefold()
        if key in seen:
            raise ValidationError({"areas": _("Each area may be named only once.")})
        seen.add(key)
        cleaned.append({"code": code, "label": label})
    if not cleaned:
        raise ValidationError({"areas": _("Choose at least one area to observe.")})
    if len(cleaned) > MAX_AREAS:
        raise ValidationError({"areas": _("Name at most %(count)d areas.") % {"count": MAX_AREAS}})
    return cleaned


def _check_facts(
    *,
    coaching: Coaching,
    employer: Employer,
    contact_person: EmployerContactPerson,
    starts_on: date,
    ends_on: date,
    tasks: str,
    purpose: str,
) -> None:
    problems: dict[str, str] = {}
    if contact_person.employer_id != employer.pk or not contact_person.is_active:
        problems["contact_person"] = _("Choose a contact person of the host employer.")
    if not employer.is_active:
        problems["employer"] = _("The employer is no longer active.")
    if ends_on < starts_on:
        problems["ends_on"] = _("The end date cannot be before the start date.")
    if starts_on < coaching.started_on:
        problems["starts_on"] = _("The trial cannot start before the job coaching.")
    if not tasks.strip():
        problems["tasks"] = _("Describe the tasks of the trial.")
    if purpose not in TrialPurpose.values:
        problems["purpose"] = _("Choose the purpose of the trial.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def arrange_work_trial(
    *,
    actor: Actor,
    coaching: Coaching,
    employer: Employer,
    contact_person: EmployerContactPerson,
    starts_on: date,
    ends_on: date,
    tasks: str,
    purpose: TrialPurpose | str,
    workplace: str = "",
    areas: list[dict[str, str]] | None = None,
) -> WorkTrial:
    """Arrange a work trial within an open coaching: the host, its contact person, period,
    tasks, purpose and the areas to observe (the defaults unless given)."""
    decision = _require_change_coaching(actor, coaching)
    coaching.refresh_from_db(from_queryset=Coaching.objects.select_for_update(of=("self",)))
    if not coaching.is_active:
        raise ValidationError(_("The job coaching has ended."))
    _check_facts(
        coaching=coaching,
        employer=employer,
        contact_person=contact_person,
        starts_on=starts_on,
        ends_on=ends_on,
        tasks=tasks,
        purpose=purpose,
    )
    trial = WorkTrial.objects.create(
        client=coaching.client,
        coaching=coaching,
        organisation=coaching.organisation,
        register=coaching.register,
        employer=employer,
        workplace=workplace.strip(),
        contact_person=contact_person,
        starts_on=starts_on,
        ends_on=ends_on,
        tasks=tasks.strip(),
        purpose=purpose,
        areas=_clean_areas(areas),
        created_by=actor.person,
    )
    _log(actor, trial, decision, AuditEvent.WORK_TRIAL_ARRANGED, Action.CREATE)
    return trial


def _same_areas(first: list[dict[str, str]], second: list[dict[str, str]]) -> bool:
    def key(areas: list[dict[str, str]]) -> list[tuple[str, str]]:
        return sorted(
            (a["code"] if a["code"] in DEFAULT_AREA_CODES else "", a["label"]) for a in areas
        )

    return key(first) == key(second)


def has_submitted_feedback(trial: WorkTrial) -> bool:
    return trial.links.filter(submitted_at__isnull=False).exists()


@transaction.atomic
def update_work_trial(
    *,
    actor: Actor,
    trial: WorkTrial,
    contact_person: EmployerContactPerson,
    starts_on: date,
    ends_on: date,
    tasks: str,
    purpose: TrialPurpose | str,
    workplace: str = "",
    areas: list[dict[str, str]] | None = None,
) -> WorkTrial:
    """Change a trial's facts; its areas only until the host's first feedback is sent (the
    ratings are of those areas). The host employer stays: a new host is a new trial."""
    trial = _locked(trial)
    decision = _require_change(actor, trial)
    _check_facts(
        coaching=trial.coaching,
        employer=trial.employer,
        contact_person=contact_person,
        starts_on=starts_on,
        ends_on=ends_on,
        tasks=tasks,
        purpose=purpose,
    )
    new_areas = trial.areas if areas is None else _clean_areas(areas)
    if _same_areas(new_areas, trial.areas):
        new_areas = trial.areas  # the same areas in another order: the coach's order stays
    if new_areas != trial.areas and has_submitted_feedback(trial):
        raise ValidationError(
            {
                "areas": _(
                    "The host has already sent feedback on these areas; they stay as they are."
                )
            }
        )
    trial.contact_person = contact_person
    trial.starts_on, trial.ends_on = starts_on, ends_on
    trial.tasks, trial.purpose, trial.workplace = tasks.strip(), purpose, workplace.strip()
    trial.areas = new_areas
    trial.save()
    _log(actor, trial, decision, AuditEvent.WORK_TRIAL_UPDATED)
    return trial


# The employer's consent --------------------------------------------------------------------


def employer_consent(trial: WorkTrial, on: date | None = None) -> Consent | None:
    """The client's valid consent that lets the trial's host receive the trial's employment
    data for supporting employment, if there is one (the feedback link rests on it)."""
    recipient_id = (
        Employer.objects.filter(pk=trial.employer_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if recipient_id is None:
        return None
    return (
        decisions.consent_grants(
            recipient_id,
            on or timezone.localdate(),
            EMPLOYMENT,
            Purpose.EMPLOYMENT_SUPPORT,
            owner_id=trial.organisation_id,
        )
        .filter(client_id=trial.client_id)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _host_organisation(employer: Employer) -> Organisation:
    """The employer's Polku organisation (of kind employer), created and linked when it
    has none: a consent names its recipient as an organisation."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.organisation is not None:
        return employer.organisation
    existing = (
        Organisation.objects.filter(business_id=employer.business_id).first()
        if employer.business_id
        else None
    )
    if existing is not None and (
        existing.kind != OrganisationKind.EMPLOYER or hasattr(existing, "employer")
    ):
        raise ValidationError(
            _(
                "Another organisation in Polku has this employer's business ID. Ask an "
                "administrator to link the employer to its organisation."
            )
        )
    organisation = existing or Organisation.objects.create(
        name=employer.name,
        kind=OrganisationKind.EMPLOYER,
        business_id=employer.business_id,
        municipality=employer.municipality,
    )
    employer.organisation = organisation
    employer.save(update_fields=["organisation", "updated_at"])
    return organisation  # the caller's copy of the employer is stale now


@transaction.atomic
def record_employer_consent(
    *,
    actor: Actor,
    trial: WorkTrial,
    method: ConsentMethod | str,
    valid_until: date | None = None,
    evidence: str = "",
) -> Consent:
    """Record the client's consent to disclose the trial's employment data (the trial's
    facts and the host's own feedback) to the host employer, for supporting employment,
    with the trial's organisation as the discloser (``clients.services.record_consent``)."""
    trial = _locked(trial)
    _require_change(actor, trial)
    recipient = _host_organisation(trial.employer)
    return client_services.record_consent(
        actor=actor,
        client=trial.client,
        recipient=recipient,
        discloser=trial.organisation,
        purpose=Purpose.EMPLOYMENT_SUPPORT,
        categories=[EMPLOYMENT],
        method=method,
        valid_until=valid_until,
        evidence=evidence,
    )


# The feedback link -------------------------------------------------------------------------


def feedback_url(token: str) -> str:
    """The address of a feedback link's form, as the host reaches Polku."""
    path = reverse("employment:host_feedback", kwargs={"token": token})
    return settings.POLKU_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class FeedbackMessage:
    """What the host's contact person is sent: who asks and the link. Never the client's
    name or anything else about the client: the form itself shows what the host may see."""

    subject: str
    text: str


def feedback_message(
    trial: WorkTrial, asker: str, url: str, expires_at: datetime, language: str
) -> FeedbackMessage:
    with translation.override(languages.supported(language)):
        organisation = trial.organisation.localized_name
        return FeedbackMessage(
            subject=_("%(organisation)s: feedback on a work trial")
            % {"organisation": organisation},
            text=_(
                "%(asker)s of %(organisation)s asks for your feedback on the work trial "
                "%(start)s–%(end)s at your workplace. The link works until you send the "
                "feedback, at the latest until %(date)s: %(url)s"
            )
            % {
                "asker": asker,
                "organisation": organisation,
                "start": date_format(trial.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(trial.ends_on, "SHORT_DATE_FORMAT"),
                "date": date_format(timezone.localtime(expires_at), "SHORT_DATE_FORMAT"),
                "url": url,
            },
        )


@dataclass(frozen=True)
class FeedbackLinkSent:
    token: str  # shown to the coach once, never stored
    url: str
    link: FeedbackLink
    emailed_to: str  # the contact person's e-mail address, or "" when none was sent


def open_link(trial: WorkTrial) -> FeedbackLink | None:
    """The trial's link that has been neither used nor withdrawn (perhaps expired)."""
    return trial.links.filter(submitted_at__isnull=True, withdrawn_at__isnull=True).first()


@transaction.atomic
def send_feedback_link(*, actor: Actor, trial: WorkTrial) -> FeedbackLinkSent:
    """Make a single-use link for the host's contact person and e-mail it when they have an
    e-mail address; returns the token once. Refused unless the client's consent to
    disclose the trial's employment data to the host is valid today. A link not yet used
    is withdrawn (a draft saved through it carries over to the new link)."""
    trial = _locked(trial)
    decision = _require_change(actor, trial)
    if employer_consent(trial) is None:
        raise ValidationError(
            _(
                "No link can be sent: the client has not consented to disclosing the work "
                "trial's information to the host employer, or the consent is no longer "
                "valid. Record the client's consent first."
            ),
            code="no_consent",
        )
    if has_submitted_feedback(trial):
        raise ValidationError(
            _("The host has already sent feedback on this trial."), code="submitted"
        )
    contact = trial.contact_person
    if not contact.is_active:
        raise ValidationError(
            _("The host's contact person is no longer active. Choose another one first."),
            code="invalid",
        )
    now = timezone.now()
    previous = open_link(trial)
    if previous is not None:
        previous.withdrawn_at, previous.withdrawn_by = now, actor.person
        previous.save(update_fields=["withdrawn_at", "withdrawn_by"])
    token = new_token()
    link = FeedbackLink.objects.create(
        trial=trial, token_hash=token_hash(token), contact_person=contact, created_by=actor.person
    )
    draft = EmployerFeedback.objects.filter(link=previous).first() if previous else None
    if draft is not None:
        EmployerFeedback.objects.create(
            link=link,
            ratings=draft.ratings,
            comments=draft.comments,
            overall=draft.overall,
            language=draft.language,
        )
    _log(actor, trial, decision, AuditEvent.FEEDBACK_LINK_SENT)
    url = feedback_url(token)
    if contact.email:
        message = feedback_message(
            trial, actor.display_name, url, link.expires_at, languages.default()
        )
        try:
            EmailMessage(
                message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [contact.email]
            ).send()
        except (smtplib.SMTPException, OSError) as error:
            raise ValidationError(
                _("The message could not be sent. Try again later."), code="not_sent"
            ) from error
    return FeedbackLinkSent(token, url, link, contact.email)


@transaction.atomic
def withdraw_feedback_link(*, actor: Actor, trial: WorkTrial) -> FeedbackLink:
    """Withdraw the trial's unused link: it no longer opens the form."""
    trial = _locked(trial)
    decision = _require_change(actor, trial)
    link = open_link(trial)
    if link is None:
        raise ValidationError(_("The trial has no feedback link to withdraw."), code="invalid")
    link.withdrawn_at, link.withdrawn_by = timezone.now(), actor.person
    link.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _log(actor, trial, decision, AuditEvent.FEEDBACK_LINK_WITHDRAWN)
    return link


def link_for_token(token: str) -> tuple[FeedbackLink | None, LinkState]:
    """The link of a token and its own state: ``UNKNOWN`` (no link; an altered token) with
    None, else the link, expired, used, withdrawn or usable. Whether the client's consent
    still allows it is the policy's question (``feedback_decision``)."""
    link = (
        FeedbackLink.objects.select_related(
            "trial__client",
            "trial__organisation",
            "trial__employer__organisation",
            "trial__contact_person",
            "created_by",
        )
        .filter(token_hash=token_hash(token), trial__client__merged_into__isnull=True)
        .first()
    )
    if link is None:
        return None, LinkState.UNKNOWN
    return link, link.state()


def feedback_decision(actor: Actor, link: FeedbackLink, action: Action) -> decisions.Decision:
    """The policy's answer for the link's holder on its trial (checked to be the link's)."""
    if actor.link is None or not decisions.reaches(actor, link.trial):
        return decisions.DENIED
    return access.work_trial_decision(actor, link.trial, action)


def record_feedback_view(actor: Actor, link: FeedbackLink, decision: decisions.Decision) -> None:
    """Log that the holder was shown the feedback form (the trial's facts and the client's
    first name), on the link's ground."""
    record(
        actor=actor,
        accesses=[Access.granted(link.trial.client.public_id, decision, Action.VIEW, [EMPLOYMENT])],
    )


def record_refused_use(actor: Actor, link: FeedbackLink) -> None:
    """Log a use of a link whose own state is usable but which the policy refuses (the
    client's consent to disclose to the host has ended): nothing was shown or changed."""
    trial = link.trial
    record(
        actor=actor,
        accesses=[
            Access(
                client_public_id=trial.client.public_id,
                action=Action.VIEW,
                categories=[EMPLOYMENT],
                organisation=trial.organisation,
                purpose=Purpose.EMPLOYMENT_SUPPORT,
                owner=trial.organisation,
                register=trial.register,
                event=AuditEvent.FEEDBACK_LINK_REFUSED,
            )
        ],
    )


@dataclass(frozen=True)
class FeedbackSaved:
    feedback: EmployerFeedback
    submitted: bool


def _validated_feedback(
    trial: WorkTrial,
    ratings: Mapping[str, Any],
    comments: Mapping[str, Any],
    submit: bool,
) -> tuple[dict[str, int], dict[str, str]]:
    """Ratings and comments of the trial's own areas only (any other key is ignored)."""
    problems: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    notes: dict[str, str] = {}
    for code in trial.area_codes:
        raw: Any = ratings.get(code)
        if raw not in (None, ""):
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = 0
            if RATING_MIN <= value <= RATING_MAX:
                cleaned[code] = value
            else:
                problems[f"rating_{code}"] = _("Choose one of the options.")
        elif submit:
            problems[f"rating_{code}"] = _("Rate this area before sending.")
        note = str(comments.get(code) or "").strip()
        if len(note) > COMMENT_LENGTH:
            problems[f"comment_{code}"] = _("Write at most %(count)d characters.") % {
                "count": COMMENT_LENGTH
            }
        elif note:
            notes[code] = note
    if problems:
        raise ValidationError(problems)
    return cleaned, notes


@transaction.atomic
def save_feedback(
    *,
    actor: Actor,
    link: FeedbackLink,
    ratings: Mapping[str, Any],
    comments: Mapping[str, Any],
    overall: str,
    submit: bool,
    language: str = "",
) -> FeedbackSaved:
    """The host saves their feedback through the link, as its holder: a draft keeps the
    link usable until it expires; ``submit`` (every area rated) uses it up. Refused
    (``PermissionDenied``) when the link is no longer usable or the client's consent has
    ended; bad input (``ValidationError``) saves nothing."""
    link = FeedbackLink.objects.select_for_update().select_related("trial").get(pk=link.pk)
    if link.state() != LinkState.USABLE:
        raise PermissionDenied(_("This link no longer works."))
    decision = feedback_decision(actor, link, Action.CHANGE)
    if not decision:
        raise PermissionDenied(_("This link no longer works."))
    trial = link.trial
    overall = overall.strip()
    if len(overall) > COMMENT_LENGTH:
        raise ValidationError(
            {"overall": _("Write at most %(count)d characters.") % {"count": COMMENT_LENGTH}}
        )
    cleaned, notes = _validated_feedback(trial, ratings, comments, submit)
    feedback, _created = EmployerFeedback.objects.get_or_create(link=link)
    feedback.ratings, feedback.comments, feedback.overall = cleaned, notes, overall
    feedback.language = languages.supported(language) if language else feedback.language
    if submit:
        now = timezone.now()
        feedback.submitted_at = link.submitted_at = now
        link.save(update_fields=["submitted_at"])
    feedback.save()
    _log(
        actor,
        trial,
        decision,
        AuditEvent.EMPLOYER_FEEDBACK_SUBMITTED if submit else AuditEvent.EMPLOYER_FEEDBACK_SAVED,
    )
    return FeedbackSaved(feedback, submit)


# The client's self-rating ------------------------------------------------------------------


@transaction.atomic
def start_self_rating(*, actor: Actor, trial: WorkTrial) -> WorkTrial:
    """Start the client's self-rating of the default areas (the shipped questionnaire
    ``work-trial-self-rating``) and link it to the trial; the coach sends its link from the
    measurement's link page."""
    trial = _locked(trial)
    decision = _require_change(actor, trial)
    if trial.self_rating_id is not None:
        raise ValidationError(_("The client's self-rating has already been started."))
    instrument = measures_services.latest_version(SELF_RATING_INSTRUMENT)
    administration = measures_services.start_administration(
        actor=actor,
        client=trial.client,
        organisation=trial.organisation,
        instrument=instrument,
        channel=Channel.LINK,
        episode=trial.coaching.episode,
    )
    trial.self_rating = administration
    trial.save(update_fields=["self_rating"])
    _log(actor, trial, decision, AuditEvent.WORK_TRIAL_UPDATED)
    return trial
