"""Writes on employers and the employer engagement log: one function per act.

Employers are shared master data: any professional in client work may add and edit them
(``decisions.may_manage_employers``). They are not client data, so these acts write no
access-log rows. A contact in the engagement log is recorded by the acting coach for the
organisation they act for, which owns the row. Refused acts raise ``PermissionDenied``,
bad input ``ValidationError``; either way nothing is saved.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import OrganisationKind
from polku.accounts.models import Organisation
from polku.core.models import Industry, Municipality
from polku.employment.models import (
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    SizeBand,
)
from polku.policy import decisions
from polku.policy.actors import Actor

EMPLOYER_FIELDS = (
    "name",
    "business_id",
    "industry",
    "size_band",
    "municipality",
    "address",
    "organisation",
    "is_active",
)
CONTACT_PERSON_FIELDS = ("name", "title", "phone", "email", "is_active")


def _require_employer_work(actor: Actor) -> Organisation:
    if not decisions.may_manage_employers(actor):
        raise PermissionDenied(_("Only professionals in client work manage employers."))
    membership = actor.client_work_membership()
    assert membership is not None
    return membership.organisation


def _check_linked_organisation(organisation: Organisation | None) -> None:
    if organisation is not None and organisation.kind != OrganisationKind.EMPLOYER:
        raise ValidationError(
            {"organisation": _("Only an organisation of the kind employer can be linked.")}
        )


@transaction.atomic
def create_employer(
    *,
    actor: Actor,
    name: str,
    municipality: Municipality,
    business_id: str = "",
    industry: Industry | None = None,
    size_band: SizeBand | str = "",
    address: str = "",
    organisation: Organisation | None = None,
) -> Employer:
    """Add an employer to the shared register. The business ID, when given, must have a
    valid check digit and must not be registered already."""
    acting_for = _require_employer_work(actor)
    _check_linked_organisation(organisation)
    employer = Employer(
        name=name.strip(),
        business_id=business_id.strip(),
        industry=industry,
        size_band=size_band,
        municipality=municipality,
        address=address.strip(),
        organisation=organisation,
        created_by_organisation=acting_for,
    )
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def update_employer(employer: Employer, *, actor: Actor, **changes: object) -> Employer:
    """Change an employer's details (any of ``EMPLOYER_FIELDS``)."""
    _require_employer_work(actor)
    unknown = set(changes) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"not an employer's editable field: {', '.join(sorted(unknown))}")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    for field_name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(employer, field_name, value)
    _check_linked_organisation(employer.organisation)
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def add_contact_person(
    employer: Employer,
    *,
    actor: Actor,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
) -> EmployerContactPerson:
    _require_employer_work(actor)
    person = EmployerContactPerson(
        employer=employer,
        name=name.strip(),
        title=title.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def update_contact_person(
    person: EmployerContactPerson, *, actor: Actor, **changes: object
) -> EmployerContactPerson:
    """Change a contact person's details or mark them no longer active (people are not
    deleted: the engagement log may name them)."""
    _require_employer_work(actor)
    unknown = set(changes) - set(CONTACT_PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not a contact person's editable field: {', '.join(sorted(unknown))}")
    person = EmployerContactPerson.objects.select_for_update().get(pk=person.pk)
    for field_name, value in changes.items():
        setattr(person, field_name, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def record_employer_contact(
    *,
    actor: Actor,
    employer: Employer,
    date: date,
    mode: ContactMode | str,
    purpose: ContactPurpose | str,
    contact_person: EmployerContactPerson | None = None,
    result: str = "",
    next_step: str = "",
    next_step_date: date | None = None,
) -> EmployerContact:
    """Record the acting coach's contact with an employer in the engagement log of the
    organisation they act for."""
    if not decisions.may_record_employer_contact(actor):
        raise PermissionDenied(_("Only professionals in client work record employer contacts."))
    membership = actor.client_work_membership()
    assert membership is not None
    errors: dict[str, str] = {}
    if contact_person is not None and contact_person.employer_id != employer.pk:
        errors["contact_person"] = _("The contact person must work at this employer.")
    if date > timezone.localdate():
        errors["date"] = _("A contact cannot be recorded in the future.")
    if next_step_date is not None and next_step_date < date:
        errors["next_step_date"] = _("The next step cannot come before the contact.")
    if errors:
        raise ValidationError(errors)
    contact = EmployerContact(
        date=date,
        coach=actor.person,
        organisation=membership.organisation,
        employer=employer,
        contact_person=contact_person,
        mode=mode,
        purpose=purpose,
        result=result.strip(),
        next_step=next_step.strip(),
        next_step_date=next_step_date,
    )
    contact.full_clean()
    contact.save()
    return contact
