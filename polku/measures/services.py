"""Writes on measurements: loading instruments, starting, answering, scoring, links.

Answers are "measurements" data owned by the organisation that started the measurement.
A half-filled questionnaire is kept as a draft and is never scored as complete.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.models import Organisation, User
from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.core import languages, sms
from polku.core.tokens import new_token, token_hash
from polku.measures import access
from polku.measures.definitions import VERSION, DefinitionError, parse_definition
from polku.measures.enums import AdministrationStatus, Channel, Delivery, Occasion, Respondent
from polku.measures.models import Administration, AnswerLink, InstrumentVersion, LinkDelivery
from polku.measures.scoring import is_complete, score
from polku.pathways.models import Episode
from polku.pathways.services import relationship_register
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
MEASUREMENTS = DataCategory.MEASUREMENTS
LINK_DAYS = 14
# Limits on sending answer links, so that a mistake (or a misused account) cannot flood a
# client's phone or turn Polku into a text message gateway.
MESSAGES_PER_MEASUREMENT_PER_DAY = 3
MESSAGES_PER_SENDER_PER_HOUR = 30
# Whoever sends them, a client's phone or mailbox gets at most this many links a day.
MESSAGES_PER_CLIENT_PER_DAY = 5


def _log(
    actor: Actor,
    client: Client,
    decision: decisions.Decision,
    action: Action,
    *,
    event: AuditEvent,
) -> None:
    record(
        actor=actor,
        accesses=[Access.granted(client.public_id, decision, action, [MEASUREMENTS], event=event)],
    )


# Instruments ------------------------------------------------------------------------------


def load_definition_file(path: Path) -> InstrumentVersion | None:
    """Load one definition file; return the new version, or None when already loaded.

    A malformed file raises ``DefinitionError`` naming each problem and changes nothing.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DefinitionError(
            [f"{path.name}: not valid JSON ({error.msg}, line {error.lineno})"]
        ) from error
    return import_definition(data, source="file")


def _nul_characters(data: Any, where: str = "") -> list[str]:
    """Where ``data`` holds the NUL character, which the database cannot store in text."""
    if isinstance(data, str):
        return [where or "definition"] if "\x00" in data else []
    if isinstance(data, dict):
        found = [f"{where}.{key}".lstrip(".") for key in data if "\x00" in str(key)]
        for key, value in data.items():
            found += _nul_characters(value, f"{where}.{key}".lstrip("."))
        return found
    if isinstance(data, list):
        return [
            place
            for index, value in enumerate(data)
            for place in _nul_characters(value, f"{where}[{index}]")
        ]
    return []


@transaction.atomic
def import_definition(data: Any, *, source: str) -> InstrumentVersion | None:
    """Store a new instrument version; ``DefinitionError`` names every problem."""
    problems = [
        _("%(where)s: must not contain the NUL character (\\u0000)") % {"where": where}
        for where in _nul_characters(data)
    ]
    if problems:
        raise DefinitionError(problems)
    definition = parse_definition(data)
    if not VERSION.fullmatch(definition.version):
        raise DefinitionError(
            [
                _(
                    "version: %(version)s is not a valid version: at most 32 letters, digits "
                    "and . _ + -, starting with a letter or digit"
                )
                % {"version": repr(definition.version)}
            ]
        )
    existing = InstrumentVersion.objects.filter(
        code=definition.code, version=definition.version
    ).first()
    if existing is not None:
        if existing.definition != definition and (
            existing.definition.without_notes() == definition.without_notes()
        ):
            # Only the notes changed (the licence's and the reliability's texts, say a new
            # translation): they mean the same to every answer, so the version keeps its
            # number and takes the new notes.
            existing.definition_data = data
            existing.save(update_fields=["definition_data"])
            return None
        if existing.definition != definition:
            raise DefinitionError(
                [
                    _(
                        "%(code)s %(version)s is already loaded with different content; "
                        "give the changed definition a new version"
                    )
                    % {"code": definition.code, "version": definition.version}
                ]
            )
        return None
    # Wording an administrator entered for an earlier version of a template carries over
    # to the items the new version still has.
    previous = InstrumentVersion.objects.filter(code=definition.code).order_by("-created_at")
    entered = previous.values_list("entered_texts", flat=True).first() or {}
    codes = {item.code for item in definition.items if not item.text}
    return InstrumentVersion.objects.create(
        code=definition.code,
        version=definition.version,
        definition_data=data,
        source=source,
        entered_texts={code: texts for code, texts in entered.items() if code in codes},
    )


