"""Reads of client data. Each one asks the policy, and logs what it returns.

Every function here that returns client data writes its access-log rows before returning,
inside a transaction: call them from a view wrapped in ``transaction.atomic`` so that the
response and its log rows stand or fall together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from polku.audit.models import AccessLogEntry
from polku.audit.services import Access, Origin, record
from polku.clients import identity_storage
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import Client, search_key
from polku.core import panels
from polku.core.panels import Panel
from polku.policy import decisions
from polku.policy.enums import Action, BasisKind, DataCategory
from polku.policy.models import Consent, ConsentCategory, ServiceRelationship

SEARCH_LIMIT = 50
# At most this many matches are sorted to pick the first SEARCH_LIMIT; more than that
# means the search is too broad to be useful, and the page asks to narrow it.
SEARCH_CANDIDATES = 1000
RECENT_LOG_ROWS = 10
DATE_PATTERN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# Six digits and five more characters: meant as an identity code, so validate it as one.
IDENTITY_CODE_LIKE = re.compile(r"[0-9]{6}\S{5}")


def _access(
    client: Client, decision: decisions.Decision, action: Action, categories: list[DataCategory]
) -> Access:
    return Access.granted(client.public_id, decision, action, categories)


def _lookup(person: Client) -> Access:
    """Finding that a person exists, before any relationship: identity only."""
    return Access(
        client_public_id=person.public_id,
        action=Action.LOOKUP,
        categories=[DataCategory.BASIC],
        organisation=None,
        basis=BasisKind.STARTING_RELATIONSHIP,
    )


def get_visible_client(
    origin: Origin, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Client, decisions.Decision]:
    """The client, if the policy lets the user take ``action`` on its basic details.

    Raises ``Http404`` when the user may not see the client, ``PermissionDenied`` when the
    user may see but not take the action."""
    client = Client.objects.filter(public_id=public_id, merged_into__isnull=True).first()
    if client is None:
        raise Http404
    return client, decisions.require(origin.user, client, action=action)


def record_view(
    origin: Origin,
    client: Client,
    decision: decisions.Decision,
    categories: list[DataCategory] | None = None,
) -> None:
    """Log that a page showed the client's data; call before rendering it."""
    record(
        origin=origin,
        accesses=[_access(client, decision, Action.VIEW, categories or [DataCategory.BASIC])],
    )


@dataclass
class SearchResult:
    query: str
    clients: list[Client] = field(default_factory=list)
    # A full identity code of a person the user may not see: only that the person exists.
    unrelated_person: Client | None = None
    identity_code: str = ""
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
def search_clients(origin: Origin, query: str) -> SearchResult:
    """Find clients the user may see by name, birth date (d.m.yyyy) or identity code.

    Only clients within the policy are listed, each logged as listed. A full identity code
    of a person outside it yields the person's name only, so that a service relationship
    can be started; that lookup is logged too.
    """
    query = " ".join(query.split())
    result = SearchResult(query=query)
    if not query:
        return result
    visible = Client.objects.visible_to(origin.user)
    if IDENTITY_CODE_LIKE.fullmatch(query):
        try:
            code = parse_identity_code(query).value
        except ValidationError as error:
            result.error = " ".join(error.messages)
            return result
        person = Client.objects.filter(
            identity_code_hash=identity_storage.lookup_hash(code), merged_into__isnull=True
        ).first()
        if person is None:
            return result
        result.identity_code = code
        decision = decisions.decide(
            origin.user, person, action=Action.LIST, category=DataCategory.BASIC
        )
        if decision:
            result.clients = [person]
            record(
                origin=origin,
                accesses=[_access(person, decision, Action.LIST, [DataCategory.BASIC])],
            )
        else:
            result.unrelated_person = person
            record(
                origin=origin,
                accesses=[_lookup(person)],
            )
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
    decided = decisions.decide_many(
        origin.user,
        dict.fromkeys((client.pk for client in result.clients), None),
        action=Action.LIST,
        category=DataCategory.BASIC,
    )
    record(
        origin=origin,
        accesses=[
            _access(client, decided[client.pk], Action.LIST, [DataCategory.BASIC])
            for client in result.clients
        ],
    )
    return result


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


