"""Writes on clients, service relationships and consents.

Each act is one function: keyword-only arguments including the request's ``actor``, the
policy check, the change and its access-log row, all in one transaction. A refused act
raises ``PermissionDenied`` (or ``Http404`` where even existence must not leak) and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation, Unit
from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients import identity_storage, selectors
from polku.clients.access import access_consent
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import ADDRESS_FIELDS, Client
from polku.core.corrections import CORRECTION_DAYS, undo_end, within_correction_period
from polku.policy import decisions
from polku.policy.actors import Actor, ActorKind
from polku.policy.enums import (
    CONSENT_PURPOSES,
    DISCLOSABLE_CATEGORIES,
    Action,
    ConsentMethod,
    ConsentRenewalReason,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
    RelationshipEndReason,
    WithdrawalMethod,
)
from polku.policy.models import (
    Consent,
    ConsentCategory,
    RelationshipRestoration,
    ServiceRelationship,
)


@dataclass(frozen=True)
class RelationshipTerms:
    """What a new service relationship rests on."""

    organisation: Organisation
    register: Register
    legal_basis: LegalBasis
    unit: Unit | None = None
    started_on: date | None = None


@dataclass(frozen=True)
class Registration:
    client: Client
    relationship: ServiceRelationship
    existing_person: bool


def _require_serving(actor: Actor, organisation: Organisation) -> None:
    if not decisions.may_start_relationship(actor, organisation):
        raise PermissionDenied(_("You cannot start service relationships in this organisation."))


def _relationship(actor: Actor, client: Client, terms: RelationshipTerms) -> ServiceRelationship:
    if terms.unit is not None and terms.unit.organisation_id != terms.organisation.pk:
        raise ValidationError({"unit": _("The unit must belong to the chosen organisation.")})
    existing = (
        ServiceRelationship.objects.not_ended()
        .filter(client=client, organisation=terms.organisation, register=terms.register)
        .first()
    )
    if existing is not None:
        return existing
    return ServiceRelationship.objects.create(
        client=client,
        organisation=terms.organisation,
        unit=terms.unit,
        register=terms.register,
        legal_basis=terms.legal_basis,
        started_on=terms.started_on or timezone.localdate(),
        created_by=actor.person,
    )


def _log_change(
    actor: Actor,
    client: Client,
    decision: decisions.Decision,
    action: Action = Action.CHANGE,
    categories: Iterable[DataCategory] = (DataCategory.BASIC,),
    *,
    event: AuditEvent,
) -> None:
    record(
        actor=actor,
        accesses=[Access.granted(client.public_id, decision, action, categories, event=event)],
    )


NON_DISCLOSURE_FIELDS = (
    "non_disclosure_organisation",
    "non_disclosure_set_by",
    "non_disclosure_set_at",
)
CLIENT_DETAIL_FIELDS = (
    "first_names",
    "last_name",
    "gender",
    "municipality",
    "languages",
    "preferred_language",
    "plain_language",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
)


@transaction.atomic
def register_client(
    *,
    actor: Actor,
    terms: RelationshipTerms,
    first_names: str,
    last_name: str,
    birth_date: date,
    identity_code: str = "",
    details: dict[str, object] | None = None,
    non_disclosure: bool = False,
) -> Registration:
    """Create a client with a service relationship to the user's organisation.

    When the identity code already belongs to a person, the relationship is attached to
    that person and nothing else is touched or revealed: identity is shared master data,
    everything else belongs to the organisations that recorded it. ``non_disclosure``
    registers a non-disclosure for personal safety for the organisation (``set_non_disclosure``)
    unless one is in force already.
    """
    _require_serving(actor, terms.organisation)
    code = parse_identity_code(identity_code).value if identity_code else ""
    if not code and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    existing = (
        Client.objects.filter(identity_code_hash=identity_storage.lookup_hash(code)).first()
        if code
        else None
    )
    if existing is not None:
        # Finding that the code is known is a lookup like a search by it: counted and
        # limited (``LookupLimitReached``), so that registration cannot probe past the limit.
        selectors.begin_lookup(actor, terms.organisation)
        client = existing.merged_into or existing
    else:
        unknown = set(details or {}) - set(CLIENT_DETAIL_FIELDS)
        if unknown:
            raise ValueError(f"not client detail fields: {sorted(unknown)}")
        client = Client(
            first_names=first_names.strip(),
            last_name=last_name.strip(),
            birth_date=parse_identity_code(code).birth_date if code else birth_date,
            **(details or {}),
        )
        client.set_identity_code(code)
        try:
            with transaction.atomic():
                client.save()
        except IntegrityError as error:  # the same code registered a moment ago elsewhere
            raise ValidationError(
                _("This identity code was registered at the same moment; try again.")
            ) from error
    relationship = _relationship(actor, client, terms)
    _log_change(
        actor,
        client,
        decisions.relationship_started(actor, relationship),
        action=Action.CREATE,
        event=AuditEvent.CLIENT_REGISTERED,
    )
    if non_disclosure and not client.under_non_disclosure:
        set_non_disclosure(actor=actor, client=client)
    return Registration(client, relationship, existing_person=existing is not None)


@transaction.atomic
def start_relationship_by_identity_code(
    *, actor: Actor, identity_code: str, terms: RelationshipTerms
) -> Registration:
    """Attach a relationship to the person with this identity code, known to the caller
    (the demo's and importers' path; pages go through a lookup and ``start_relationship``)."""
    code = parse_identity_code(identity_code).value
    client = Client.objects.filter(
        identity_code_hash=identity_storage.lookup_hash(code), merged_into__isnull=True
    ).first()
    if client is None:
        raise Http404
    return start_relationship(actor=actor, client=client, terms=terms)


@transaction.atomic
def start_relationship(*, actor: Actor, client: Client, terms: RelationshipTerms) -> Registration:
    """Start the organisation's relationship with a person already in Polku."""
    _require_serving(actor, terms.organisation)
    relationship = _relationship(actor, client, terms)
    _log_change(
        actor,
        client,
        decisions.relationship_started(actor, relationship),
        Action.CREATE,
        event=AuditEvent.RELATIONSHIP_STARTED,
    )
    return Registration(client, relationship, existing_person=True)


