"""The access policy: the one place that decides what an actor may do with client data.

Deny by default. Every decision is made for an ``Actor`` (``policy.actors``), for one
action, one data category, one purpose and — for data held in a register — the owning
organisation and its register. The grounds are closed, and all of them are here:

1. **Own service relationship**: an active relationship between the client and the
   organisation a professional acts for (or an API client is bound to). It opens every
   action on that organisation's own records *in the relationship's register* and on the
   client's shared details. A social-welfare relationship does not open the same
   organisation's patient records.
2. **Consent**: a valid consent (in its period, not withdrawn) whose recipient is the
   actor's organisation, whose purpose is the purpose of the access and which covers the
   category; it reaches the records of the discloser it names (or of the client's current
   service providers when it names none). Reading only.
3. **Referral**: an open referral to the actor's organisation, for what it shares of the
   sender's records and for its purpose, until it is declined, completed or withdrawn, or
   a consent it was sent on lapses. Reading only.
4. **The client's own data**, for the client themselves: reading and exporting
   everything, and their own answers, contact details and consents.
5. **A single-use link**: the one object it opens (checked by the object's ``access_``
   function), its client's data of that object's category (``LINK_CATEGORIES``) and owner
   only; a link handed to an outside recipient (an employer) only while the client's
   consent to disclose that category to the recipient is valid (``link_consented``).
6. **Audited administration**: administrators look up and merge client records for
   register maintenance; they never read client content.
7. **A named system job**, for the work it is run for.
8. **Project work**: a professional on a funded project's staff (``ProjectRole``), acting
   for the organisation they work in the project for, reads and keeps the participant
   data of that project's participants (``PROJECT``); the sensitive participant details
   (``PROJECT_SENSITIVE``) only when that organisation administers the project. A
   programme coordinator reads the figures of the programme's projects, never a
   participant. No consent or referral discloses participant data.

Single decisions (``decide``) and list filters (``visible_clients``) are built from the
same grant querysets, so that a page and a list can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, Protocol
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import CLIENT_WORK_ROLES, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.corrections import within_correction_period
from polku.policy.actors import Actor, ActorKind
from polku.policy.enums import (
    PROJECT_STAFF_KINDS,
    READ_ACTIONS,
    Action,
    BasisKind,
    DataCategory,
    ProjectRoleKind,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ProjectRole, ReferralGrant, ServiceRelationship

# Data that lives in one register by its nature; other categories take the register of
# the record they come from (an episode's, a measurement's), given as ``register``.
REGISTER_BOUND_CATEGORIES = {
    DataCategory.SOCIAL_WELFARE: Register.SOCIAL_WELFARE,
    DataCategory.HEALTH: Register.HEALTH_CARE,
}
# What the client may do with their own data besides reading and exporting it.
CLIENT_SELF_WRITES = frozenset({DataCategory.BASIC, DataCategory.MEASUREMENTS})
ADMINISTRATION_ACTIONS = frozenset({Action.LOOKUP, Action.CHANGE})
# The one category a single-use link opens, by the model of the object it opens.
LINK_CATEGORIES = {
    "measures.administration": DataCategory.MEASUREMENTS,
    "employment.worktrial": DataCategory.EMPLOYMENT,
}
LINK_ACTIONS = frozenset({Action.VIEW, Action.CHANGE})
# Links of these models are handed to an outside party, never to the client: without a
# recipient (and its consent) they open nothing.
OUTSIDE_RECIPIENT_LINKS = frozenset({"employment.worktrial"})
# A link handed to an outside recipient rests on the client's consent for this purpose.
LINK_CONSENT_PURPOSE = Purpose.EMPLOYMENT_SUPPORT


@dataclass(frozen=True)
class Decision:
    """The answer, with the ground it stands on and what it was about (for the log)."""

    allowed: bool
    basis: BasisKind | None = None
    basis_public_id: UUID | None = None
    organisation: Organisation | None = None
    role: str = ""
    purpose: Purpose | None = None
    owner_id: int | None = None
    register: Register | None = None

    def __bool__(self) -> bool:
        return self.allowed


DENIED = Decision(allowed=False)
# A filter that keeps every row. Not ``Q()``: an empty ``Q`` vanishes when combined, so
# ``Q() | nothing`` would keep nothing.
EVERY_ROW = Q(pk__isnull=False)


def acting_organisation_id(actor: Actor, on: date | None = None) -> int | None:
    """The organisation whose grounds the actor acts on: a professional's through a
    client-work membership, an API client's bound organisation; none for the others."""
    if actor.kind == ActorKind.API_CLIENT and actor.api is not None:
        return actor.api.organisation.pk if actor.api.organisation.is_active else None
    membership = actor.client_work_membership(on)
    return membership.organisation_id if membership is not None else None


def _effective_register(category: DataCategory, register: Register | str | None) -> str | None:
    if category in REGISTER_BOUND_CATEGORIES:
        return REGISTER_BOUND_CATEGORIES[category]
    return register or None


def _outside_api_scope(
    actor: Actor, category: DataCategory, purpose: Purpose, action: Action
) -> bool:
    """An API client acts only for its one purpose and within its scopes, which name a
    category and "read" or "write" (``plan:read``)."""
    if actor.kind != ActorKind.API_CLIENT or actor.api is None:
        return False
    scope = f"{category}:{'read' if action in READ_ACTIONS else 'write'}"
    return purpose != actor.api.purpose or scope not in actor.api.scopes


def relationship_grants(
    organisation_id: int,
    on: date,
    category: DataCategory = DataCategory.BASIC,
    owner_id: int | None = None,
    register: Register | str | None = None,
) -> QuerySet[ServiceRelationship]:
    """Own relationships that open ``category`` data of ``owner`` in ``register``."""
    if owner_id is not None and owner_id != organisation_id:
        return ServiceRelationship.objects.none()
    grants = ServiceRelationship.objects.active(on).filter(organisation_id=organisation_id)
    effective = _effective_register(category, register)
    if effective:
        grants = grants.filter(register=effective)
    return grants


def consent_grants(
    organisation_id: int,
    on: date,
    category: DataCategory,
    purpose: Purpose | str,
    owner_id: int | None = None,
) -> QuerySet[Consent]:
    grants = (
        Consent.objects.valid(on)
        .covering(category)
        .filter(recipient_id=organisation_id, purpose=purpose)
    )
    if owner_id is not None:
        # The owner must be the named discloser, or one of the client's current service
        # providers when the consent covers all of them.
        owner_serves_client = ServiceRelationship.objects.active(on).filter(
            client_id=OuterRef("client_id"), organisation_id=owner_id
        )
        grants = grants.filter(
            Q(discloser_id=owner_id) | (Q(discloser__isnull=True) & Exists(owner_serves_client))
        )
    return grants


