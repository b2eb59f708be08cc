"""Personal data declared where it lives: one registry for subject-access export and
anonymisation (DESIGN §5.7).

Each app declares, in its own ``personal_data.py`` (imported from its ``AppConfig.ready``),
every model that holds data about a client: how its rows are found from the client, which
fields are personal and which of those are special-category (health, social welfare), how
each personal field is anonymised, and which fields never leave in an export (keys and
hashes). The same app registers the holds that keep a client's data from being anonymised
while it is still needed (an open service relationship, an open episode).

``polku.clients.lifecycle`` exports and anonymises a person through this registry alone,
so a new app only declares its models here. A test fails when a model that reaches the
client through foreign keys is not declared.

The registry knows no app: it works on whatever models are declared, by their field names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

# The neutral value of a required text field (names, goals, journal entries) after
# anonymisation: the same in every language, and never a real name.
ANONYMISED_TEXT = "***"

# A replacement is a constant, or a function of the old value giving the new one.
Replacement = Any
ClientLookup = str


@dataclass(frozen=True)
class PersonalData:
    """One model's declaration.

    ``client_lookup`` is the ORM path from the model to the client (``"client"``,
    ``"episode__client"``, ``"pk"`` for the client itself); with ``by_public_id`` the path
    ends at a field holding the client's public id instead of a key (the access log).
    ``personal`` maps each field that identifies or describes the person in their own terms
    (names, contact details, free text) to its replacement at anonymisation; everything else
    in the rows is about the person too, and is exported, but is kept because statistics
    need it (dates, scores, municipality). ``special_category`` names the fields that hold
    health or social-welfare data (GDPR art. 9), replaced or not.
    """

    model: type[models.Model]
    client_lookup: ClientLookup
    personal: Mapping[str, Replacement] = field(default_factory=dict)
    special_category: frozenset[str] = frozenset()
    not_exported: frozenset[str] = frozenset()
    by_public_id: bool = False
    # More values for the export, computed from a row (the decrypted identity code).
    more_values: Callable[[Any], dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, clients: Sequence[Any]) -> models.QuerySet[Any]:
        """The rows about ``clients`` (client instances)."""
        keys = [client.public_id if self.by_public_id else client.pk for client in clients]
        return self.model._default_manager.filter(**{f"{self.client_lookup}__in": keys})

    def exported_fields(self) -> list[models.Field[Any, Any]]:
        return [
            model_field
            for model_field in self.model._meta.concrete_fields
            if model_field.name not in self.not_exported
        ]

    def export_row(self, row: models.Model) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for model_field in self.exported_fields():
            if model_field.is_relation:
                related = getattr(row, model_field.name)
                values[model_field.name] = _reference(related)
            else:
                values[model_field.name] = model_field.value_from_object(row)
        if self.more_values is not None:
            values.update(self.more_values(row))
        return values


def _reference(related: models.Model | None) -> str | None:
    """How a row names another: by its public id where it has one, else by its name."""
    if related is None:
        return None
    public_id = getattr(related, "public_id", None)
    return str(public_id) if public_id is not None else str(related)


# The reason a client's data must still be kept (a translated sentence), or None.
RetentionHold = Callable[[Sequence[Any]], str | None]

_declarations: dict[str, PersonalData] = {}
_holds: list[RetentionHold] = []


def declare(
    model: type[models.Model],
    *,
    client_lookup: ClientLookup,
    personal: Mapping[str, Replacement] | None = None,
    special_category: Iterable[str] = (),
    not_exported: Iterable[str] = (),
    by_public_id: bool = False,
    more_values: Callable[[Any], dict[str, Any]] | None = None,
) -> PersonalData:
    """Declare ``model``'s personal data; declaring a model again replaces its declaration."""
    declaration = PersonalData(
        model=model,
        client_lookup=client_lookup,
        personal=dict(personal or {}),
        special_category=frozenset(special_category),
        not_exported=frozenset(not_exported),
        by_public_id=by_public_id,
        more_values=more_values,
    )
    names = {model_field.name for model_field in model._meta.concrete_fields}
    unknown = (set(declaration.personal) | declaration.special_category) - names
    if unknown:
        raise ValueError(f"{declaration.label} has no fields {sorted(unknown)}")
    _declarations[declaration.label] = declaration
    return declaration


def register_hold(hold: RetentionHold) -> None:
    """Add a check that refuses anonymisation while the data is still needed."""
    if hold not in _holds:
        _holds.append(hold)


def declarations() -> list[PersonalData]:
    """Every declaration, in the order of the installed apps and their models."""
    order = {model._meta.label_lower: n for n, model in enumerate(apps.get_models())}
    return sorted(_declarations.values(), key=lambda d: order.get(d.label, len(order)))


def holds(clients: Sequence[Any]) -> list[str]:
    """Why ``clients``' data cannot be anonymised yet; empty when it can."""
    return [reason for hold in _holds if (reason := hold(clients))]


def export(clients: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Everything declared about ``clients``, by model: its name, its special-category
    fields and its rows (plain values; other rows named by public id or name)."""
    exported: dict[str, dict[str, Any]] = {}
    for declaration in declarations():
        related = [f.name for f in declaration.exported_fields() if f.is_relation]
        rows = declaration.rows(clients).select_related(*related).order_by("pk")
        exported[declaration.label] = {
            "name": str(declaration.model._meta.verbose_name_plural),
            "special_category_fields": sorted(declaration.special_category),
            "rows": [declaration.export_row(row) for row in rows],
        }
    return exported


def anonymise(clients: Sequence[Any]) -> dict[str, int]:
    """Replace every declared personal field of ``clients``' rows; the number of rows
    changed, by model. Call inside the transaction that logs it."""
    changed: dict[str, int] = {}
    for declaration in declarations():
        if not declaration.personal:
            continue
        rows = declaration.rows(clients)
        constant = {k: v for k, v in declaration.personal.items() if not callable(v)}
        computed = {k: v for k, v in declaration.personal.items() if callable(v)}
        count = rows.update(**constant) if constant else 0
        if computed:
            instances = list(rows.only("pk", *computed))
            for instance in instances:
                for name, replace in computed.items():
                    setattr(instance, name, replace(getattr(instance, name)))
            declaration.model._default_manager.bulk_update(instances, list(computed))
            count = max(count, len(instances))
        changed[declaration.label] = count
    return changed


def models_reaching(target_label: str) -> set[str]:
    """Labels of every installed model that reaches ``target_label`` through foreign keys
    (directly, or through an episode, a plan and so on), the target included."""
    reached = {target_label}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in reached:
                continue
            for model_field in model._meta.concrete_fields:
                target = model_field.related_model
                if (
                    model_field.is_relation
                    and isinstance(target, type)
                    and target._meta.label_lower in reached
                ):
                    reached.add(label)
                    grew = True
                    break
    return reached


def undeclared(target_label: str = "clients.client") -> list[str]:
    """Models that hold data about a client but are not declared here."""
    return sorted(models_reaching(target_label) - set(_declarations))