@transaction.atomic
def update_client_details(*, actor: Actor, client: Client, changes: dict[str, object]) -> Client:
    """Change a client's details (not the identity code or birth date, which are master data
    corrected only by an administrator's merge)."""
    decision = decisions.require(actor, client, action=Action.CHANGE)
    unknown = set(changes) - set(CLIENT_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not client detail fields: {sorted(unknown)}")
    # The instance may have been loaded for showing, with its address withheld.
    client = Client.objects.select_for_update().get(pk=client.pk)
    if set(changes) & set(ADDRESS_FIELDS) and not decisions.may_see_address(actor, client):
        raise PermissionDenied(NON_DISCLOSURE_ADDRESS_MESSAGE)
    for name, value in changes.items():
        setattr(client, name, value)
    client.save()
    _log_change(actor, client, decision, event=AuditEvent.BASIC_DETAILS_CHANGED)
    return client


NON_DISCLOSURE_ADDRESS_MESSAGE = _(
    "The client's address is under a non-disclosure for personal safety: only the "
    "organisation that registered it can see or change the address and municipality."
)


@transaction.atomic
def set_non_disclosure(*, actor: Actor, client: Client) -> Client:
    """Register a non-disclosure for personal safety (turvakielto) for the organisation the
    actor acts for, which serves the client: from now on only that organisation sees the
    client's address and municipality. One organisation holds it at a time; another can
    set it again only after that one has lifted it."""
    decision = decisions.require(actor, client, action=Action.CHANGE)
    if actor.kind != ActorKind.PROFESSIONAL or decision.organisation is None:
        raise PermissionDenied(
            _("A non-disclosure is registered by an organisation that serves the client.")
        )
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.under_non_disclosure:
        raise ValidationError(_("A non-disclosure for personal safety is already in force."))
    client.non_disclosure_organisation = decision.organisation
    client.non_disclosure_set_by = actor.person
    client.non_disclosure_set_at = timezone.now()
    client.save(update_fields=[*NON_DISCLOSURE_FIELDS, "updated_at"])
    _log_change(actor, client, decision, event=AuditEvent.NON_DISCLOSURE_SET)
    return client


@transaction.atomic
def lift_non_disclosure(*, actor: Actor, client: Client) -> Client:
    """Lift the non-disclosure: the address and municipality are shown again to everyone
    who may see the client's basic details. Only the organisation that registered it."""
    decision = decisions.require(actor, client, action=Action.CHANGE)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not client.under_non_disclosure:
        raise ValidationError(_("No non-disclosure for personal safety is in force."))
    if not decisions.may_lift_non_disclosure(actor, client):
        raise PermissionDenied(
            _("Only the organisation that registered the non-disclosure can lift it.")
        )
    client.non_disclosure_organisation = None
    client.non_disclosure_set_by = None
    client.non_disclosure_set_at = None
    client.save(update_fields=[*NON_DISCLOSURE_FIELDS, "updated_at"])
    _log_change(actor, client, decision, event=AuditEvent.NON_DISCLOSURE_LIFTED)
    return client


# Checks that refuse ending a service relationship while something still runs under it
# (an open episode in its register). The capabilities that hold such things register them
# (``register_end_hold``), so that this app need not know them.
EndHold = Callable[[ServiceRelationship], str | None]
_end_holds: list[EndHold] = []


def register_end_hold(hold: EndHold) -> None:
    if hold not in _end_holds:
        _end_holds.append(hold)


def check_end_relationship(
    relationship: ServiceRelationship, *, end_reason: str, ended_on: date | None = None
) -> date:
    """Refuse (``ValidationError``) an end the relationship cannot take; return the end
    date. Writes nothing: the first step of the act asks it too."""
    if relationship.ended_on is not None:
        raise ValidationError(_("This service relationship has already ended."))
    ended_on = ended_on or timezone.localdate()
    problems: dict[str, list[str]] = {}
    if end_reason not in RelationshipEndReason.values:
        problems["end_reason"] = [_("Choose why the service relationship ends.")]
    if ended_on < relationship.started_on:
        problems["ended_on"] = [_("The end date cannot be before the start date.")]
    elif ended_on > timezone.localdate():
        problems["ended_on"] = [_("The end date must be between the start date and today.")]
    held = [message for hold in _end_holds if (message := hold(relationship))]
    if held:
        problems[NON_FIELD_ERRORS] = held
    if problems:
        raise ValidationError(problems)
    return ended_on


def _locked_relationship(relationship: ServiceRelationship) -> ServiceRelationship:
    """The relationship, its row locked and its state read afresh (into the caller's
    instance too), so that two acts on it at once happen one after the other."""
    relationship.refresh_from_db(
        from_queryset=ServiceRelationship.objects.select_for_update(of=("self",))
    )
    return relationship


def _relationship_decision(actor: Actor, relationship: ServiceRelationship) -> decisions.Decision:
    return decisions.granted_or_refused(
        lambda asked: decisions.decide_on_relationship(actor, relationship, asked), Action.CHANGE
    )


@transaction.atomic
def end_relationship(
    *,
    actor: Actor,
    relationship: ServiceRelationship,
    end_reason: RelationshipEndReason | str,
    ended_on: date | None = None,
) -> ServiceRelationship:
    """The organisation ends its own relationship with the client, for a reason.

    From the day after the end, the relationship no longer opens the organisation's
    records in its register; they stay kept as the law requires. For
    ``CORRECTION_DAYS`` after the end was recorded, the organisation may restore
    a relationship ended by mistake (``restore_relationship``)."""
    relationship = _locked_relationship(relationship)
    decision = _relationship_decision(actor, relationship)
    ended_on = check_end_relationship(relationship, end_reason=end_reason, ended_on=ended_on)
    relationship.ended_on, relationship.end_reason = ended_on, end_reason
    relationship.ended_by, relationship.end_recorded_at = actor.user, timezone.now()
    relationship.save(update_fields=["ended_on", "end_reason", "ended_by", "end_recorded_at"])
    _log_change(actor, relationship.client, decision, event=AuditEvent.RELATIONSHIP_ENDED)
    return relationship


@transaction.atomic
def restore_relationship(
    *, actor: Actor, relationship: ServiceRelationship, reason: str
) -> ServiceRelationship:
    """Undo the end of a relationship ended by mistake, within ``CORRECTION_DAYS`` of
    recording it: the relationship is open again, and a restoration record keeps the end
    as it was, with the reason, so that the history shows both."""
    relationship = _locked_relationship(relationship)
    decision = _relationship_decision(actor, relationship)
    if relationship.ended_on is None:
        raise ValidationError(_("This service relationship has not ended."))
    if not within_correction_period(relationship):
        raise ValidationError(
            _(
                "A service relationship can be restored within %(days)d days of recording "
                "its end. Start a new service relationship instead."
            )
            % {"days": CORRECTION_DAYS}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the end was a mistake.")})
    if (
        ServiceRelationship.objects.not_ended()
        .filter(
            client=relationship.client,
            organisation=relationship.organisation,
            register=relationship.register,
        )
        .exclude(pk=relationship.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "Your organisation has started a new service relationship with the client "
                "in this register since; it continues instead."
            )
        )
    RelationshipRestoration.objects.create(
        relationship=relationship,
        reason=reason.strip(),
        corrected_by=actor.person,
        **undo_end(relationship),
    )
    _log_change(actor, relationship.client, decision, event=AuditEvent.RELATIONSHIP_RESTORED)
    return relationship


def _new_consent(
    actor: Actor,
    client: Client,
    *,
    recipient: Organisation,
    purpose: Purpose,
    categories: Iterable[DataCategory],
    method: str,
    discloser: Organisation | None,
    valid_from: date | None,
    valid_until: date | None,
    evidence: str,
) -> tuple[Consent, decisions.Decision]:
    decision = decisions.require(actor, client, action=Action.CREATE)
    recording_organisation = actor.organisation
    if recording_organisation is None:  # the client portal records its own later
        raise PermissionDenied
    categories = sorted(set(categories))
    evidence = evidence.strip()
    problems: dict[str, str] = {}
    if not categories:
        problems["categories"] = _("Choose at least one kind of data.")
    elif any(category not in DISCLOSABLE_CATEGORIES for category in categories):
        problems["categories"] = _("A project's participant data cannot be disclosed by consent.")
    if purpose not in CONSENT_PURPOSES:
        problems["purpose"] = _("Choose the purpose the client consents to.")
    if discloser is not None and discloser.pk == recipient.pk:
        problems["recipient"] = _("The recipient must differ from the disclosing organisation.")
    if not recipient.is_active:
        problems["recipient"] = _("The recipient organisation is no longer active.")
    discloses_own = discloser is not None and discloser == actor.organisation
    on_signed_form = method == ConsentMethod.SIGNED_PAPER and bool(evidence)
    if actor.kind != ActorKind.CLIENT and not discloses_own and not on_signed_form:
        problems["evidence"] = _(
            "A consent to disclose another organisation's records is recorded by that "
            "organisation or by the client. Here it needs the client's signed form: "
            "choose the signed form and give its archive reference."
        )
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        problems["valid_until"] = _("The end of validity cannot be before its start.")
    if problems:
        raise ValidationError(problems)
    consent = Consent.objects.create(
        client=client,
        discloser=discloser,
        recipient=recipient,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        method=method,
        evidence=evidence,
        recorded_by=actor.person,
        recorded_by_organisation=recording_organisation,
    )
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(consent=consent, category=category) for category in categories]
    )
    return consent, decision


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    client: Client,
    recipient: Organisation,
    purpose: Purpose,
    categories: Iterable[DataCategory],
    method: str,
    discloser: Organisation | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    evidence: str = "",
) -> Consent:
    """Record the client's consent to disclose a discloser's records to a recipient.

    Who may record it (``docs/access-policy.md``): the client themselves; the disclosing
    organisation's own staff, through its relationship with the client; anyone else who
    serves the client only on the client's signed form, whose archive reference is kept
    as evidence. Whether the named discloser serves or has served the client is never
    revealed here.
    """
    consent, decision = _new_consent(
        actor,
        client,
        recipient=recipient,
        purpose=purpose,
        categories=categories,
        method=method,
        discloser=discloser,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=evidence,
    )
    _log_change(actor, client, decision, Action.CREATE, event=AuditEvent.CONSENT_RECORDED)
    return consent