def referral_grants(
    organisation_id: int,
    on: date,
    category: DataCategory,
    purpose: Purpose | str,
    owner_id: int | None = None,
) -> QuerySet[ReferralGrant]:
    grants = (
        ReferralGrant.objects.open(on)
        .sharing(category)
        .filter(receiver_id=organisation_id, purpose=purpose)
    )
    if owner_id is not None:
        grants = grants.filter(sender_id=owner_id)
    return grants


def decide(
    actor: Actor,
    client: Any,
    *,
    action: Action,
    category: DataCategory,
    owner: Organisation | None = None,
    register: Register | str | None = None,
    purpose: Purpose | None = None,
    on: date | None = None,
) -> Decision:
    """May ``actor`` take ``action`` on ``client``'s data of ``category``?

    ``owner`` and ``register`` say whose register holds the data; no owner means the
    client's shared details (identity, contact details, the relationships and consents
    themselves). ``purpose`` defaults to the purpose the actor's page or job declared.
    """
    owners = {client.pk: owner.pk if owner else None}
    return decide_many(
        actor,
        owners,
        action=action,
        category=category,
        register=register,
        purpose=purpose,
        on=on,
    )[client.pk]


def decide_many(
    actor: Actor,
    owners: Mapping[int, int | None],
    *,
    action: Action,
    category: DataCategory,
    register: Register | str | None = None,
    purpose: Purpose | None = None,
    on: date | None = None,
) -> dict[int, Decision]:
    """``decide`` for many clients at once: ``owners`` maps each client's primary key to
    the owning organisation's primary key (or None for shared details). A few queries per
    distinct owner, whatever the number of clients; a list page asks this once."""
    on = on or timezone.localdate()
    purpose = Purpose(purpose or actor.declared_purpose())
    decided = dict.fromkeys(owners, DENIED)
    effective = _effective_register(category, register)
    about: dict[str, Any] = {
        "purpose": purpose,
        "register": Register(effective) if effective else None,
    }

    if actor.kind == ActorKind.CLIENT:
        if action in READ_ACTIONS | {Action.EXPORT} or category in CLIENT_SELF_WRITES:
            for client_id, owner_id in owners.items():
                if client_id == actor.client_id:
                    decided[client_id] = Decision(
                        True,
                        BasisKind.CLIENT_SELF,
                        actor.client_public_id,
                        None,
                        "",
                        owner_id=owner_id,
                        **about,
                    )
        return decided
    if actor.kind == ActorKind.LINK_HOLDER and actor.link is not None:
        link = actor.link
        if (
            action in LINK_ACTIONS
            and category == LINK_CATEGORIES.get(link.model)
            and owners.get(link.client_id, None) == link.owner.pk
            and link_consented(actor, on)
        ):
            decided[link.client_id] = Decision(
                True, BasisKind.LINK, None, link.owner, owner_id=link.owner.pk, **about
            )
        return decided
    if actor.kind == ActorKind.SYSTEM:
        return {
            client_id: Decision(True, BasisKind.SYSTEM, owner_id=owner_id, **about)
            for client_id, owner_id in owners.items()
        }
    if (
        actor.is_staff
        and action in ADMINISTRATION_ACTIONS
        and category == DataCategory.BASIC
        and purpose == Purpose.REGISTER_MAINTENANCE
    ):
        return {
            client_id: Decision(
                True,
                BasisKind.ADMINISTRATION,
                None,
                actor.organisation,
                actor.role,
                owner_id=owner_id,
                **about,
            )
            for client_id, owner_id in owners.items()
        }
    if _outside_api_scope(actor, category, purpose, action):
        return decided

    organisation_id = acting_organisation_id(actor, on)
    if organisation_id is None or action == Action.LOOKUP:
        return decided
    organisation = actor.organisation

    def granted(client_id: int, owner_id: int | None, basis: BasisKind, public_id: UUID) -> None:
        if not decided[client_id]:
            decided[client_id] = Decision(
                True, basis, public_id, organisation, actor.role, owner_id=owner_id, **about
            )

    by_owner: dict[int | None, list[int]] = {}
    for client_id, owner_id in owners.items():
        by_owner.setdefault(owner_id, []).append(client_id)
    for owner_id, client_ids in by_owner.items():
        relationships = (
            relationship_grants(organisation_id, on, category, owner_id, register)
            .filter(client_id__in=client_ids)
            .order_by("client_id", "started_on")
            .values_list("client_id", "public_id")
        )
        for client_id, public_id in relationships:
            granted(client_id, owner_id, BasisKind.SERVICE_RELATIONSHIP, public_id)
        undecided = [client_id for client_id in client_ids if not decided[client_id]]
        if action not in READ_ACTIONS or not undecided:
            continue
        consents = (
            consent_grants(organisation_id, on, category, purpose, owner_id)
            .filter(client_id__in=undecided)
            .order_by("client_id", "-valid_from")
            .values_list("client_id", "public_id")
        )
        for client_id, public_id in consents:
            granted(client_id, owner_id, BasisKind.CONSENT, public_id)
        undecided = [client_id for client_id in undecided if not decided[client_id]]
        if not undecided:
            continue
        referrals = (
            referral_grants(organisation_id, on, category, purpose, owner_id)
            .filter(client_id__in=undecided)
            .order_by("client_id", "-opened_at")
            .values_list("client_id", "public_id")
        )
        for client_id, public_id in referrals:
            granted(client_id, owner_id, BasisKind.REFERRAL, public_id)
    return decided


def link_consented(actor: Actor, on: date | None = None) -> bool:
    """Whether a link holder's link may be used on ``on``: always for a link held by the
    client (no ``recipient``); for a link handed to an outside recipient, only while a
    valid consent (in its period, not withdrawn) of the link's client discloses the link's
    category of the link's owner (named as discloser, or a current provider when the
    consent names none) to that recipient, for supporting employment."""
    link = actor.link
    if actor.kind != ActorKind.LINK_HOLDER or link is None or link.model not in LINK_CATEGORIES:
        return False
    if link.recipient is None:
        return link.model not in OUTSIDE_RECIPIENT_LINKS
    return (
        consent_grants(
            link.recipient.pk,
            on or timezone.localdate(),
            LINK_CATEGORIES[link.model],
            LINK_CONSENT_PURPOSE,
            owner_id=link.owner.pk,
        )
        .filter(client_id=link.client_id)
        .exists()
    )


def require(
    actor: Actor,
    client: Any,
    *,
    action: Action,
    category: DataCategory = DataCategory.BASIC,
    owner: Organisation | None = None,
    register: Register | str | None = None,
    purpose: Purpose | None = None,
) -> Decision:
    """``decide``, raising when refused: ``Http404`` when the actor may not even see the
    data (existence must not leak), ``PermissionDenied`` when the access is read-only."""

    return granted_or_refused(
        lambda asked: decide(
            actor,
            client,
            action=asked,
            category=category,
            owner=owner,
            register=register,
            purpose=purpose,
        ),
        action,
    )


