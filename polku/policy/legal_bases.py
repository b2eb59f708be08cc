"""The register and legal basis a service relationship usually has, by kind of organisation.

Registration and the start of a relationship suggest these, and say in plain words why;
the professional may choose otherwise (a municipal employment service that runs
rehabilitative work activity, an NGO that serves under a purchase contract).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import OrganisationKind
from polku.policy.enums import LegalBasis, Register

# The register a service relationship of each kind of organisation is kept in, and the
# statutes such a relationship may rest on (the first is the usual one).
REGISTER_BY_KIND: dict[OrganisationKind, Register] = {
    OrganisationKind.SOCIAL_WELFARE: Register.SOCIAL_WELFARE,
    OrganisationKind.HEALTH_CARE: Register.HEALTH_CARE,
    OrganisationKind.EMPLOYMENT_SERVICES: Register.EMPLOYMENT_SERVICES,
    OrganisationKind.MUNICIPAL_EMPLOYMENT: Register.EMPLOYMENT_SERVICES,
    OrganisationKind.KELA: Register.EMPLOYMENT_SERVICES,
}
LEGAL_BASES_BY_KIND: dict[OrganisationKind, list[LegalBasis]] = {
    OrganisationKind.SOCIAL_WELFARE: [LegalBasis.SOCIAL_WELFARE_ACT],
    OrganisationKind.HEALTH_CARE: [LegalBasis.HEALTH_CARE_ACT],
    OrganisationKind.EMPLOYMENT_SERVICES: [
        LegalBasis.EMPLOYMENT_SERVICES_ACT,
        LegalBasis.MULTI_SECTOR_ACT,
    ],
    OrganisationKind.MUNICIPAL_EMPLOYMENT: [
        LegalBasis.EMPLOYMENT_SERVICES_ACT,
        LegalBasis.MULTI_SECTOR_ACT,
        LegalBasis.REHABILITATIVE_WORK_ACT,
    ],
    OrganisationKind.KELA: [LegalBasis.KELA_REHABILITATION_ACT],
}

# Why the suggestion fits, for the professional registering a client.
EXPLANATION_BY_KIND: dict[OrganisationKind, Promise] = {
    OrganisationKind.SOCIAL_WELFARE: _(
        "Social welfare serves its clients under the Social Welfare Act and keeps what it "
        "records in the social welfare client register."
    ),
    OrganisationKind.HEALTH_CARE: _(
        "Health care treats patients under the Health Care Act and keeps what it records "
        "in patient records."
    ),
    OrganisationKind.EMPLOYMENT_SERVICES: _(
        "Employment services serve jobseekers under the Act on the Organisation of "
        "Employment Services (380/2023) and keep what they record in the employment "
        "services register."
    ),
    OrganisationKind.MUNICIPAL_EMPLOYMENT: _(
        "Municipal employment services serve jobseekers under the Act on the Organisation "
        "of Employment Services (380/2023) and keep what they record in the employment "
        "services register."
    ),
    OrganisationKind.KELA: _(
        "Kela's vocational rehabilitation rests on the Act on Kela Rehabilitation Benefits; "
        "in work-ability services its records are kept with the employment services "
        "register."
    ),
}
NO_STATUTE_EXPLANATION = _(
    "No law obliges your organisation to serve the client: the service rests on the "
    "client's own request or agreement, and its records are kept apart from the public "
    "authorities' registers."
)


def register_for(kind: OrganisationKind | str) -> Register:
    """The register a service relationship with an organisation of this kind belongs in."""
    return REGISTER_BY_KIND.get(OrganisationKind(kind), Register.OTHER)


def legal_bases_for(kind: OrganisationKind | str) -> list[LegalBasis]:
    """The statutes a relationship with this kind of organisation may rest on, usual first."""
    return LEGAL_BASES_BY_KIND.get(OrganisationKind(kind), [LegalBasis.CLIENT_AGREEMENT])


def explanation_for(kind: OrganisationKind | str) -> str:
    """Why the usual register and legal basis fit this kind of organisation, in plain words."""
    return str(EXPLANATION_BY_KIND.get(OrganisationKind(kind), NO_STATUTE_EXPLANATION))