def check_withdraw_consent(consent: Consent, *, withdrawal_method: str) -> None:
    """Refuse (``ValidationError``) a withdrawal that cannot be recorded. Writes nothing:
    the first step of the act asks it too. The client need give no reason: the form asks
    only how the client made the withdrawal known."""
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if withdrawal_method not in WithdrawalMethod.values:
        raise ValidationError(
            {"withdrawal_method": _("Choose how the client withdrew the consent.")}
        )


@transaction.atomic
def withdraw_consent(
    *, actor: Actor, consent: Consent, withdrawal_method: WithdrawalMethod | str
) -> Consent:
    """The client withdraws a consent: it stops allowing anything at once, and so do the
    referral grounds that rest on it. A withdrawal is never undone: a consent withdrawn by
    mistake is recorded again (``record_consent_again``)."""
    consent = Consent.objects.select_for_update().select_related("client").get(pk=consent.pk)
    consent, decision = access_consent(
        actor, consent.client.public_id, consent.public_id, action=Action.CHANGE
    )
    check_withdraw_consent(consent, withdrawal_method=withdrawal_method)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor.user
    consent.withdrawal_method = withdrawal_method
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_method"])
    _log_change(actor, consent.client, decision, event=AuditEvent.CONSENT_WITHDRAWN)
    return consent


