"""Writes on research studies, and the making of their extracts: one function per act.

A study is configuration, not client data: recording, approving and closing it write no
access-log rows. An extract discloses client data: ``make_extract`` writes, in one
transaction with the extract's record, one access-log row per person in it (action
export, purpose research, the ground ``RESEARCH_STUDY`` with the study's public id, the
disclosing organisation as owner).

What ``make_extract`` returns is one ZIP file with ``extract.csv`` (a row per episode) and
``codebook.csv`` (a row per variable: its columns, description, generalisation and what
this extract generalised); the SHA-256 recorded is that of the ZIP.

A refused act raises ``PermissionDenied``, bad input a ``ValidationError`` named by the form
field it concerns; either way nothing is saved and nothing is logged.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.audit.services import Access, record
from polku.insights.enums import STUDY_TRANSITIONS, DateHandling, StudyState
from polku.insights.models import ResearchExtract, Study
from polku.insights.research_extracts import build_extract
from polku.insights.research_variables import VARIABLES, in_catalogue_order
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, Purpose

KEY_BYTES = 32


@dataclass(frozen=True)
class ExtractFile:
    """The file given out and its record."""

    filename: str
    content: bytes
    record: ResearchExtract


def _check_variables(variables: list[str]) -> list[str]:
    unknown = sorted(set(variables) - set(VARIABLES))
    if unknown:
        raise ValidationError(
            {"variables": _("Unknown variable: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    if not variables:
        raise ValidationError({"variables": _("Choose at least one variable.")})
    return in_catalogue_order(variables)


@transaction.atomic
def record_study(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    title: str,
    purpose: str,
    approver: str,
    decision_reference: str,
    decision_date: date,
    data_from: date,
    data_until: date,
    variables: list[str],
    date_handling: DateHandling | str = DateHandling.SHIFT,
    closes_on: date | None = None,
) -> Study:
    """A study as a draft, with a new random pseudonym key; an administrator who did not
    record it approves it (``approve_study``)."""
    if not decisions.may_record_study(actor, organisation):
        raise PermissionDenied(_("You may not record a study for this organisation."))
    code = code.strip()
    if data_until < data_from:
        raise ValidationError({"data_until": _("The data range cannot end before it starts.")})
    chosen = _check_variables(variables)
    if date_handling not in DateHandling.values:
        raise ValidationError({"date_handling": _("Choose how the dates are given.")})
    if Study.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("A study with this id has been recorded already.")})
    study = Study(
        organisation=organisation,
        code=code,
        title=title.strip(),
        purpose=purpose.strip(),
        approver=approver.strip(),
        decision_reference=decision_reference.strip(),
        decision_date=decision_date,
        data_from=data_from,
        data_until=data_until,
        variables=chosen,
        date_handling=date_handling,
        closes_on=closes_on,
        recorded_by=actor.person,
    )
    study.set_pseudonym_key(secrets.token_bytes(KEY_BYTES))
    study.full_clean()
    study.save()
    return study


def _lock(study: Study) -> Study:
    return Study.objects.select_for_update().get(pk=study.pk)


@transaction.atomic
def approve_study(*, actor: Actor, study: Study) -> Study:
    """The study approved: extracts may be made for it from now on."""
    study = _lock(study)
    if not decisions.may_approve_study(actor, study):
        raise PermissionDenied(
            _("Only an administrator who did not record the study approves a draft.")
        )
    study.state = StudyState.APPROVED
    study.approved_by = actor.person
    study.approved_at = timezone.now()
    study.save(update_fields=["state", "approved_by", "approved_at"])
    return study


@transaction.atomic
def close_study(*, actor: Actor, study: Study) -> Study:
    """The study closed: no more extracts, and it cannot be opened again."""
    study = _lock(study)
    if StudyState.CLOSED not in STUDY_TRANSITIONS[StudyState(study.state)] or not (
        decisions.may_close_study(actor, study)
    ):
        raise PermissionDenied(_("You may not close this study."))
    study.state = StudyState.CLOSED
    study.closed_by = actor.person
    study.closed_at = timezone.now()
    study.save(update_fields=["state", "closed_by", "closed_at"])
    return study


@transaction.atomic
def make_extract(*, actor: Actor, study: Study) -> ExtractFile:
    """The study's pseudonymised extract as one ZIP (``extract.csv``, ``codebook.csv``),
    recorded with its SHA-256, and each person in it on the access log once."""
    study = _lock(study)
    if not decisions.may_make_extract(actor, study):
        raise PermissionDenied(
            _(
                "An extract is made by an analyst of the disclosing organisation, "
                "for an approved study whose permit is in force."
            )
        )
    extract = build_extract(study)
    content = extract.archive()
    now = timezone.now()
    made = ResearchExtract.objects.create(
        study=study,
        made_by=actor.person,
        made_at=now,
        persons=len(extract.persons),
        rows=len(extract.rows),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    record(
        actor=actor,
        accesses=[
            Access(
                client_public_id=client_public_id,
                action=Action.EXPORT,
                categories=extract.categories,
                organisation=actor.organisation,
                purpose=Purpose.RESEARCH,
                basis=BasisKind.RESEARCH_STUDY,
                basis_public_id=study.public_id,
                owner=study.organisation,
                register=register,
            )
            for client_public_id, register in extract.persons.items()
        ],
    )
    safe = "".join(ch if ch.isalnum() else "-" for ch in study.code)
    filename = f"research-{safe}-{timezone.localtime(now):%Y%m%d-%H%M%S}.zip"
    return ExtractFile(filename=filename, content=content, record=made)
