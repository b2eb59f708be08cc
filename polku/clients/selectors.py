"""Reads of client data. Each one asks the policy, and logs what it returns.

Every function here that returns client data writes its access-log rows before returning,
inside a transaction: call them from a view wrapped in ``transaction.atomic`` so that the
response and its log rows stand or fall together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.models import Membership, Organisation, User
from polku.audit import selectors as audit_selectors
from polku.audit.enums import AuditEvent
from polku.audit.export import Writable, write_csv
from polku.audit.models import AccessLogEntry
from polku.audit.services import Access, record
from polku.clients import identity_storage
from polku.clients.access import access_relationship
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import Client, IdentityLookup, search_key
from polku.core import panels
from polku.core.corrections import within_correction_period
from polku.core.names import localized
from polku.core.panels import Panel
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose
from polku.policy.models import (
    Consent,
    ConsentCategory,
    ReferralGrant,
    RelationshipRestoration,
    ServiceRelationship,
)

SEARCH_LIMIT = 50
# At most this many matches are sorted to pick the first SEARCH_LIMIT; more than that
# means the search is too broad to be useful, and the page asks to narrow it.
SEARCH_CANDIDATES = 1000
RECENT_LOG_ROWS = 10
BASIC = DataCategory.BASIC
DATE_PATTERN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# Six digits and five more characters: meant as an identity code, so validate it as one.
IDENTITY_CODE_LIKE = re.compile(r"[0-9]{6}\S{5}")


def _access(
    client: Client, decision: decisions.Decision, action: Action, categories: list[DataCategory]
) -> Access:
    return Access.granted(client.public_id, decision, action, categories)


def _lookup(person: Client, membership: Membership) -> Access:
    """Finding that a person exists, before any relationship: identity only, for the
    organisation (and in the role) that means to start one."""
    return Access(
        client_public_id=person.public_id,
        action=Action.LOOKUP,
        categories=[DataCategory.BASIC],
        organisation=membership.organisation,
        role=membership.role,
        basis=BasisKind.STARTING_RELATIONSHIP,
    )


# A lookup that found a person outside the policy hands the page a signed token naming
# whom it found (by the identity code's keyed hash), for whom and when; only that token
# starts a relationship, so a person's existence cannot be probed past the hourly limit.
LOOKUP_SALT = "polku.clients.lookup"
LOOKUP_VALID_SECONDS = 15 * 60


class LookupExpired(Exception):
    """The lookup behind a form is older than ``LOOKUP_VALID_SECONDS``."""


def lookup_token(actor: Actor, person: Client, membership: Membership) -> str:
    return signing.dumps(
        {
            "person": person.identity_code_hash,
            "user": actor.person.pk,
            "organisation": membership.organisation_id,
        },
        salt=LOOKUP_SALT,
    )


def looked_up_person(actor: Actor, token: str) -> Client:
    """The person that this actor's own lookup found, for the organisation it still acts
    for, within the last fifteen minutes. Raises ``LookupExpired`` for an old lookup and
    ``Http404`` for anything that is not such a token."""
    try:
        found = signing.loads(token, salt=LOOKUP_SALT, max_age=LOOKUP_VALID_SECONDS)
    except signing.SignatureExpired as error:
        raise LookupExpired from error
    except signing.BadSignature as error:
        raise Http404 from error
    membership = actor.client_work_membership()
    if (
        not isinstance(found, dict)
        or membership is None
        or not found.get("person")
        or found.get("user") != actor.person.pk
        or found.get("organisation") != membership.organisation_id
    ):
        raise Http404
    person = Client.objects.filter(
        identity_code_hash=found.get("person"), merged_into__isnull=True
    ).first()
    if person is None:
        raise Http404
    return person


class LookupLimitReached(Exception):
    """The user has looked up as many persons as an hour allows; nothing was looked up."""

    def __init__(self) -> None:
        limit = settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR
        super().__init__(
            ngettext(
                "You have looked up %(count)d person within the last hour, which is the most "
                "allowed. Try again later, or search your own clients by name.",
                "You have looked up %(count)d persons within the last hour, which is the most "
                "allowed. Try again later, or search your own clients by name.",
                limit,
            )
            % {"count": limit}
        )


def begin_lookup(actor: Actor, organisation: Organisation | None = None) -> Membership:
    """Count one lookup of a person by the actor, before it is made.

    A lookup tells whether a person is known to Polku and their name, so only a client-work
    role may make one, for the organisation it acts for (``organisation``, when given, must
    be that one), and at most ``POLKU_IDENTITY_LOOKUPS_PER_HOUR`` times in any hour, found
    or not. Raises ``PermissionDenied`` for other roles and other organisations,
    ``LookupLimitReached`` over the limit; a refused lookup is not counted. The count lives
    in the database, so it holds across app processes.
    """
    membership = actor.client_work_membership()
    if membership is None:
        raise PermissionDenied(_("Only professionals who work with clients can look a person up."))
    if organisation is not None and organisation.pk != membership.organisation_id:
        raise PermissionDenied(_("You do not work with clients in this organisation."))
    # One user's lookups wait for each other here, so that two at once cannot both pass
    # the last free place; other users are not held up.
    User.objects.select_for_update().filter(pk=actor.person.pk).exists()
    now = timezone.now()
    made = IdentityLookup.objects.filter(
        user=actor.person, made_at__gt=now - timedelta(hours=1)
    ).count()
    if made >= settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR:
        raise LookupLimitReached
    IdentityLookup.objects.create(
        user=actor.person, organisation=membership.organisation, made_at=now
    )
    return membership


def get_visible_client(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Client, decisions.Decision]:
    """The client, if the policy lets the user take ``action`` on its basic details.

    Raises ``Http404`` when the user may not see the client, ``PermissionDenied`` when the
    user may see but not take the action."""
    client = Client.objects.filter(public_id=public_id, merged_into__isnull=True).first()
    if client is None:
        raise Http404
    decision = decisions.require(actor, client, action=action)
    withhold_addresses(actor, [client])
    return client, decision


def withhold_addresses(actor: Actor, clients: Iterable[Client]) -> None:
    """Blank, on these instances, the address and municipality that a non-disclosure for
    personal safety withholds from the actor (``decisions.addresses_withheld``). Every
    client a selector hands to a page passes here, so that no page, form, print or export
    can show them; an instance so blanked cannot be saved."""
    clients = list(clients)
    withheld = decisions.addresses_withheld(actor, clients)
    for client in clients:
        if client.pk in withheld:
            client.withhold_address()


def record_view(
    actor: Actor,
    client: Client,
    decision: decisions.Decision,
    categories: list[DataCategory] | None = None,
) -> None:
    """Log that a page showed the client's data; call before rendering it."""
    record(
        actor=actor,
        accesses=[_access(client, decision, Action.VIEW, categories or [DataCategory.BASIC])],
    )