def check_record_consent_again(consent: Consent) -> None:
    """Refuse (``ValidationError``) recording again a consent that is not withdrawn, or
    that has been recorded again already. Writes nothing."""
    if consent.withdrawn_at is None:
        raise ValidationError(_("Only a withdrawn consent is recorded again."))
    if Consent.objects.filter(replaces=consent).exists():
        raise ValidationError(_("This consent has already been recorded again."))


@transaction.atomic
def record_consent_again(
    *,
    actor: Actor,
    consent: Consent,
    replacement_reason: ConsentRenewalReason | str,
    method: str,
    evidence: str = "",
    valid_until: date | None = None,
) -> Consent:
    """Record a withdrawn consent again, on the same terms, from today: when its
    withdrawal was recorded by mistake, or the client gives it again.

    The withdrawal stays as it was: the client's withdrawal takes effect at once and what
    it ended (the recipient's access, referral grounds resting on it) is not silently
    revived. A new consent needs the client's own expression of it, recorded as any
    consent is (``record_consent``); it names the withdrawn one and why, so that the
    history shows both."""
    locked = Consent.objects.select_for_update().select_related("client").get(pk=consent.pk)
    consent, _decision = access_consent(
        actor, locked.client.public_id, locked.public_id, action=Action.CHANGE
    )
    check_record_consent_again(consent)
    if replacement_reason not in ConsentRenewalReason.values:
        raise ValidationError(
            {"replacement_reason": _("Choose why the consent is recorded again.")}
        )
    again, decision = _new_consent(
        actor,
        consent.client,
        recipient=consent.recipient,
        purpose=Purpose(consent.purpose),
        categories=[DataCategory(scope.category) for scope in consent.categories.all()],
        method=method,
        discloser=consent.discloser,
        valid_from=None,
        valid_until=valid_until,
        evidence=evidence,
    )
    again.replaces, again.replacement_reason = consent, replacement_reason
    again.save(update_fields=["replaces", "replacement_reason"])
    _log_change(
        actor, consent.client, decision, Action.CREATE, event=AuditEvent.CONSENT_RECORDED_AGAIN
    )
    return again


