"""The client: shared identity and contact details of one person.

A person exists once, whatever organisations serve them: the identity code can never make
two clients (a unique keyed hash), and every organisation attaches its own service
relationship (``polku.policy.models.ServiceRelationship``) to the same row. Who may see
what of it is decided by ``polku.policy.decisions``; query through
``Client.objects.visible_to(actor)``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from polku.clients import identity_storage
from polku.clients.enums import Gender, Language
from polku.clients.identity_code import mask_identity_code
from polku.core.models import Municipality
from polku.core.text import fold
from polku.policy.decisions import visible_clients
from polku.policy.enums import DataCategory, Purpose

if TYPE_CHECKING:
    from polku.policy.actors import Actor


# What a non-disclosure for personal safety hides: where the person lives.
ADDRESS_FIELDS = ("municipality", "street_address", "postal_code", "post_office")


def statistical_municipality(field: str = "municipality_id", *, client: str = "client") -> Case:
    """The ``client``'s municipality (or ``field`` of it, ``municipality__name_fi``) for a
    statistic: NULL, counted as not known, for a client under a non-disclosure for personal
    safety, whom no breakdown by municipality may place."""
    return Case(
        When(**{f"{client}__non_disclosure_organisation__isnull": False}, then=Value(None)),
        default=F(f"{client}__{field}"),
    )


def search_key(last_name: str, first_names: str) -> str:
    """ "last first" folded (case and accents, ``core.text.fold``) for prefix search on
    names: "Mäkelä" is found by "makela" as by "mäkelä"."""
    return fold(f"{last_name} {first_names}")


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(
        self,
        actor: Actor,
        *,
        category: DataCategory = DataCategory.BASIC,
        purpose: Purpose | None = None,
    ) -> ClientQuerySet:
        """The clients whose ``category`` data the policy lets ``actor`` list."""
        return self.filter(
            visible_clients(actor, category=category, purpose=purpose), merged_into__isnull=True
        )


class Client(models.Model):
    """One person served by one or more organisations."""

    # Personal data: declared in ``clients/personal_data.py`` (what a subject-access export
    # holds and how ``anonymise_client`` replaces it); nothing here is special-category.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_names = models.CharField(_("first names"), max_length=200)
    last_name = models.CharField(_("last name"), max_length=200)
    identity_code_encrypted = models.TextField(blank=True, editable=False)
    # NULL, not "", when there is no code: many clients without a code, one per code.
    identity_code_hash = models.CharField(  # noqa: DJ001
        max_length=64, null=True, unique=True, editable=False
    )
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.NOT_STATED
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.FINNISH
    )
    plain_language = models.BooleanField(_("plain language preferred"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    search_name = models.CharField(max_length=401, editable=False, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
    )
    # Turvakielto, a non-disclosure for personal safety: the address and the municipality
    # are shown to the organisation that registered it and to nobody else
    # (``decisions.addresses_withheld``); set and lifted by ``services``, on the log.
    non_disclosure_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("non-disclosure registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    non_disclosure_set_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("non-disclosure recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    non_disclosure_set_at = models.DateTimeField(
        _("non-disclosure recorded at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    # Set on an instance whose address fields were blanked for the actor it was loaded for
    # (``withhold_address``): such an instance is for showing and must never be saved.
    address_withheld = False

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_names"]
        indexes = [
            models.Index(fields=["birth_date", "search_name"], name="client_birth_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="client_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(
                    non_disclosure_organisation__isnull=True,
                    non_disclosure_set_by__isnull=True,
                    non_disclosure_set_at__isnull=True,
                )
                | Q(
                    non_disclosure_organisation__isnull=False,
                    non_disclosure_set_by__isnull=False,
                    non_disclosure_set_at__isnull=False,
                ),
                name="client_non_disclosure_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.address_withheld:
            raise RuntimeError("This client was loaded without its address; load it again.")
        self.search_name = search_key(self.last_name, self.first_names)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def under_non_disclosure(self) -> bool:
        """Whether a non-disclosure for personal safety (turvakielto) is in force."""
        return self.non_disclosure_organisation_id is not None

    def withhold_address(self) -> None:
        """Blank the address and municipality of this instance, for an actor the policy
        does not show them to; the instance can no longer be saved."""
        for name in ADDRESS_FIELDS:
            setattr(self, name, None if name == "municipality" else "")
        self.address_withheld = True

    @property
    def identity_code(self) -> str:
        """The decrypted identity code; show it only where the policy allows."""
        if not self.identity_code_encrypted:
            return ""
        return identity_storage.decrypt(self.identity_code_encrypted)

    @property
    def masked_identity_code(self) -> str:
        return mask_identity_code(self.identity_code) if self.identity_code_encrypted else ""

    def set_identity_code(self, value: str) -> None:
        """Store a validated, normalised identity code (or clear it with "")."""
        if value:
            self.identity_code_encrypted = identity_storage.encrypt(value)
            self.identity_code_hash = identity_storage.lookup_hash(value)
        else:
            self.identity_code_encrypted = ""
            self.identity_code_hash = None


class IdentityLookup(models.Model):
    """One search for a person by identity code (or by name and birth date at registration).

    Counted to limit how many persons a user can look up per hour, found or not, across all
    app processes. It holds neither the code nor the person: the access log records whom a
    lookup found.
    """

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("professional"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    made_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("identity lookup")
        verbose_name_plural = _("identity lookups")
        indexes = [models.Index(fields=["user", "made_at"], name="clients_lookup_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.made_at:%Y-%m-%d %H:%M}"