def record_page_view(
    actor: Actor,
    client: Client,
    decision: decisions.Decision,
    owners: decisions.OwnerDecisions,
    categories: list[DataCategory] | None = None,
) -> None:
    """Log a page that showed the client's details (on ``decision``) and records of
    several owners (asked through ``owners``): one row for the details and one per ground
    the records rested on, each naming that ground, its owner and register."""
    record(
        actor=actor,
        accesses=[
            _access(client, decision, Action.VIEW, categories or [DataCategory.BASIC]),
            *(_access(client, used, Action.VIEW, shown) for used, shown in owners.used()),
        ],
    )


@dataclass
class SearchResult:
    query: str
    clients: list[Client] = field(default_factory=list)
    # A full identity code of a person the user may not see: only that the person exists.
    unrelated_person: Client | None = None
    lookup_token: str = ""
    error: str = ""
    truncated: bool = False


def _parse_date(text: str) -> date | None:
    match = DATE_PATTERN.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


@transaction.atomic
def search_clients(actor: Actor, query: str) -> SearchResult:
    """Find clients the user may see by name, birth date (d.m.yyyy) or identity code.

    Only clients within the policy are listed, each logged as listed. A full identity code
    is a lookup made for the organisation the actor acts for (see ``begin_lookup``, whose
    refusals it raises): of a person outside the policy it yields the person's name only,
    so that a service relationship can be started; that lookup is logged with the
    organisation too.
    """
    query = " ".join(query.split())
    result = SearchResult(query=query)
    if not query:
        return result
    visible = Client.objects.visible_to(actor)
    if IDENTITY_CODE_LIKE.fullmatch(query):
        try:
            code = parse_identity_code(query).value
        except ValidationError as error:
            result.error = " ".join(error.messages)
            return result
        membership = begin_lookup(actor)
        person = Client.objects.filter(
            identity_code_hash=identity_storage.lookup_hash(code), merged_into__isnull=True
        ).first()
        if person is None:
            return result
        decision = decisions.decide(actor, person, action=Action.LIST, category=DataCategory.BASIC)
        if decision:
            withhold_addresses(actor, [person])
            result.clients = [person]
            record(
                actor=actor,
                accesses=[_access(person, decision, Action.LIST, [DataCategory.BASIC])],
            )
        else:
            result.unrelated_person = person
            result.lookup_token = lookup_token(actor, person, membership)
            record(actor=actor, accesses=[_lookup(person, membership)])
        return result
    birth_date = _parse_date(query)
    if birth_date is not None:
        matches: QuerySet[Client] = visible.filter(birth_date=birth_date)
    else:
        terms = search_key(query, "").split()
        condition = Q(search_name__startswith=terms[0]) | Q(search_name__contains=f" {terms[0]}")
        matches = visible.filter(condition)
        for term in terms[1:]:
            matches = matches.filter(search_name__contains=term)
    # Find the matches first and sort them here: asked for the first rows in name order,
    # PostgreSQL would walk the whole name index of a million clients to find them.
    candidates = sorted(matches.values_list("search_name", "birth_date", "pk")[:SEARCH_CANDIDATES])
    shown = [pk for _name, _born, pk in candidates[:SEARCH_LIMIT]]
    result.truncated = len(candidates) > SEARCH_LIMIT
    result.clients = list(
        Client.objects.filter(pk__in=shown)
        .select_related("municipality")
        .order_by("search_name", "birth_date", "pk")
    )
    withhold_addresses(actor, result.clients)
    decided = decisions.decide_many(
        actor,
        dict.fromkeys((client.pk for client in result.clients), None),
        action=Action.LIST,
        category=DataCategory.BASIC,
    )
    record(
        actor=actor,
        accesses=[
            _access(client, decided[client.pk], Action.LIST, [DataCategory.BASIC])
            for client in result.clients
        ],
    )
    return result