def _visible_relationships(
    client: Client, own_ids: set[int], consents: list[Consent]
) -> list[ServiceRelationship]:
    """The user's own organisations' relationships, and those of organisations that
    disclose to them under a valid consent; other relationships are not revealed."""
    relationships = list(
        ServiceRelationship.objects.filter(client=client).select_related("organisation", "unit")
    )
    disclosers = {c.discloser_id for c in consents if c.is_valid() and c.recipient_id in own_ids}
    return [
        r
        for r in relationships
        if r.organisation_id in own_ids
        or r.organisation_id in disclosers
        or (None in disclosers and r.is_active())
    ]


@transaction.atomic
def client_overview(origin: Origin, public_id: UUID | str) -> Overview:
    """The case worker's first page on a client; logged as one view of basic details.

    Only what concerns the user's own organisations is shown: their relationships, the
    consents they recorded or are named in, and what those consents disclose.
    """
    client, decision = get_visible_client(origin, public_id)
    own_ids = {m.organisation_id for m in decisions.client_work_memberships(origin.user)}
    consents = [
        consent
        for consent in Consent.objects.filter(client=client)
        .select_related("discloser", "recipient", "recorded_by_organisation")
        .prefetch_related(
            Prefetch("categories", queryset=ConsentCategory.objects.order_by("category"))
        )
        if own_ids
        & {consent.recipient_id, consent.discloser_id, consent.recorded_by_organisation_id}
    ]
    serving = decision.basis == BasisKind.SERVICE_RELATIONSHIP
    overview = Overview(
        client=client,
        decision=decision,
        identity_code=client.identity_code if serving else client.masked_identity_code,
        relationships=_visible_relationships(client, own_ids, consents),
        consents=consents,
        may_change=serving,
        may_see_access_log=serving,
        recent_access=list(access_log(client, own_ids)[:RECENT_LOG_ROWS]) if serving else [],
    )
    owners = decisions.OwnerDecisions(origin.user, client)
    overview.panels = panels.panels("client_overview", client=client, owners=owners)
    record_view(origin, client, decision, sorted(owners.used_categories() | {DataCategory.BASIC}))
    return overview


def access_log(
    client: Client, organisation_ids: set[int] | None = None
) -> QuerySet[AccessLogEntry]:
    """Rows about the client, newest first, including records merged into it.

    A professional sees the accesses made in their own organisations (``organisation_ids``)
    and the reads and writes of their organisations' own records by others (rows whose
    owner is one of them, e.g. on the client's consent): a controller sees who used its
    register. The rest would reveal which other organisations serve the client. The client
    sees all.
    """
    public_ids = [client.public_id, *client.merged_from.values_list("public_id", flat=True)]
    rows = AccessLogEntry.objects.filter(client_public_id__in=public_ids)
    if organisation_ids is not None:
        rows = rows.filter(
            Q(organisation_id__in=organisation_ids) | Q(owner_id__in=organisation_ids)
        )
    return rows.order_by("-sequence")


@transaction.atomic
def client_access_log(
    origin: Origin, public_id: UUID | str
) -> tuple[Client, QuerySet[AccessLogEntry]]:
    """Who has seen this client's data: for those serving the client (and, later, the client)."""
    client, decision = get_visible_client(origin, public_id)
    if decision.basis != BasisKind.SERVICE_RELATIONSHIP:
        raise Http404
    record_view(origin, client, decision)
    own_ids = {m.organisation_id for m in decisions.client_work_memberships(origin.user)}
    return client, access_log(client, own_ids)


@transaction.atomic
def records_for_merge(origin: Origin, public_ids: list[UUID]) -> list[Client]:
    """The identity of records an administrator is about to merge; the look is logged."""
    if not decisions.may_manage_configuration(origin.user):
        raise PermissionDenied
    found = Client.objects.in_bulk(public_ids, field_name="public_id")
    records = [found[public_id] for public_id in public_ids if public_id in found]
    record(
        origin=origin,
        accesses=[
            Access(
                client_public_id=client.public_id,
                action=Action.LOOKUP,
                categories=[DataCategory.BASIC],
                organisation=None,
                role="administrator",
                basis=BasisKind.ADMINISTRATION,
            )
            for client in records
        ],
    )
    return records


def possible_duplicates(origin: Origin, first_names: str, last_name: str, birth_date: date) -> bool:
    """Whether a person with the same name and birth date exists (no more is revealed).

    Like a lookup by identity code, finding that a person exists is logged for each person
    found, as a look before starting a relationship."""
    matches = list(
        Client.objects.filter(
            birth_date=birth_date,
            search_name=search_key(last_name, first_names),
            merged_into__isnull=True,
        ).only("public_id")
    )
    record(
        origin=origin,
        accesses=[_lookup(person) for person in matches],
    )
    return bool(matches)
