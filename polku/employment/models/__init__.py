"""Supported employment and work trials: job coaching, employers, placements."""

from polku.employment.models.employers import (
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    SizeBand,
)

__all__ = [
    "ContactMode",
    "ContactPurpose",
    "Employer",
    "EmployerContact",
    "EmployerContactPerson",
    "SizeBand",
]