@dataclass
class RelationshipRow:
    """A relationship on the client's page, with what the actor may do with it."""

    relationship: ServiceRelationship
    may_end: bool = False
    may_restore: bool = False


@dataclass
class Overview:
    client: Client
    decision: decisions.Decision
    identity_code: str
    relationships: list[ServiceRelationship]
    consents: list[Consent]
    may_change: bool
    may_see_access_log: bool
    recent_access: list[AccessLogEntry]
    # Other capabilities' parts of the page (measurements), asked through the page's own
    # policy answers so that their categories are in its one access-log row.
    panels: list[Panel] = field(default_factory=list)
    relationship_rows: list[RelationshipRow] = field(default_factory=list)


def _relationship_row(actor: Actor, relationship: ServiceRelationship) -> RelationshipRow:
    if relationship.organisation_id != decisions.acting_organisation_id(actor):
        return RelationshipRow(relationship)
    may_change = bool(decisions.decide_on_relationship(actor, relationship, Action.CHANGE))
    ended = relationship.ended_on is not None
    return RelationshipRow(
        relationship,
        may_end=may_change and not ended,
        may_restore=may_change and ended and within_correction_period(relationship),
    )


@transaction.atomic
def client_overview(actor: Actor, public_id: UUID | str) -> Overview:
    """The case worker's first page on a client; logged as one view of basic details.

    Only what concerns the user's own organisations is shown: their relationships, the
    consents they recorded or are named in, and what those consents disclose.
    """
    client, decision = get_visible_client(actor, public_id)
    consents = [
        consent
        for consent in Consent.objects.filter(client=client)
        .select_related(
            "discloser", "recipient", "recorded_by_organisation", "replaces", "replaced_by"
        )
        .prefetch_related(
            Prefetch("categories", queryset=ConsentCategory.objects.order_by("category"))
        )
        if decisions.concerns_actor(actor, consent)
    ]
    # Changing the shared details is granted by an own relationship only: the same ground
    # shows the full identity code and the organisation's part of the access log.
    serving = bool(decisions.decide(actor, client, action=Action.CHANGE, category=BASIC))
    relationships = list(
        ServiceRelationship.objects.filter(client=client)
        .select_related("organisation", "unit")
        .prefetch_related("restorations")
    )
    overview = Overview(
        client=client,
        decision=decision,
        identity_code=client.identity_code if serving else client.masked_identity_code,
        relationships=decisions.visible_relationships(actor, relationships, consents),
        consents=consents,
        may_change=serving,
        may_see_access_log=serving,
        recent_access=list(access_log(client, actor)[:RECENT_LOG_ROWS]) if serving else [],
    )
    overview.relationship_rows = [_relationship_row(actor, r) for r in overview.relationships]
    owners = decisions.OwnerDecisions(actor, client)
    overview.panels = panels.panels("client_overview", client=client, owners=owners)
    record_page_view(actor, client, decision, owners)
    return overview