def refuse(may_view: bool, message: str = "") -> NoReturn:
    """Refuse without revealing more than the actor may know: ``PermissionDenied`` to one
    who may see the data, ``Http404`` (as if nothing were there) to anyone else."""
    if may_view:
        raise PermissionDenied(message or _("Your organisation's access to this is read-only."))
    raise Http404


def granted_or_refused(
    decide_for: Callable[[Action], Decision], action: Action, message: str = ""
) -> Decision:
    """The decision ``decide_for(action)`` when it allows, else the refusal (``refuse``):
    every ``require`` and ``access_<model>`` answers outsiders and readers alike."""
    decision = decide_for(action)
    if not decision:
        refuse(action not in READ_ACTIONS and bool(decide_for(Action.VIEW)), message)
    return decision


def reaches(actor: Actor, obj: models.Model) -> bool:
    """Whether the act may touch this one object: any, for an actor without a link; for a
    link holder only its link's object (``LinkScope.model`` is the model's
    ``app_label.model_name``). The grounds above decide the client's data; this narrows a
    link to its one object, for every model alike."""
    link = actor.link
    return link is None or (link.model == obj._meta.label_lower and link.object_id == obj.pk)


def reached(actor: Actor, model: type[models.Model]) -> Q:
    """``reaches`` as a filter on ``model``'s rows, for its ``visible_to``."""
    link = actor.link
    if link is None:
        return EVERY_ROW
    if link.model != model._meta.label_lower:
        return Q(pk__in=[])
    return Q(pk=link.object_id)


def public_id_or_404(value: UUID | str) -> UUID:
    """A record's public id from a URL or form; anything else is not found."""
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def relationship_started(actor: Actor, relationship: ServiceRelationship) -> Decision:
    """The ground of the act that starts a service relationship: the new relationship
    itself, in its organisation's register (logged as such by the starting service)."""
    return Decision(
        True,
        BasisKind.SERVICE_RELATIONSHIP,
        relationship.public_id,
        relationship.organisation,
        actor.role,
        purpose=actor.declared_purpose(),
        owner_id=relationship.organisation_id,
        register=Register(relationship.register),
    )


def decide_on_relationship(
    actor: Actor, relationship: ServiceRelationship, action: Action, on: date | None = None
) -> Decision:
    """May the actor see (``VIEW``) or act on (``CHANGE``: end it, or restore it when it was
    ended by mistake) a service relationship record itself?

    Only the relationship's own organisation acts on it, through a client-work membership:
    while the organisation serves the client, on that ground (as for changing the client's
    shared details). Once the relationship has ended, and for ``CORRECTION_DAYS`` after the
    end was recorded, the ended relationship itself is the ground of correcting it, for
    maintaining the register: the organisation sees that record and may restore it, and
    nothing else of the client's data."""
    on = on or timezone.localdate()
    organisation_id = acting_organisation_id(actor, on)
    if organisation_id is None or organisation_id != relationship.organisation_id:
        return DENIED
    if action not in {Action.VIEW, Action.CHANGE}:
        return DENIED
    decision = decide(
        actor,
        relationship.client,
        action=action,
        category=DataCategory.BASIC,
        owner=relationship.organisation,
        on=on,
    )
    if decision:
        return decision
    if actor.kind == ActorKind.PROFESSIONAL and within_correction_period(relationship, on):
        return Decision(
            True,
            BasisKind.SERVICE_RELATIONSHIP,
            relationship.public_id,
            actor.organisation,
            actor.role,
            purpose=Purpose.REGISTER_MAINTENANCE,
            owner_id=relationship.organisation_id,
            register=Register(relationship.register),
        )
    return DENIED


def decide_as_receiver(actor: Actor, grant_public_id: UUID, action: Action) -> Decision:
    """May the actor, as the receiver of a referral, read it (``VIEW``) or answer it
    (``CHANGE``)? Both only while the referral's ground is open: not after it is declined,
    completed or withdrawn, nor once a consent it was sent on has lapsed."""
    return decide_as_receiver_many(actor, [grant_public_id], action)[grant_public_id]


def decide_as_receiver_many(
    actor: Actor, grant_public_ids: Iterable[UUID], action: Action
) -> dict[UUID, Decision]:
    """``decide_as_receiver`` for many referrals in one query (a worklist, a timeline)."""
    decided = dict.fromkeys(grant_public_ids, DENIED)
    organisation_id = acting_organisation_id(actor)
    if (
        action not in {Action.VIEW, Action.CHANGE}
        or organisation_id is None
        or actor.kind != ActorKind.PROFESSIONAL
        or not decided
    ):
        return decided
    grants = (
        ReferralGrant.objects.open()
        .filter(public_id__in=list(decided), receiver_id=organisation_id)
        .values_list("public_id", "sender_id", "purpose")
    )
    for public_id, sender_id, purpose in grants:
        decided[public_id] = Decision(
            True,
            BasisKind.REFERRAL,
            public_id,
            actor.organisation,
            actor.role,
            purpose=Purpose(purpose),
            owner_id=sender_id,
        )
    return decided


def visible_clients(
    actor: Actor,
    *,
    category: DataCategory = DataCategory.BASIC,
    purpose: Purpose | None = None,
    on: date | None = None,
    client_field: str = "pk",
) -> Q:
    """A filter for client querysets: the clients whose ``category`` data the actor may list.
    ``client_field`` names the client's key when the queryset is of rows about a client
    (``client_id`` on consents).

    Written as ``IN (subquery)`` conditions rather than correlated ``EXISTS``: the database
    then computes the organisation's clients once (a hashed semi-join) instead of probing
    for every candidate row, which matters when a name matches thousands of a million.
    """
    on = on or timezone.localdate()
    purpose = Purpose(purpose or actor.declared_purpose())
    nothing = Q(**{f"{client_field}__in": []})
    if actor.kind == ActorKind.CLIENT:
        return Q(**{client_field: actor.client_id})
    if actor.kind == ActorKind.SYSTEM:
        return EVERY_ROW
    organisation_id = acting_organisation_id(actor, on)
    if _outside_api_scope(actor, category, purpose, Action.LIST):
        return nothing
    if actor.kind not in {ActorKind.PROFESSIONAL, ActorKind.API_CLIENT}:
        return nothing
    if organisation_id is None:
        return nothing
    within = f"{client_field}__in"
    return (
        Q(**{within: relationship_grants(organisation_id, on, category).values("client_id")})
        | Q(**{within: consent_grants(organisation_id, on, category, purpose).values("client_id")})
        | Q(**{within: referral_grants(organisation_id, on, category, purpose).values("client_id")})
    )