@transaction.atomic
def load_shipped_instruments() -> list[InstrumentVersion]:
    """Load every shipped definition; all files load or none does."""
    loaded = []
    for path in sorted(INSTRUMENTS_DIR.glob("*.json")):
        version = load_definition_file(path)
        if version is not None:
            loaded.append(version)
    return loaded


def latest_version(code: str) -> InstrumentVersion:
    version = (
        InstrumentVersion.objects.filter(code=code, is_active=True).order_by("-created_at").first()
    )
    if version is None:
        raise ValidationError(_("No instrument %(code)s is in use.") % {"code": code})
    return version


@transaction.atomic
def enter_item_texts(
    *, actor: Actor, instrument: InstrumentVersion, texts: Mapping[str, Mapping[str, str]]
) -> InstrumentVersion:
    """An administrator enters the wording of a template from its licensed source."""
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied(_("Only administrators can enter instrument wording."))
    codes = {item.code for item in instrument.definition.items}
    unknown = set(texts) - codes
    if unknown:
        raise ValidationError(_("Unknown items: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    cleaned = {
        code: {lang: text.strip() for lang, text in by_language.items() if text.strip()}
        for code, by_language in texts.items()
    }
    instrument.entered_texts = {**instrument.entered_texts, **cleaned}
    instrument.save(update_fields=["entered_texts"])
    return instrument


# Administrations --------------------------------------------------------------------------


def _serving_decision(
    actor: Actor,
    client: Client,
    organisation: Organisation,
    action: Action,
    register: str | None = None,
) -> decisions.Decision:
    return decisions.require(
        actor, client, action=action, category=MEASUREMENTS, owner=organisation, register=register
    )


def _change_decision(actor: Actor, administration: Administration) -> decisions.Decision:
    """The actor may change the measurement (answer it, or make and send its links)."""
    return _serving_decision(
        actor,
        administration.client,
        administration.organisation,
        Action.CHANGE,
        administration.register,
    )


@transaction.atomic
def start_administration(
    *,
    actor: Actor,
    client: Client,
    organisation: Organisation,
    instrument: InstrumentVersion,
    occasion: Occasion | str = Occasion.AD_HOC,
    channel: Channel | str = Channel.TOGETHER,
    episode: Episode | None = None,
    due_on: date | None = None,
) -> Administration:
    """Start a measurement; without ``episode``, it belongs to the client's current episode
    in ``organisation``, if there is one, so that it counts in that programme's results."""
    if episode is None:
        episode = (
            Episode.objects.active()
            .filter(client=client, organisation=organisation)
            .order_by("-started_on", "-pk")
            .first()
        )
    elif episode.client_id != client.pk or episode.organisation_id != organisation.pk:
        raise ValidationError(_("The episode must be the client's, in the same organisation."))
    register = episode.register if episode else relationship_register(client, organisation)
    decision = _serving_decision(actor, client, organisation, Action.CREATE, register)
    if not instrument.answerable and channel != Channel.EXTERNAL:
        raise ValidationError(
            _(
                "The wording of this instrument has not been entered yet; an administrator "
                "enters it from the licensed source."
            )
        )
    administration = Administration.objects.create(
        client=client,
        episode=episode,
        organisation=organisation,
        register=register or "",
        instrument=instrument,
        occasion=occasion,
        channel=channel,
        due_on=due_on,
        created_by=actor.person,
    )
    _log(actor, client, decision, Action.CREATE, event=AuditEvent.MEASUREMENT_STARTED)
    return administration


def _validated_answers(
    administration: Administration, answers: Mapping[str, Any]
) -> dict[str, int]:
    definition = administration.instrument.definition
    problems: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for item in definition.items:
        raw = answers.get(item.code)
        if raw is None or raw == "":
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            problems[item.code] = _("Choose one of the options.")
            continue
        if not definition.scales[item.scale].allows(value):
            problems[item.code] = _("The answer is outside the scale.")
            continue
        cleaned[item.code] = value
    if problems:
        raise ValidationError(problems)
    return cleaned


@dataclass(frozen=True)
class SaveResult:
    administration: Administration
    submitted: bool
    missing_required: tuple[str, ...] = ()


def _save(administration: Administration, answers: Mapping[str, Any], submit: bool) -> SaveResult:
    if administration.status != AdministrationStatus.DRAFT:
        raise ValidationError(_("This questionnaire has already been completed."))
    cleaned = _validated_answers(administration, answers)
    administration.answers = {**administration.answers, **cleaned}
    for code in answers:
        if answers[code] in (None, "") and code in administration.answers:
            del administration.answers[code]
    definition = administration.instrument.definition
    if submit and not is_complete(definition, administration.answers):
        administration.save(update_fields=["answers"])
        missing = tuple(
            item.code
            for item in definition.items
            if item.required and item.code not in administration.answers
        )
        return SaveResult(administration, submitted=False, missing_required=missing)
    if submit:
        result = score(definition, administration.answers)
        administration.total = result.total
        administration.subscale_scores = result.subscales
        administration.band = result.band or ""
        administration.prorated = result.prorated
        administration.status = AdministrationStatus.COMPLETE
        administration.completed_at = timezone.now()
    administration.save()
    return SaveResult(administration, submitted=submit)


@transaction.atomic
def save_answers(
    *, actor: Actor, administration: Administration, answers: Mapping[str, Any], submit: bool
) -> SaveResult:
    """A professional saves (and with ``submit`` completes) answers or a rating."""
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    decision = _change_decision(actor, administration)
    result = _save(administration, answers, submit)
    if result.submitted:
        administration.rated_by = actor.person
        administration.save(update_fields=["rated_by"])
    _log(
        actor,
        administration.client,
        decision,
        Action.CHANGE,
        event=AuditEvent.MEASUREMENT_ANSWERED,
    )
    return result


@transaction.atomic
def create_answer_link(
    *, actor: Actor, administration: Administration, days: int = LINK_DAYS
) -> str:
    """A link for the client; returns the token, which is never stored in clear."""
    decision = _change_decision(actor, administration)
    if administration.status != AdministrationStatus.DRAFT:
        raise ValidationError(_("This questionnaire has already been completed."))
    token = issue_link(administration, created_by=actor.user, days=days)
    _log(actor, administration.client, decision, Action.CHANGE, event=AuditEvent.ANSWER_LINK_SENT)
    return token


def issue_link(administration: Administration, *, created_by: Any, days: int = LINK_DAYS) -> str:
    """Store a new link's hash and return its token (callers check the policy)."""
    token = new_token()
    AnswerLink.objects.create(
        administration=administration,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=created_by,
    )
    return token


def answer_url(token: str) -> str:
    """The address of a link's questionnaire, as the client reaches Polku."""
    path = reverse("measures:public_answer", kwargs={"token": token})
    return settings.POLKU_BASE_URL.rstrip("/") + path


def contact_for(client: Client, delivery: Delivery | str) -> str | None:
    """Where a link can be sent: the client's e-mail address, or the mobile number in
    international form (None when there is none, or the phone is not a mobile)."""
    if delivery == Delivery.EMAIL:
        return client.email or None
    return sms.mobile_number(client.phone)


@dataclass(frozen=True)
class LinkMessage:
    """What is sent: who asks, one line, the link. Never the client's name, the
    instrument or anything else that would tell of the client's situation."""

    subject: str
    text: str  # the text message, and the e-mail's body after the greeting


def link_message(
    organisation: Organisation, url: str, expires_at: datetime, language: str
) -> LinkMessage:
    """The message of an answer link in ``language`` (the client's)."""
    with translation.override(languages.supported(language)):
        until = date_format(timezone.localtime(expires_at), "SHORT_DATE_FORMAT")
        return LinkMessage(
            subject=_("%(organisation)s: a questionnaire for you")
            % {"organisation": organisation.localized_name},
            text=_(
                "%(organisation)s asks you to answer a short questionnaire. The link works "
                "until %(date)s: %(url)s"
            )
            % {"organisation": organisation.localized_name, "date": until, "url": url},
        )


@dataclass(frozen=True)
class LinkSent:
    token: str
    delivery: Delivery
    to: str


def _refuse_over_limits(actor: Actor, administration: Administration) -> None:
    """Refuse a message over the limits; the counts live in the database, so they hold
    across app processes (the callers hold the measurement's and the sender's rows)."""
    now = timezone.now()
    today = LinkDelivery.objects.filter(
        link__administration=administration, sent_at__gt=now - timedelta(days=1)
    ).count()
    if today >= MESSAGES_PER_MEASUREMENT_PER_DAY:
        raise ValidationError(
            ngettext(
                "The link to this questionnaire has been sent %(count)d time within a day, "
                "which is the most allowed. Give the link in person, or send it tomorrow.",
                "The link to this questionnaire has been sent %(count)d times within a day, "
                "which is the most allowed. Give the link in person, or send it tomorrow.",
                today,
            )
            % {"count": today},
            code="limit",
        )
    to_client = LinkDelivery.objects.filter(
        link__administration__client_id=administration.client_id,
        sent_at__gt=now - timedelta(days=1),
    ).count()
    if to_client >= MESSAGES_PER_CLIENT_PER_DAY:
        raise ValidationError(
            _(
                "The client has been sent %(count)d questionnaire links within a day, which "
                "is the most allowed. Give the link in person, or send it later."
            )
            % {"count": to_client},
            code="limit",
        )
    this_hour = LinkDelivery.objects.filter(
        sent_by=actor.person, sent_at__gt=now - timedelta(hours=1)
    ).count()
    if this_hour >= MESSAGES_PER_SENDER_PER_HOUR:
        raise ValidationError(
            _(
                "You have sent %(count)d links within the last hour, which is the most "
                "allowed. Try again later."
            )
            % {"count": this_hour},
            code="limit",
        )


@transaction.atomic
def send_answer_link(
    *,
    actor: Actor,
    administration: Administration,
    delivery: Delivery | str,
    token: str | None = None,
) -> LinkSent:
    """Send an answer link to the client's e-mail address or mobile number on file: a new
    link, or the one of ``token`` again (refused once it has been used or has expired).

    Logged as the link's creation (when new) and its sending. The message goes last, after
    every row is written, so that a message the mail server or the operator refuses
    (``ValidationError``) leaves no link, no count and no log row behind."""
    administration = (
        Administration.objects.select_for_update()
        .select_related("client", "organisation")
        .get(pk=administration.pk)
    )
    decision = _change_decision(actor, administration)
    if administration.status != AdministrationStatus.DRAFT:
        raise ValidationError(
            _("This questionnaire has already been completed; it needs no link."), code="gone"
        )
    instrument = administration.instrument
    if instrument.definition.respondent not in ("", Respondent.CLIENT) or not (
        instrument.answerable
    ):
        raise ValidationError(
            _("This questionnaire is not answered by the client through a link."),
            code="invalid",
        )
    if delivery not in Delivery.values:
        raise ValidationError(_("Choose how to send the link."), code="invalid")
    delivery = Delivery(delivery)
    client = administration.client
    to = contact_for(client, delivery)
    if delivery == Delivery.SMS and not sms.enabled():
        raise ValidationError(_("Text messages are not in use in this Polku."), code="invalid")
    if to is None:
        raise ValidationError(
            _("The client's contact details have no e-mail address.")
            if delivery == Delivery.EMAIL
            else _("The client's contact details have no mobile number."),
            code="no_contact",
        )
    User.objects.select_for_update().filter(pk=actor.person.pk).exists()
    _refuse_over_limits(actor, administration)
    events = [AuditEvent.ANSWER_LINK_DELIVERED]
    if token is None:
        token = issue_link(administration, created_by=actor.person)
        events.insert(0, AuditEvent.ANSWER_LINK_SENT)
    link = AnswerLink.objects.filter(
        administration=administration, token_hash=token_hash(token)
    ).first()
    if link is None or not link.is_usable:
        raise ValidationError(
            _(
                "This link has expired or has already been used, so it is not sent again. "
                "Make a new link."
            ),
            code="gone",
        )
    LinkDelivery.objects.create(link=link, channel=delivery, sent_by=actor.person)
    for event in events:
        _log(actor, client, decision, Action.CHANGE, event=event)
    message = link_message(
        administration.organisation, answer_url(token), link.expires_at, client.preferred_language
    )
    _deliver(delivery, to, message)
    return LinkSent(token, delivery, to)


def _deliver(delivery: Delivery, to: str, message: LinkMessage) -> None:
    try:
        if delivery == Delivery.EMAIL:
            EmailMessage(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [to]).send()
        else:
            sms.send_text(to, message.text)
    except (sms.SmsError, smtplib.SMTPException, OSError) as error:
        raise ValidationError(
            _("The message could not be sent. Try again later, or give the link in person."),
            code="not_sent",
        ) from error


def link_for_token(token: str) -> AnswerLink | None:
    """The usable link for a token; None when unknown, used or expired (all look alike)."""
    link = (
        AnswerLink.objects.select_related(
            "administration__instrument",
            "administration__client",
            "administration__organisation",
            "administration__episode__programme",
            "created_by",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None or not link.is_usable:
        return None
    if link.administration.status != AdministrationStatus.DRAFT:
        return None
    return link


@transaction.atomic
def answer_through_link(
    *, token: str, answers: Mapping[str, Any], submit: bool, **where: Any
) -> SaveResult:
    """The client answers through the link, acting as its holder (``where``: the request's
    address and path for the log); submitting uses the link up."""
    link = link_for_token(token)
    if link is None:
        raise PermissionDenied(_("This link has expired or has already been used."))
    link = AnswerLink.objects.select_for_update().get(pk=link.pk)
    actor = access.link_holder(link, **where)
    administration = link.administration
    decision = access.measurement_decision(actor, administration, Action.CHANGE)
    if not decision.allowed:
        raise PermissionDenied(_("This link has expired or has already been used."))
    result = _save(administration, answers, submit)
    if result.submitted:
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    _log(
        actor, administration.client, decision, Action.CHANGE, event=AuditEvent.MEASUREMENT_ANSWERED
    )
    return result


@dataclass(frozen=True)
class RescoreReport:
    rescored: int
    changed: int


def rescore(
    instrument: InstrumentVersion,
    *,
    batch_size: int = 5000,
    progress: Callable[[RescoreReport], None] = lambda report: None,
) -> RescoreReport:
    """Score every complete answer of ``instrument`` again (after a fix to its scoring).

    Works in batches, each in its own transaction, so that memory stays bounded and the
    database is never locked for long; a run can be repeated safely. ``progress`` hears
    the running totals after each batch.
    """
    definition = instrument.definition
    last_pk, rescored, changed = 0, 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Administration.objects.select_for_update()
                .filter(instrument=instrument, status=AdministrationStatus.COMPLETE, pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "answers", "total", "subscale_scores", "band", "prorated")[:batch_size]
            )
            if not batch:
                break
            dirty = []
            for administration in batch:
                result = score(definition, administration.answers)
                new = (result.total, result.subscales, result.band or "", result.prorated)
                old = (
                    administration.total,
                    administration.subscale_scores,
                    administration.band,
                    administration.prorated,
                )
                if new != old:
                    (
                        administration.total,
                        administration.subscale_scores,
                        administration.band,
                        administration.prorated,
                    ) = new
                    dirty.append(administration)
            Administration.objects.bulk_update(
                dirty, ["total", "subscale_scores", "band", "prorated"], batch_size=batch_size
            )
        last_pk, rescored, changed = batch[-1].pk, rescored + len(batch), changed + len(dirty)
        progress(RescoreReport(rescored, changed))
    return RescoreReport(rescored, changed)
