"""The access policy: the one place that decides what a user may do with client data.

Deny by default. A professional in a client-work role sees a client's data only

1. through an active service relationship between the client and the professional's own
   organisation: every action on the data that organisation holds and on the client's
   shared details; or
2. through a valid consent (in its period, not withdrawn) whose recipient is the
   professional's organisation and which covers the purpose and the data category: reading
   only, of data held by the disclosing organisation (or by any of the client's current
   service providers when the consent names none).

Management, analysis and administration roles see no individual client's data.

Single decisions (``decide``) and list filters (``visible_clients``) are built from the
same two querysets, ``_relationship_grants`` and ``_consent_grants``, so that a page and a
list can never disagree. Every caller, HTML view, API, export or report, asks here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership, Organisation, User
from polku.policy.enums import (
    READ_ACTIONS,
    Action,
    BasisKind,
    DataCategory,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ServiceRelationship

DEFAULT_PURPOSE = Purpose.SERVICE_COORDINATION


@dataclass(frozen=True)
class Decision:
    """The answer, with the ground it stands on (for the access log)."""

    allowed: bool
    basis: BasisKind | None = None
    basis_public_id: UUID | None = None
    organisation: Organisation | None = None
    role: str = ""

    def __bool__(self) -> bool:
        return self.allowed


DENIED = Decision(allowed=False)


def client_work_memberships(user: User, on: date | None = None) -> list[Membership]:
    """The user's active memberships in roles that work with individual clients."""
    if not user.is_authenticated or not user.is_active:
        return []
    on = on or timezone.localdate()
    # Asked many times while one request is served; memberships do not change meanwhile.
    cache: dict[date, list[Membership]] = user.__dict__.setdefault("_client_work_memberships", {})
    if on not in cache:
        cache[on] = list(
            Membership.objects.active(on)
            .filter(user=user, role__in=CLIENT_WORK_ROLES)
            .select_related("organisation")
            .order_by("organisation_id", "role")
        )
    return list(cache[on])


def _organisation_ids(memberships: list[Membership]) -> set[int]:
    return {membership.organisation_id for membership in memberships}


# Data that lives in one register is shown through an own service relationship only when
# that relationship is in the same register: a social-welfare relationship does not open
# the same organisation's patient records.
REGISTER_BOUND_CATEGORIES = {
    DataCategory.SOCIAL_WELFARE: Register.SOCIAL_WELFARE,
    DataCategory.HEALTH: Register.HEALTH_CARE,
}


def _relationship_grants(
    organisation_ids: set[int],
    on: date,
    category: DataCategory = DataCategory.BASIC,
    owner_id: int | None = None,
) -> QuerySet[ServiceRelationship]:
    grants = ServiceRelationship.objects.active(on).filter(organisation_id__in=organisation_ids)
    if category in REGISTER_BOUND_CATEGORIES:
        grants = grants.filter(register=REGISTER_BOUND_CATEGORIES[category])
    if owner_id is not None:
        grants = grants.filter(organisation_id=owner_id)
    return grants