def client_references() -> list[models.ForeignKey[Any, Any]]:
    """Every column of every installed app that points to a client (many-to-many tables
    included), found in the model registry: a model added later is covered without
    being named here."""
    return [
        field
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Client
    ]


@transaction.atomic
def merge_clients(*, actor: Actor, keep: Client, duplicate: Client) -> Client:
    """Administrators join two records of one person; both histories stay.

    Everything that points to the duplicate in any app (relationships, consents, episodes,
    referrals, journal entries, measurements, alerts, and what later apps add) moves to
    the kept record, the duplicate points to it, and both are logged. An open relationship
    of the duplicate that the kept record has too (same organisation and register) ends
    on the day of the merge, as one person has one. Two different identity codes are
    never merged.
    """
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied(_("Only administrators can merge client records."))
    keep = Client.objects.select_for_update().get(pk=keep.pk)
    duplicate = Client.objects.select_for_update().get(pk=duplicate.pk)
    if keep.pk == duplicate.pk or keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("Choose two different records that are not merged already."))
    if (
        keep.identity_code_hash
        and duplicate.identity_code_hash
        and keep.identity_code_hash != duplicate.identity_code_hash
    ):
        raise ValidationError(_("The records have different identity codes: not one person."))
    if duplicate.under_non_disclosure and not keep.under_non_disclosure:
        # The person's safety does not depend on which record is kept.
        for name in NON_DISCLOSURE_FIELDS:
            setattr(keep, name, getattr(duplicate, name))
        keep.save(update_fields=[*NON_DISCLOSURE_FIELDS, "updated_at"])
    if duplicate.identity_code_hash and not keep.identity_code_hash:
        code = duplicate.identity_code
        duplicate.set_identity_code("")
        duplicate.save(update_fields=["identity_code_encrypted", "identity_code_hash"])
        keep.set_identity_code(code)
        keep.save()
    today = timezone.localdate()
    kept_open = set(
        ServiceRelationship.objects.filter(client=keep, ended_on__isnull=True).values_list(
            "organisation_id", "register"
        )
    )
    for relationship in ServiceRelationship.objects.filter(client=duplicate, ended_on__isnull=True):
        if (relationship.organisation_id, relationship.register) in kept_open:
            relationship.ended_on = max(today, relationship.started_on)
            relationship.save(update_fields=["ended_on"])
    for field in client_references():
        field.model._base_manager.filter(**{field.name: duplicate}).update(**{field.name: keep})
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    maintenance = actor.for_purpose(Purpose.REGISTER_MAINTENANCE)
    for client in (keep, duplicate):
        administration = decisions.decide(
            maintenance, client, action=Action.CHANGE, category=DataCategory.BASIC
        )
        _log_change(actor, client, administration, event=AuditEvent.CLIENTS_MERGED)
    return keep