def visible_records(
    actor: Actor,
    category: DataCategory,
    *,
    client_field: str = "client",
    owner_field: str = "organisation",
    register_field: str | None = "register",
    purpose: Purpose | None = None,
    on: date | None = None,
) -> Q:
    """A filter for a client-data model's queryset: the rows whose owner's register the
    actor may read under ``category`` — the same grounds as ``decide`` for each row's
    client, owner and register, as correlated conditions on the row.

    ``register_field`` may follow a relation (``episode__register``); a row whose register
    is empty there (a referral without an episode) is, as for ``decide`` with no register,
    opened by an own relationship in any register. A link holder's rows are those of its
    link's client and owner; the model's ``visible_to`` narrows them to the link's object.
    """
    on = on or timezone.localdate()
    purpose = Purpose(purpose or actor.declared_purpose())
    client_id, owner_id = f"{client_field}_id", f"{owner_field}_id"
    if actor.kind == ActorKind.CLIENT:
        return Q(**{client_id: actor.client_id})
    if actor.kind == ActorKind.SYSTEM:
        return EVERY_ROW
    if actor.kind == ActorKind.LINK_HOLDER:
        link = actor.link
        if (
            link is None
            or category != LINK_CATEGORIES.get(link.model)
            or not link_consented(actor, on)
        ):
            return Q(pk__in=[])
        return Q(**{client_id: link.client_id, owner_id: link.owner.pk})
    if _outside_api_scope(actor, category, purpose, Action.LIST):
        return Q(pk__in=[])
    organisation_id = acting_organisation_id(actor, on)
    if organisation_id is None:
        return Q(pk__in=[])
    client = OuterRef(client_id)
    owner = OuterRef(owner_id)
    relationships = ServiceRelationship.objects.active(on).filter(
        client_id=client, organisation_id=organisation_id
    )
    bound = REGISTER_BOUND_CATEGORIES.get(category)
    if bound:
        own_relationship = Q(Exists(relationships.filter(register=bound)))
    elif register_field:
        # ``decide`` keys on the row's register, or on none when the row has none.
        no_register = Q(**{f"{register_field}__isnull": True}) | Q(**{register_field: ""})
        own_relationship = Q(Exists(relationships.filter(register=OuterRef(register_field)))) | (
            no_register & Q(Exists(relationships))
        )
    else:
        own_relationship = Q(Exists(relationships))
    owner_serves = ServiceRelationship.objects.active(on).filter(
        client_id=OuterRef("client_id"), organisation_id=OuterRef(owner)
    )
    consents = (
        Consent.objects.valid(on)
        .covering(category)
        .filter(client_id=client, recipient_id=organisation_id, purpose=purpose)
        .filter(Q(discloser_id=owner) | (Q(discloser__isnull=True) & Exists(owner_serves)))
    )
    referrals = (
        ReferralGrant.objects.open(on)
        .sharing(category)
        .filter(client_id=client, receiver_id=organisation_id, purpose=purpose, sender_id=owner)
    )
    return (
        (Q(**{owner_id: organisation_id}) & own_relationship)
        | Q(Exists(consents))
        | Q(Exists(referrals))
    )


def received_referrals(actor: Actor, *, public_id_field: str = "public_id") -> Q:
    """A filter for referral querysets: the referrals the actor reads as their receiver —
    ``decide_as_receiver`` for ``VIEW``, row by row."""
    organisation_id = acting_organisation_id(actor)
    if organisation_id is None or actor.kind != ActorKind.PROFESSIONAL:
        return Q(pk__in=[])
    grants = ReferralGrant.objects.open().filter(
        public_id=OuterRef(public_id_field), receiver_id=organisation_id
    )
    return Q(Exists(grants))


def visible_consents(actor: Actor, *, purpose: Purpose | None = None) -> Q:
    """A filter for consent querysets: the consents that concern the actor
    (``concerns_actor``) of clients whose basic details the actor may see."""
    if actor.kind == ActorKind.SYSTEM:
        return EVERY_ROW
    if actor.kind == ActorKind.CLIENT:
        concerns = Q(client_id=actor.client_id)
    else:
        own = acting_organisation_id(actor)
        if own is None:
            return Q(pk__in=[])
        concerns = Q(recipient_id=own) | Q(discloser_id=own) | Q(recorded_by_organisation_id=own)
    return concerns & visible_clients(actor, purpose=purpose, client_field="client_id")


def client_work_memberships(actor: Actor, on: date | None = None) -> list[Membership]:
    """The membership through which the actor works with clients, if any, as a list."""
    membership = actor.client_work_membership(on)
    return [membership] if membership is not None else []


def serving_organisations(actor: Actor, on: date | None = None) -> list[Organisation]:
    """Organisations in which the actor may start a service relationship with a client."""
    return [m.organisation for m in client_work_memberships(actor, on)]


def may_start_relationship(actor: Actor, organisation: Organisation) -> bool:
    return organisation in serving_organisations(actor)


def works_with_clients_in(user: User, organisation: Organisation) -> bool:
    """Whether ``user`` (someone a service names: a case manager, a receiver) does client
    work in ``organisation`` today."""
    return (
        Membership.objects.active()
        .filter(user=user, organisation=organisation, role__in=CLIENT_WORK_ROLES)
        .exists()
    )


def may_look_up(actor: Actor) -> bool:
    """Finding a person by identity code is for client work only: it reveals a name."""
    membership = actor.client_work_membership()
    return membership is not None and membership.role in CLIENT_WORK_ROLES


def aggregate_organisations(actor: Actor) -> list[Organisation]:
    """Organisations whose clients the actor may see aggregates of (never individuals):
    the organisation a professional acts for, in any role."""
    if actor.kind != ActorKind.PROFESSIONAL or actor.membership is None:
        return []
    if actor.user is None or not actor.user.is_active:
        return []
    return [actor.membership.organisation]


def may_read_employment_outcomes(actor: Actor, on: date | None = None) -> Organisation | None:
    """The organisation whose supported-employment outcome figures (per coach, per team and
    in all: counts and shares, never a client's name or record) the actor may read, or None.

    The figures are the organisation's own service management, so a professional acting
    for it reads them in any role (client work, project management, analysis,
    administration) through a membership valid on ``on`` (today) in an active
    organisation; no one reads another organisation's figures, and no other kind of actor
    reads any. Built on ``aggregate_organisations``, the ground of every aggregate page."""
    organisations = aggregate_organisations(actor)
    membership = actor.membership
    if not organisations or membership is None:
        return None
    on = on or timezone.localdate()
    if membership.valid_from > on or (membership.valid_until and membership.valid_until < on):
        return None
    organisation = organisations[0]
    return organisation if organisation.is_active else None