def _consent_grants(
    organisation_ids: set[int],
    on: date,
    category: DataCategory,
    purpose: Purpose,
    owner_id: int | None = None,
) -> QuerySet[Consent]:
    grants = (
        Consent.objects.valid(on)
        .covering(category)
        .filter(recipient_id__in=organisation_ids, purpose=purpose)
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


def decide(
    user: User,
    client: Any,
    *,
    action: Action,
    category: DataCategory,
    purpose: Purpose = DEFAULT_PURPOSE,
    owner: Organisation | None = None,
    on: date | None = None,
) -> Decision:
    """May ``user`` take ``action`` on ``client``'s data of ``category``?

    ``owner`` is the organisation whose register holds the data; None means the client's
    shared details (identity, contact details, the relationships and consents themselves).
    """
    owners = {client.pk: owner.pk if owner else None}
    return decide_many(user, owners, action=action, category=category, purpose=purpose, on=on)[
        client.pk
    ]


def decide_many(
    user: User,
    owners: Mapping[int, int | None],
    *,
    action: Action,
    category: DataCategory,
    purpose: Purpose = DEFAULT_PURPOSE,
    on: date | None = None,
) -> dict[int, Decision]:
    """``decide`` for many clients at once: ``owners`` maps each client's primary key to
    the owning organisation's primary key (or None for shared details). Two queries per
    distinct owner, whatever the number of clients; a list page asks this once."""
    on = on or timezone.localdate()
    decided = dict.fromkeys(owners, DENIED)
    memberships = client_work_memberships(user, on)
    if not memberships:
        return decided
    organisation_ids = _organisation_ids(memberships)
    by_owner: dict[int | None, list[int]] = {}
    for client_id, owner_id in owners.items():
        by_owner.setdefault(owner_id, []).append(client_id)
    for owner_id, client_ids in by_owner.items():
        relationships = (
            _relationship_grants(organisation_ids, on, category, owner_id)
            .filter(client_id__in=client_ids)
            .order_by("client_id", "organisation_id")
            .values_list("client_id", "public_id", "organisation_id")
        )
        for client_id, public_id, organisation_id in relationships:
            if not decided[client_id]:
                decided[client_id] = _granted(
                    BasisKind.SERVICE_RELATIONSHIP, public_id, organisation_id, memberships
                )
        undecided = [client_id for client_id in client_ids if not decided[client_id]]
        if action not in READ_ACTIONS or not undecided:
            continue
        consents = (
            _consent_grants(organisation_ids, on, category, purpose, owner_id)
            .filter(client_id__in=undecided)
            .order_by("client_id", "recipient_id", "-valid_from")
            .values_list("client_id", "public_id", "recipient_id")
        )
        for client_id, public_id, recipient_id in consents:
            if not decided[client_id]:
                decided[client_id] = _granted(
                    BasisKind.CONSENT, public_id, recipient_id, memberships
                )
    return decided


def require(
    user: User,
    client: Any,
    *,
    action: Action,
    category: DataCategory = DataCategory.BASIC,
    owner: Organisation | None = None,
) -> Decision:
    """``decide``, raising when refused: ``Http404`` when the user may not even see the
    client (existence must not leak), ``PermissionDenied`` when the access is read-only."""
    decision = decide(user, client, action=action, category=category, owner=owner)
    if decision:
        return decision
    if action not in READ_ACTIONS and decide(
        user, client, action=Action.VIEW, category=category, owner=owner
    ):
        raise PermissionDenied(_("Your organisation's access to this client is read-only."))
    raise Http404


def _granted(
    basis: BasisKind, public_id: UUID, organisation_id: int, memberships: list[Membership]
) -> Decision:
    membership = next(m for m in memberships if m.organisation_id == organisation_id)
    return Decision(
        allowed=True,
        basis=basis,
        basis_public_id=public_id,
        organisation=membership.organisation,
        role=membership.role,
    )


def visible_clients(
    user: User,
    *,
    category: DataCategory = DataCategory.BASIC,
    purpose: Purpose = DEFAULT_PURPOSE,
    on: date | None = None,
) -> Q:
    """A filter for client querysets: the clients whose ``category`` data the user may list.

    Written as two ``IN (subquery)`` conditions rather than correlated ``EXISTS``: the
    database then computes the user's organisations' clients once (a hashed semi-join)
    instead of probing for every candidate row, which matters when a name matches
    thousands of the million clients.
    """
    on = on or timezone.localdate()
    organisation_ids = _organisation_ids(client_work_memberships(user, on))
    if not organisation_ids:
        return Q(pk__in=[])
    return Q(pk__in=_relationship_grants(organisation_ids, on, category).values("client_id")) | Q(
        pk__in=_consent_grants(organisation_ids, on, category, purpose).values("client_id")
    )


def serving_organisations(user: User, on: date | None = None) -> list[Organisation]:
    """Organisations in which the user may start a service relationship with a client."""
    seen: dict[int, Organisation] = {}
    for membership in client_work_memberships(user, on):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def may_start_relationship(user: User, organisation: Organisation) -> bool:
    return organisation in serving_organisations(user)


def aggregate_organisations(user: User) -> list[Organisation]:
    """Organisations whose clients the user may see aggregates of (never individuals):
    every organisation the user is an active member of, in any role."""
    if not user.is_authenticated or not user.is_active:
        return []
    ids = Membership.objects.active().filter(user=user).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def may_manage_configuration(user: User) -> bool:
    """Administrators manage organisations, users and code sets, never client content."""
    return user.is_authenticated and user.is_active and user.is_staff


class OwnerDecisions:
    """The policy's answers per owning organisation, asked once each for one page.

    A page that shows data of several owners (and other capabilities' panels on it) asks
    here, then logs ``used_categories()`` in its one access-log row."""

    def __init__(self, user: User, client: Any) -> None:
        self.user, self.client = user, client
        self._cache: dict[tuple[int, DataCategory], Decision] = {}

    def decision(self, owner_id: int, category: DataCategory = DataCategory.PLAN) -> Decision:
        key = (owner_id, category)
        if key not in self._cache:
            self._cache[key] = decide_many(
                self.user, {self.client.pk: owner_id}, action=Action.VIEW, category=category
            )[self.client.pk]
        return self._cache[key]

    def may_read(self, owner_id: int, category: DataCategory = DataCategory.PLAN) -> bool:
        return self.decision(owner_id, category).allowed

    def may_change(self, owner_id: int) -> bool:
        return self.decision(owner_id).basis == BasisKind.SERVICE_RELATIONSHIP

    def used_categories(self) -> set[DataCategory]:
        return {category for (_owner, category), d in self._cache.items() if d.allowed}
