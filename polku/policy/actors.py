"""Who acts: the closed set of actors the access policy decides for and the log names.

Every service takes ``actor=`` and every decision is made for an ``Actor``. There are five
kinds and no others:

* a **professional** acting through exactly one membership (organisation, unit, role) —
  a person with memberships in two organisations acts for one of them at a time;
* the **client** themselves (the client portal);
* an **API client** bound to one organisation, its scopes and one purpose;
* the **holder of a single-use link**, scoped to one object (a questionnaire to answer,
  an employer's feedback form on a work trial);
* a named **system job** (daily alerts, schedules, subject-access exports).

An actor also carries where the act came from (address, browser, page) for the log. The
page path is stored without its query string, which may hold what was searched for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import wraps
from typing import Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership, Organisation, User
from polku.core.requests import client_address
from polku.policy.enums import Purpose

USER_AGENT_LENGTH = 300
PATH_LENGTH = 500
SESSION_MEMBERSHIP_KEY = "polku_membership"
ViewFunction = Callable[..., Any]


class ActorKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    CLIENT = "client", _("The client")
    API_CLIENT = "api_client", _("API client")
    LINK_HOLDER = "link_holder", _("Holder of a single-use link")
    SYSTEM = "system", _("System job")


@dataclass(frozen=True)
class LinkScope:
    """The one object a single-use link opens, and whose it is.

    ``recipient`` is the outside party the link is handed to (an employer's organisation
    for a work trial's feedback link), when it is not the client: the link then opens its
    object only while the client's consent to disclose to that recipient is valid."""

    model: str  # app_label.model_name, e.g. "measures.administration"
    object_id: int
    client_id: int
    owner: Organisation
    recipient: Organisation | None = None


@dataclass(frozen=True)
class ApiGrant:
    """An API client's standing: one organisation, its scopes, one purpose."""

    name: str
    organisation: Organisation
    purpose: Purpose
    scopes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Actor:
    """One actor of one of the five kinds; build it with the class methods below."""

    kind: ActorKind
    user: User | None = None
    membership: Membership | None = None
    client_id: int | None = None
    client_public_id: UUID | None = None
    link: LinkScope | None = None
    api: ApiGrant | None = None
    job: str = ""
    # What the page, API scope or job serves; every decision and log row carries it. A
    # request's actor has none until its view declares one (``serves``), and the policy
    # answers no question about client data for an actor without a purpose.
    purpose: Purpose | None = Purpose.SERVICE_COORDINATION
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""

    # --- building -----------------------------------------------------------------------

    @classmethod
    def professional(cls, membership: Membership, **where: Any) -> Actor:
        return cls(
            kind=ActorKind.PROFESSIONAL, user=membership.user, membership=membership, **where
        )

    @classmethod
    def for_user(cls, user: User, *, membership_id: int | None = None, **where: Any) -> Actor:
        """The user acting through the chosen membership, if it is theirs and active today,
        else through their first client-work membership, else their first membership.
        A user without an active membership is still a professional, through none."""
        memberships = [m for m in _active_memberships(user) if m.user_id == user.pk]
        chosen = next((m for m in memberships if m.pk == membership_id), None)
        if chosen is None:
            chosen = next((m for m in memberships if m.role in CLIENT_WORK_ROLES), None)
        if chosen is None and memberships:
            chosen = memberships[0]
        return cls(kind=ActorKind.PROFESSIONAL, user=user, membership=chosen, **where)

    @classmethod
    def of(cls, request: HttpRequest) -> Actor:
        """The signed-in professional behind a request, through the membership they chose
        for this session (the switcher in the page header). Asked once per request."""
        cached = getattr(request, "_polku_actor", None)
        if cached is not None:
            return cached
        user = request.user
        assert isinstance(user, User)
        actor = cls.for_user(
            user,
            membership_id=request.session.get(SESSION_MEMBERSHIP_KEY),
            purpose=getattr(request, "polku_purpose", None),
            **where_from(request),
        )
        request._polku_actor = actor  # type: ignore[attr-defined]
        return actor

    @classmethod
    def client_self(cls, client: Any, **where: Any) -> Actor:
        return cls(
            kind=ActorKind.CLIENT,
            client_id=client.pk,
            client_public_id=client.public_id,
            **where,
        )

    @classmethod
    def link_holder(cls, scope: LinkScope, **where: Any) -> Actor:
        return cls(kind=ActorKind.LINK_HOLDER, link=scope, client_id=scope.client_id, **where)

    @classmethod
    def api_client(cls, grant: ApiGrant, **where: Any) -> Actor:
        return cls(kind=ActorKind.API_CLIENT, api=grant, **where)

    @classmethod
    def system(cls, job: str, purpose: Purpose = Purpose.SERVICE_COORDINATION) -> Actor:
        return cls(kind=ActorKind.SYSTEM, job=job, purpose=purpose)

    def for_purpose(self, purpose: Purpose) -> Actor:
        return replace(self, purpose=purpose)

    def declared_purpose(self) -> Purpose:
        """The purpose the actor's page, API scope or job declared; a page that reads client
        data without declaring one is a programming error, not a refusal."""
        if self.purpose is None:
            raise ImproperlyConfigured(
                f"{self.path or 'this view'} asks about client data but declares no purpose: "
                "decorate the view with @serves(Purpose....)"
            )
        return self.purpose

    @property
    def person(self) -> User:
        """The professional behind the act, for records that name their author."""
        if self.user is None:
            raise PermissionDenied
        return self.user

    # --- what the policy and the log read -----------------------------------------------

    @property
    def organisation(self) -> Organisation | None:
        """The organisation the actor acts for, if any."""
        if self.membership is not None:
            return self.membership.organisation
        if self.api is not None:
            return self.api.organisation
        if self.link is not None:
            return self.link.owner
        return None

    @property
    def role(self) -> str:
        return self.membership.role if self.membership is not None else ""

    @property
    def is_staff(self) -> bool:
        """An administrator: manages configuration, never reads client content."""
        return (
            self.kind == ActorKind.PROFESSIONAL
            and self.user is not None
            and self.user.is_active
            and self.user.is_staff
        )

    def client_work_membership(self, on: date | None = None) -> Membership | None:
        """The membership through which the actor does client work on ``on``, if any."""
        membership = self.membership
        if (
            self.kind != ActorKind.PROFESSIONAL
            or membership is None
            or self.user is None
            or not self.user.is_active
            or membership.role not in CLIENT_WORK_ROLES
            or not membership.organisation.is_active
        ):
            return None
        on = on or timezone.localdate()
        if membership.valid_from > on or (membership.valid_until and membership.valid_until < on):
            return None
        return membership

    @property
    def log_id(self) -> str:
        """Who, as the log stores it: stable, and meaningful without a join."""
        if self.kind == ActorKind.PROFESSIONAL and self.user is not None:
            return str(self.user.pk)
        if self.kind == ActorKind.CLIENT:
            return str(self.client_public_id or "")
        if self.link is not None:
            return f"{self.link.model}:{self.link.object_id}"
        if self.api is not None:
            return self.api.name
        return self.job

    @property
    def display_name(self) -> str:
        if self.kind == ActorKind.PROFESSIONAL and self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        if self.kind == ActorKind.CLIENT:
            return str(_("The client"))
        if self.kind == ActorKind.LINK_HOLDER:
            return str(_("Holder of a single-use link"))
        if self.api is not None:
            return self.api.name
        return self.job


def serves(purpose: Purpose) -> Callable[[ViewFunction], ViewFunction]:
    """Declare the purpose a view serves: its actor decides and logs for that purpose."""

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            request.polku_purpose = purpose  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.polku_purpose = purpose  # type: ignore[attr-defined]
        return wrapped

    return decorate


def where_from(request: HttpRequest) -> dict[str, Any]:
    """Address, browser and page (never the query string) of a request."""
    return {
        "ip_address": client_address(request),
        "user_agent": request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        "path": request.path[:PATH_LENGTH],
    }


def _active_memberships(user: User) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation", "unit", "user")
        .order_by("organisation__name", "organisation_id", "role")
    )