def reading_organisations(
    client: Any,
    *,
    category: DataCategory,
    owner: Organisation,
    register: Register | str | None = None,
    on: date | None = None,
) -> list[Organisation]:
    """The organisations whose professionals may read ``client``'s ``category`` data held
    by ``owner`` in ``register`` today, on the grounds of this module: the owner through
    its own relationship in that register, the recipients of the client's consents that
    reach the owner's records (for any purpose), and the receivers of open referrals that
    share them. For telling the client, in plain words, who will see what they give."""
    on = on or timezone.localdate()
    serving = ServiceRelationship.objects.active(on).filter(client=client, organisation=owner)
    effective = _effective_register(category, register)
    found: set[int] = set()
    if (serving.filter(register=effective) if effective else serving).exists():
        found.add(owner.pk)
    consents = Consent.objects.valid(on).covering(category).filter(client=client)
    reaching = (
        Q(discloser=owner) | Q(discloser__isnull=True) if serving.exists() else Q(discloser=owner)
    )
    found |= set(consents.filter(reaching).values_list("recipient_id", flat=True))
    found |= set(
        ReferralGrant.objects.open(on)
        .sharing(category)
        .filter(client=client, sender=owner)
        .values_list("receiver_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=found, is_active=True).order_by("name"))


def may_manage_employers(actor: Actor) -> bool:
    """Employers are shared master data, not client data: any professional doing client
    work (through the membership they act for) may search, add and edit them."""
    return actor.client_work_membership() is not None


def may_record_employer_contact(actor: Actor) -> bool:
    """A professional in client work records their own contacts with employers, for the
    organisation they act for."""
    return actor.client_work_membership() is not None


def visible_employer_contacts(actor: Actor) -> Q:
    """The employer engagement log rows the actor may see: those of the organisation they
    do client work for, and no other organisation's (whom a coach meets and why is that
    organisation's working data). A filter on a row's ``organisation_id``."""
    membership = actor.client_work_membership()
    if membership is None:
        return Q(pk__in=[])
    return Q(organisation_id=membership.organisation_id)


# Roles that lead a unit's work without client work of their own, and so may review its
# fidelity to a service model.
MANAGEMENT_ROLES = frozenset({Role.PROJECT_MANAGER})


def acting_membership(actor: Actor, on: date | None = None) -> Membership | None:
    """The membership a professional acts through on ``on`` (today), in any role, when it
    is valid that day, its organisation active and the user active; else None."""
    membership = actor.membership
    if (
        actor.kind != ActorKind.PROFESSIONAL
        or membership is None
        or actor.user is None
        or not actor.user.is_active
        or not membership.organisation.is_active
    ):
        return None
    on = on or timezone.localdate()
    if membership.valid_from > on or (
        membership.valid_until is not None and membership.valid_until < on
    ):
        return None
    return membership


def _acts_for_organisation_of(actor: Actor, unit: Unit) -> Membership | None:
    """The actor's membership when a professional acts, today, for ``unit``'s organisation."""
    membership = acting_membership(actor)
    if membership is None or membership.organisation_id != unit.organisation_id:
        return None
    return membership


def may_review_fidelity(actor: Actor, unit: Unit) -> bool:
    """A unit's fidelity self-review (not client data) is made by its organisation's own
    people: a professional acting for that organisation in client work or in a management
    role (a project manager). Analysts and administrators do not score a service."""
    membership = _acts_for_organisation_of(actor, unit)
    return membership is not None and (
        membership.role in CLIENT_WORK_ROLES or membership.role in MANAGEMENT_ROLES
    )


def may_read_fidelity(actor: Actor, unit: Unit) -> bool:
    """A unit's fidelity reviews are read by anyone acting for the unit's organisation, in
    any role (an analyst's or an administrator's too); no other organisation sees them."""
    return _acts_for_organisation_of(actor, unit) is not None


def may_edit_fidelity_wording(actor: Actor) -> bool:
    """The fidelity scale's item wording, entered from the licensed source, is
    configuration: administrators enter it (``may_manage_configuration``)."""
    return may_manage_configuration(actor)


def may_manage_configuration(actor: Actor) -> bool:
    """Administrators manage organisations, users and code sets, never client content."""
    return actor.is_staff


def visible_relationships(
    actor: Actor, relationships: list[ServiceRelationship], consents: list[Consent]
) -> list[ServiceRelationship]:
    """Of a client's relationships, those the actor may know of: its own organisation's,
    and those of organisations that disclose to it under a valid consent. Other
    relationships are not revealed (they would say who else serves the client)."""
    if actor.kind in {ActorKind.CLIENT, ActorKind.SYSTEM}:
        return relationships
    own = acting_organisation_id(actor)
    if own is None:
        return []
    disclosers = {c.discloser_id for c in consents if c.is_valid() and c.recipient_id == own}
    return [
        r
        for r in relationships
        if r.organisation_id == own
        or r.organisation_id in disclosers
        or (None in disclosers and r.is_active())
    ]


def known_serving_organisations(actor: Actor, client: Any) -> list[Organisation]:
    """The organisations that serve the client today (an active service relationship) and
    that the actor may know to serve them, by ``visible_relationships``' rule: its own,
    and those that disclose to it under a valid consent; by name. A client's team is made
    of their professionals; naming anyone else would reveal who else serves the client."""
    relationships = list(
        ServiceRelationship.objects.active()
        .filter(client_id=client.pk)
        .select_related("organisation")
    )
    own = acting_organisation_id(actor)
    consents = list(Consent.objects.valid().filter(client_id=client.pk, recipient_id=own))
    known = {
        r.organisation
        for r in visible_relationships(actor, relationships, consents)
        if r.organisation.is_active
    }
    return sorted(known, key=lambda organisation: (organisation.name, organisation.pk))


@dataclass(frozen=True)
class ConsentDisclosers:
    """Whose records a consent lets go to its recipient: the organisations the reader may
    know of, by name, and how many others."""

    named: list[Organisation]
    others: int = 0


def consent_disclosers(actor: Actor, consent: Consent, on: date | None = None) -> ConsentDisclosers:
    """The organisations whose records ``consent`` covers on ``on`` (default: today): its
    named discloser, or, for a consent that covers every current service provider, the
    organisations that serve the client that day (an active service relationship) other
    than the recipient. Those the actor may not know to serve the client
    (``visible_relationships``' rule) are counted, not named: the summary tells the client
    how many without telling the reader who."""
    if consent.discloser is not None:
        return ConsentDisclosers([consent.discloser])
    on = on or timezone.localdate()
    relationships = list(
        ServiceRelationship.objects.active(on)
        .filter(client_id=consent.client_id, organisation__is_active=True)
        .exclude(organisation_id=consent.recipient_id)
        .select_related("organisation")
    )
    own = acting_organisation_id(actor, on)
    consents = list(Consent.objects.valid(on).filter(client_id=consent.client_id, recipient_id=own))
    known = {r.organisation for r in visible_relationships(actor, relationships, consents)}
    serving = {r.organisation for r in relationships}
    return ConsentDisclosers(
        sorted(known, key=lambda organisation: (organisation.name, organisation.pk)),
        len(serving - known),
    )


def concerns_actor(actor: Actor, consent: Consent) -> bool:
    """Whether the actor may see this consent at all: the client may see theirs; a
    professional those their organisation recorded, discloses under or receives."""
    if actor.kind in {ActorKind.CLIENT, ActorKind.SYSTEM}:
        return actor.kind == ActorKind.SYSTEM or consent.client_id == actor.client_id
    own = acting_organisation_id(actor)
    return own is not None and own in {
        consent.recipient_id,
        consent.discloser_id,
        consent.recorded_by_organisation_id,
    }


class OwnerDecisions:
    """The policy's answers per owning organisation and register, asked once each for
    one page. A page that shows data of several owners (and other capabilities' panels
    on it) asks here, then logs one access-log row per ground it used (``used()``)."""

    def __init__(self, actor: Actor, client: Any) -> None:
        self.actor, self.client = actor, client
        self._cache: dict[tuple[int, str | None, DataCategory, Action], Decision] = {}

    def decision(
        self,
        owner_id: int,
        category: DataCategory = DataCategory.PLAN,
        register: Register | str | None = None,
        action: Action = Action.VIEW,
    ) -> Decision:
        key = (owner_id, register or None, category, action)
        if key not in self._cache:
            self._cache[key] = decide_many(
                self.actor,
                {self.client.pk: owner_id},
                action=action,
                category=category,
                register=register,
            )[self.client.pk]
        return self._cache[key]

    def may_read(
        self,
        owner_id: int,
        category: DataCategory = DataCategory.PLAN,
        register: Register | str | None = None,
    ) -> bool:
        return self.decision(owner_id, category, register).allowed

    def may_change(
        self,
        owner_id: int,
        category: DataCategory = DataCategory.PLAN,
        register: Register | str | None = None,
    ) -> bool:
        return self.decision(owner_id, category, register, Action.CHANGE).allowed

    def used(self) -> list[tuple[Decision, list[DataCategory]]]:
        """The grounds the page's reads rested on, each with the categories read on it:
        a relationship, a consent (by id) or a referral (by id), for one owner and
        register each, so that every log row names what the data shown rested on."""
        grounds: dict[tuple[Any, ...], tuple[Decision, set[DataCategory]]] = {}
        for (_owner, _register, category, action), decision in self._cache.items():
            if decision.allowed and action == Action.VIEW:
                key: tuple[Any, ...] = (
                    decision.basis,
                    decision.basis_public_id,
                    decision.owner_id,
                    decision.register,
                )
                grounds.setdefault(key, (decision, set()))[1].add(category)
        return [(decision, sorted(categories)) for decision, categories in grounds.values()]


# Purposes for which a system job reads an address under a non-disclosure: the person's own
# export and keeping the register; never a statistic or a disclosure.
ADDRESS_PURPOSES_OF_SYSTEM_JOBS = frozenset({Purpose.SUBJECT_ACCESS, Purpose.REGISTER_MAINTENANCE})


def addresses_withheld(actor: Actor, clients: Iterable[Any], on: date | None = None) -> set[int]:
    """Of ``clients`` (whose basic details the actor may see), the keys of those whose
    address and municipality the actor may not see: a non-disclosure for personal safety
    (turvakielto) shows them to the organisation that registered it, while it serves the
    client, to the client themselves and to the register's own system jobs, and to nobody
    else — not to another organisation serving the client, a consent's recipient, an
    administrator or a statistic. One query at most, for any number of clients."""
    protected = {
        client.pk: client.non_disclosure_organisation_id
        for client in clients
        if client.non_disclosure_organisation_id is not None
    }
    if not protected:
        return set()
    if actor.kind == ActorKind.CLIENT:
        return set(protected) - {actor.client_id}
    if actor.kind == ActorKind.SYSTEM:
        return set() if actor.purpose in ADDRESS_PURPOSES_OF_SYSTEM_JOBS else set(protected)
    on = on or timezone.localdate()
    organisation_id = acting_organisation_id(actor, on)
    own = [pk for pk, registered_by in protected.items() if registered_by == organisation_id]
    if organisation_id is None or not own:
        return set(protected)
    serving = relationship_grants(organisation_id, on).filter(client_id__in=own)
    return set(protected) - set(serving.values_list("client_id", flat=True))


def may_see_address(actor: Actor, client: Any) -> bool:
    """``addresses_withheld`` for one client: whether the actor may see where they live."""
    return client.pk not in addresses_withheld(actor, [client])


def may_lift_non_disclosure(actor: Actor, client: Any) -> bool:
    """Only the organisation that registered a non-disclosure lifts it (while it serves
    the client): lifting shows the address to every organisation that serves the client.
    Neither the client (who sees their own address) nor a job lifts it."""
    return (
        actor.kind == ActorKind.PROFESSIONAL
        and client.non_disclosure_organisation_id is not None
        and may_see_address(actor, client)
    )


def access_log_decision(actor: Actor, client: Any, action: Action = Action.VIEW) -> Decision:
    """May the actor read (``VIEW``) or export (``EXPORT``) the client's access log? The
    client may; a professional through an own service relationship (the ground that also
    changes the client's details), as the controller of its register — never through a
    consent or a referral, which would show who else serves the client. Which rows the
    log shows is ``access_log_rows``."""
    asked = Action.CHANGE if action == Action.VIEW else action
    return decide(actor, client, action=asked, category=DataCategory.BASIC)


def access_log_rows(actor: Actor) -> Q:
    """A filter for a client's access-log rows (``audit.AccessLogEntry``): the client sees
    every row; a professional the accesses made in the organisation they act for and the
    reads and writes of that organisation's own records by others (the controller sees who
    used its register). The rest would reveal which other organisations serve the client."""
    if actor.kind in {ActorKind.CLIENT, ActorKind.SYSTEM}:
        return EVERY_ROW
    own = acting_organisation_id(actor)
    if own is None:
        return Q(pk__in=[])
    return Q(organisation_id=own) | Q(owner_id=own)


# --- funded projects --------------------------------------------------------------------


class ProjectLike(Protocol):
    """What the policy needs to know of a project (``polku.projects.models.Project``)."""

    public_id: UUID
    organisation_id: int  # the administering organisation

    @property
    def programme_key(self) -> UUID: ...


class ParticipantLike(Protocol):
    """What the policy needs to know of a participant record."""

    client_id: int
    organisation_id: int  # the owner: the organisation that enrolled the client
    register: str

    @property
    def project(self) -> ProjectLike: ...


def project_roles(actor: Actor, on: date | None = None) -> QuerySet[ProjectRole]:
    """The actor's roles in projects and programmes on ``on`` (today), for the organisation
    they act for (in any role: a project manager does no client work); none for any other
    kind of actor."""
    membership = acting_membership(actor, on)
    if membership is None:
        return ProjectRole.objects.none()
    return ProjectRole.objects.active(on).filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id
    )


def project_role(actor: Actor, project: ProjectLike, on: date | None = None) -> ProjectRole | None:
    """The actor's role in ``project``: a staff role in the project itself, else a
    coordinator's role in its programme, else None."""
    roles = project_roles(actor, on)
    staff = roles.filter(project_key=project.public_id).order_by("kind", "pk").first()
    if staff is not None:
        return staff
    return roles.filter(programme_key=project.programme_key).order_by("pk").first()


def may_read_project(actor: Actor, project: ProjectLike) -> bool:
    """The project's description, goals, plans and figures (aggregates, never a
    participant): its staff, partners' staff included, and its programme's coordinators."""
    return project_role(actor, project) is not None


def may_manage_project(actor: Actor, project: ProjectLike) -> bool:
    """Editing the project, its staff, goals and plans, and closing its reporting periods:
    the project's managers."""
    role = project_role(actor, project)
    return role is not None and role.kind == ProjectRoleKind.MANAGER


def may_read_exact_figures(actor: Actor, project: ProjectLike) -> bool:
    """The funder's report with exact counts, small ones too: the project's managers, who
    report to the funder, and its programme's coordinators. Every other reader of the
    project gets the public report, where figures about fewer than five persons are
    withheld."""
    role = project_role(actor, project)
    return role is not None and role.kind in {
        ProjectRoleKind.MANAGER,
        ProjectRoleKind.COORDINATOR,
    }


def may_coordinate(actor: Actor, programme_key: UUID) -> bool:
    """A programme's overview of all its projects: the programme's coordinators."""
    return (
        project_roles(actor)
        .filter(kind=ProjectRoleKind.COORDINATOR, programme_key=programme_key)
        .exists()
    )


def readable_projects(actor: Actor, *, programme_field: str = "programme") -> Q:
    """A filter for project querysets: the projects ``may_read_project`` allows."""
    roles = project_roles(actor)
    return Q(public_id__in=roles.filter(kind__in=PROJECT_STAFF_KINDS).values("project_key")) | Q(
        **{
            f"{programme_field}__public_id__in": roles.filter(
                kind=ProjectRoleKind.COORDINATOR
            ).values("programme_key")
        }
    )


def _staff_role(actor: Actor, project: ProjectLike, on: date | None) -> ProjectRole | None:
    role = project_role(actor, project, on)
    return role if role is not None and role.kind in PROJECT_STAFF_KINDS else None


def may_keep_participants(actor: Actor, project: ProjectLike) -> bool:
    """Listing, exporting and enrolling in ``project``'s participants: its staff (a
    manager or a worker, for the organisation they act for). A programme coordinator
    reads figures only, never a participant."""
    return _staff_role(actor, project, None) is not None


def decide_on_participant(
    actor: Actor,
    participant: ParticipantLike,
    action: Action,
    *,
    sensitive: bool = False,
    purpose: Purpose | None = None,
    on: date | None = None,
) -> Decision:
    """May the actor take ``action`` on a project participant's data — the entry, exit and
    follow-up details (``PROJECT``), or with ``sensitive`` the details the client may
    decline to give (``PROJECT_SENSITIVE``)?

    The client reads their own. A professional on the project's staff (a manager or a
    worker, for the organisation they act for) reads and keeps any participant's details
    of that project; the sensitive details only when that organisation administers the
    project — never a partner's staff, a programme coordinator, another project or any
    consent or referral."""
    on = on or timezone.localdate()
    purpose = Purpose(purpose or actor.declared_purpose())
    about: dict[str, Any] = {
        "purpose": purpose,
        "owner_id": participant.organisation_id,
        "register": Register(participant.register),
    }
    if actor.kind == ActorKind.CLIENT:
        if participant.client_id == actor.client_id and action in READ_ACTIONS | {Action.EXPORT}:
            return Decision(True, BasisKind.CLIENT_SELF, actor.client_public_id, **about)
        return DENIED
    if actor.kind == ActorKind.SYSTEM:
        return Decision(True, BasisKind.SYSTEM, **about)
    if action == Action.LOOKUP:
        return DENIED
    project = participant.project
    role = _staff_role(actor, project, on)
    if role is None or (sensitive and role.organisation_id != project.organisation_id):
        return DENIED
    return Decision(
        True, BasisKind.PROJECT_WORK, role.public_id, actor.organisation, actor.role, **about
    )


def visible_participants(
    actor: Actor, *, sensitive: bool = False, project_field: str = "project"
) -> Q:
    """A filter for participant querysets: the rows ``decide_on_participant`` lets the
    actor list."""
    if actor.kind == ActorKind.CLIENT:
        return Q(client_id=actor.client_id)
    if actor.kind == ActorKind.SYSTEM:
        return EVERY_ROW
    membership = acting_membership(actor)
    if membership is None:
        return Q(pk__in=[])
    staff = project_roles(actor).filter(kind__in=PROJECT_STAFF_KINDS).values("project_key")
    visible = Q(**{f"{project_field}__public_id__in": staff})
    if sensitive:
        visible &= Q(**{f"{project_field}__organisation_id": membership.organisation_id})
    return visible


def may_enrol(actor: Actor, project: ProjectLike, client: Any) -> Decision:
    """Enrolling ``client`` in ``project``: a member of the project's staff who serves the
    client in the organisation they act for (the client's basic details on the ground of
    their own service relationship, for monitoring the project). The participant record
    is then owned by that organisation."""
    role = _staff_role(actor, project, None)
    if role is None:
        return DENIED
    purpose = Purpose(actor.declared_purpose())
    own = decide(actor, client, action=Action.VIEW, category=DataCategory.BASIC, purpose=purpose)
    if not own or own.basis != BasisKind.SERVICE_RELATIONSHIP:
        return DENIED
    return Decision(
        True,
        BasisKind.PROJECT_WORK,
        role.public_id,
        actor.organisation,
        actor.role,
        purpose=purpose,
        owner_id=role.organisation_id,
        register=Register.OTHER,
    )


def may_create_project(actor: Actor, organisation: Organisation) -> bool:
    """Starting a project administered by ``organisation``: an administrator, or a project
    manager acting for that organisation (who then becomes the project's first manager)."""
    if may_manage_configuration(actor):
        return True
    membership = acting_membership(actor)
    return (
        membership is not None
        and membership.role == Role.PROJECT_MANAGER
        and membership.organisation_id == organisation.pk
    )


def offers_projects(actor: Actor) -> bool:
    """Whether the navigation offers the projects pages: to those with a role in a project
    or programme today, to project managers (who may start one) and to administrators
    (who keep the programmes)."""
    if project_roles(actor).exists() or may_manage_configuration(actor):
        return True
    membership = acting_membership(actor)
    return membership is not None and membership.role == Role.PROJECT_MANAGER


def may_read_programme(actor: Actor, programme_key: UUID) -> bool:
    """A programme's page: its coordinators (with every project's figures) and the
    administrators who keep the programmes (its projects and coordinators, no figures)."""
    return may_coordinate(actor, programme_key) or may_manage_configuration(actor)


def readable_programmes(actor: Actor) -> Q:
    """A filter for programme querysets: the programmes ``may_read_programme`` allows."""
    if may_manage_configuration(actor):
        return EVERY_ROW
    return Q(
        public_id__in=project_roles(actor)
        .filter(kind=ProjectRoleKind.COORDINATOR)
        .values("programme_key")
    )


# --- insights ------------------------------------------------------------------------------


def insight_clients(actor: Actor, *, client_field: str = "pk", on: date | None = None) -> Q | None:
    """Whose clients the actor's insight figures (the situational picture, the equality
    view and their exports: counts, rates and means, never a person) are computed over,
    as a filter on a client key, or None when the actor reads no insights.

    - An analyst, through a valid membership in an active organisation, reads the figures
      of every client: knowledge-based management of municipalities, wellbeing services
      counties and the country. Every figure they see is suppressed (``core.small_cells``:
      none about fewer than five persons, none that gives such a figure away).
    - Any other professional reads the figures of the clients whose basic data they may
      list (``visible_clients``): their organisation's own clients, and those it reaches
      through consents and referrals. Their figures are suppressed the same way.
    - No one else (a client, a link holder, an API client, a system job) reads them here.
    """
    membership = acting_membership(actor, on)
    if membership is None:
        return None
    if membership.role == Role.ANALYST:
        return EVERY_ROW
    return visible_clients(
        actor,
        category=DataCategory.BASIC,
        purpose=Purpose.KNOWLEDGE_MANAGEMENT,
        on=on,
        client_field=client_field,
    )


def insight_clients_of_project(actor: Actor, project: ProjectLike) -> Q | None:
    """Whose participation in ``project`` the actor's insight figures of the project may
    count: every participant's for those who may read the project (its staff, its
    partners' staff, its programme's coordinators: ``may_read_project``) and for analysts;
    None for anyone else (the project's existence is not revealed)."""
    membership = acting_membership(actor)
    analyst = membership is not None and membership.role == Role.ANALYST
    return EVERY_ROW if analyst or may_read_project(actor, project) else None


def may_read_insights(actor: Actor) -> bool:
    """The insight pages open to those ``insight_clients`` gives a scope."""
    return insight_clients(actor) is not None


# --- research ------------------------------------------------------------------------------


class StudyLike(Protocol):
    """What the policy needs to know of a research study (``polku.insights.models.Study``)."""

    organisation_id: int  # the disclosing organisation, the controller
    recorded_by_id: int
    closes_on: date | None

    @property
    def is_draft(self) -> bool: ...

    @property
    def is_approved(self) -> bool: ...


def _analyst_membership(actor: Actor, on: date | None = None) -> Membership | None:
    membership = acting_membership(actor, on)
    return membership if membership is not None and membership.role == Role.ANALYST else None


def may_record_study(actor: Actor, organisation: Organisation | None = None) -> bool:
    """Recording a research study (a draft, until approved): an administrator, for any
    organisation, or an analyst acting for the disclosing organisation. Without an
    organisation: whether the actor may record a study for some organisation."""
    if actor.is_staff:
        return True
    membership = _analyst_membership(actor)
    return membership is not None and (
        organisation is None or membership.organisation_id == organisation.pk
    )


def may_approve_study(actor: Actor, study: StudyLike) -> bool:
    """Approving a draft study, once its permit has been checked: an administrator who did
    not record it (four eyes: who records a study never approves it)."""
    return (
        actor.is_staff
        and study.is_draft
        and actor.user is not None
        and actor.user.pk != study.recorded_by_id
    )


def may_close_study(actor: Actor, study: StudyLike) -> bool:
    """Closing a study that has not been closed (it then gets no more extracts): an
    administrator, or an analyst acting for the disclosing organisation."""
    if study.is_draft or study.is_approved:
        if actor.is_staff:
            return True
        membership = _analyst_membership(actor)
        return membership is not None and membership.organisation_id == study.organisation_id
    return False


def may_make_extract(actor: Actor, study: StudyLike, on: date | None = None) -> bool:
    """Making a pseudonymised extract for a study: an analyst acting for the disclosing
    organisation, while the study is approved and ``on`` (today) is not after the last
    day of its permit. Administrators never do: they manage, never read client data."""
    on = on or timezone.localdate()
    membership = _analyst_membership(actor, on)
    return (
        membership is not None
        and membership.organisation_id == study.organisation_id
        and study.is_approved
        and (study.closes_on is None or on <= study.closes_on)
    )


def readable_studies(actor: Actor, *, organisation_field: str = "organisation") -> Q | None:
    """A filter for study querysets: every study for administrators, the studies of the
    organisation an analyst acts for; None (no research pages) for anyone else."""
    if actor.is_staff:
        return EVERY_ROW
    membership = _analyst_membership(actor)
    if membership is None:
        return None
    return Q(**{f"{organisation_field}_id": membership.organisation_id})


# --- background figures --------------------------------------------------------------------


def may_import_background_figures(actor: Actor) -> bool:
    """Loading the background figures of municipalities (population, unemployed and
    long-term unemployed, from open statistics) and seeing what is loaded and who loaded
    it: public figures of areas, never client data.

    - administrators (``actor.is_staff``), who keep the product's reference data;
    - analysts, through a valid membership (``acting_membership``: today, in an active
      organisation, the user active) in the analyst role, who use the figures;
    - a system job: the management command ``import_background_figures``, run by those
      who run the server.
    No one else, including the other professionals who read the insight pages.
    """
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.is_staff:
        return True
    membership = acting_membership(actor)
    return membership is not None and membership.role == Role.ANALYST


# --- insight exports -----------------------------------------------------------------------


def readable_export_records(actor: Actor, *, made_by_field: str = "made_by") -> Q | None:
    """Which records of exported insight figures (``insights.ExportRecord``: who exported
    which figures, when, for which area, period and filters) the actor reads on the
    export log, as a filter on the records; None when the actor reads none (the page
    answers 404).

    - an administrator (``may_manage_configuration``) reads every record: the log
      answers the auditor's question of who took which figures out of Polku;
    - an analyst, through a valid membership (``acting_membership``: today, in an active
      organisation, the user active), reads the records of their own exports;
    - no one else, although any reader of the insight pages may export: a record says
      what its maker was looking at, which is theirs and the auditor's to know.
    """
    if may_manage_configuration(actor):
        return EVERY_ROW
    if _analyst_membership(actor) is None or actor.user is None:
        return None
    return Q(**{f"{made_by_field}_id": actor.user.pk})