def access_log(client: Client, actor: Actor | None = None) -> QuerySet[AccessLogEntry]:
    """Rows about the client, newest first, including records merged into it; for an
    ``actor``, only the rows the policy shows them (``decisions.access_log_rows``)."""
    public_ids = [client.public_id, *client.merged_from.values_list("public_id", flat=True)]
    rows = AccessLogEntry.objects.filter(client_public_id__in=public_ids)
    if actor is not None:
        rows = rows.filter(decisions.access_log_rows(actor))
    # The organisations come along to name them in the reader's language.
    return rows.select_related("organisation", "owner").order_by("-sequence")


def _client_for_log(
    actor: Actor, public_id: UUID | str, action: Action
) -> tuple[Client, decisions.Decision]:
    client, _decision = get_visible_client(actor, public_id)
    decision = decisions.granted_or_refused(
        lambda asked: decisions.access_log_decision(actor, client, asked), action
    )
    return client, decision


@dataclass
class ClientLog:
    client: Client
    # The policy's answer for ``action``, the act the log was opened for.
    action: Action
    decision: decisions.Decision
    # The rows the actor may see, newest first, and the organisations that made them.
    rows: QuerySet[AccessLogEntry]
    organisations: list[tuple[int, str]]


@transaction.atomic
def client_access_log(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> ClientLog:
    """Who has seen this client's data: for those serving the client (and, later, the
    client), as the policy decides (``decisions.access_log_decision``) for ``action``. A
    look (``VIEW``) is logged here; an export by ``export_access_log``."""
    client, decision = _client_for_log(actor, public_id, action)
    if action == Action.VIEW:
        record_view(actor, client, decision)
    rows = access_log(client, actor)
    # Each organisation as the rows recorded it, in the reader's language when it still
    # bears that official name.
    organisations = sorted(
        {
            (pk, localized(name, names) if name == recorded else recorded)
            for pk, recorded, name, names in rows.order_by()
            .values_list(
                "organisation_id", "organisation_name", "organisation__name", "organisation__names"
            )
            .distinct()
            if pk is not None
        },
        key=lambda organisation: (organisation[1], organisation[0]),
    )
    return ClientLog(client, action, decision, rows, organisations)


@transaction.atomic
def export_access_log(
    actor: Actor, log: ClientLog, log_filter: audit_selectors.LogFilter, out: Writable
) -> int:
    """Write the client's access log (``client_access_log`` for ``Action.EXPORT``),
    narrowed by ``log_filter``, as CSV to ``out``. The export is logged before the rows are
    read, in the same transaction. Returns the number of rows written."""
    if log.action != Action.EXPORT:
        raise ValueError("The log was not opened for export.")
    record(
        actor=actor,
        accesses=[
            Access.granted(
                log.client.public_id,
                log.decision,
                Action.EXPORT,
                [BASIC],
                event=AuditEvent.ACCESS_LOG_EXPORTED,
            )
        ],
    )
    rows = audit_selectors.filtered(log.rows, log_filter)
    return write_csv(rows.iterator(chunk_size=2000), out)


@transaction.atomic
def records_for_merge(actor: Actor, public_ids: list[UUID]) -> list[Client]:
    """The identity of records an administrator is about to merge; the look is logged."""
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied
    found = Client.objects.in_bulk(public_ids, field_name="public_id")
    records = [found[public_id] for public_id in public_ids if public_id in found]
    withhold_addresses(actor, records)
    maintenance = actor.for_purpose(Purpose.REGISTER_MAINTENANCE)
    decided = decisions.decide_many(
        maintenance, {c.pk: None for c in records}, action=Action.LOOKUP, category=BASIC
    )
    record(
        actor=actor,
        accesses=[_access(c, decided[c.pk], Action.LOOKUP, [BASIC]) for c in records],
    )
    return records


@transaction.atomic
def possible_duplicates(
    actor: Actor,
    first_names: str,
    last_name: str,
    birth_date: date,
    *,
    organisation: Organisation,
) -> bool:
    """Whether a person with the same name and birth date exists (no more is revealed).

    This is a lookup made for ``organisation``, counted and refused as one
    (``begin_lookup``); finding that a person exists is logged for each person found, as a
    look before starting a relationship."""
    membership = begin_lookup(actor, organisation)
    matches = list(
        Client.objects.filter(
            birth_date=birth_date,
            search_name=search_key(last_name, first_names),
            merged_into__isnull=True,
        ).only("public_id")
    )
    record(
        actor=actor,
        accesses=[_lookup(person, membership) for person in matches],
    )
    return bool(matches)


# Consents and relationships: what an act will change, and the history of corrections ---------


@dataclass
class WithdrawingConsent:
    """What withdrawing a consent ends besides the consent's own disclosure."""

    # Open referral grounds that rest on the consent, between the actor's organisation and
    # another (others are not the actor's to know of).
    referral_grants: list[ReferralGrant]


def withdrawing_consent(actor: Actor, consent: Consent) -> WithdrawingConsent:
    """For a consent that ``access_consent`` has opened to the actor for changing."""
    own = decisions.acting_organisation_id(actor)
    grants = (
        ReferralGrant.objects.open()
        .filter(consents=consent)
        .filter(Q(sender_id=own) | Q(receiver_id=own))
        .select_related("sender", "receiver")
        .order_by("opened_at")
    )
    return WithdrawingConsent(referral_grants=list(grants))


@dataclass
class RelationshipPage:
    relationship: ServiceRelationship
    restorations: list[RelationshipRestoration]
    may_end: bool
    may_restore: bool
    # Whether the actor may still open the client's page (through any ground).
    may_see_client: bool


@transaction.atomic
def relationship_page(
    actor: Actor, client_public_id: UUID | str, public_id: UUID | str
) -> RelationshipPage:
    """A service relationship and its corrections, for its own organisation; logged."""
    relationship, decision = access_relationship(actor, client_public_id, public_id)
    row = _relationship_row(actor, relationship)
    page = RelationshipPage(
        relationship=relationship,
        restorations=list(relationship.restorations.select_related("ended_by", "corrected_by")),
        may_end=row.may_end,
        may_restore=row.may_restore,
        may_see_client=bool(
            decisions.decide(actor, relationship.client, action=Action.VIEW, category=BASIC)
        ),
    )
    record_view(actor, relationship.client, decision)
    return page


@dataclass
class EndingRelationship:
    """What ending a service relationship changes besides the relationship itself."""

    # The organisation's other relationships with the client that go on.
    still_serving: list[ServiceRelationship]
    # Other capabilities' consequences (open referrals between the organisation and others).
    panels: list[Panel] = field(default_factory=list)


def ending_relationship(actor: Actor, relationship: ServiceRelationship) -> EndingRelationship:
    """For a relationship that ``access_relationship`` has opened to the actor for
    changing; the panels log what they list."""
    return EndingRelationship(
        still_serving=list(
            ServiceRelationship.objects.active()
            .filter(client_id=relationship.client_id, organisation_id=relationship.organisation_id)
            .exclude(pk=relationship.pk)
        ),
        panels=panels.panels("relationship_end", actor=actor, relationship=relationship),
    )
