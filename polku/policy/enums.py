"""The vocabulary of the access policy: registers, data categories, purposes, actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Register(models.TextChoices):
    """The legal home of data; each register has its own controller."""

    SOCIAL_WELFARE = "social_welfare", _("Social welfare client records")
    HEALTH_CARE = "health_care", _("Patient records")
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services records")
    OTHER = "other", _("Other service records")


class DataCategory(models.TextChoices):
    """Kinds of client data that a consent covers and a decision is made for."""

    BASIC = "basic", _("Basic details")
    PLAN = "plan", _("Plan and pathway")
    MEASUREMENTS = "measurements", _("Measurements")
    EMPLOYMENT = "employment", _("Employment and job coaching")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare records")
    HEALTH = "health", _("Health records")
    # A funded project's participant data (ESF+ entry, exit and follow-up details), kept
    # by the project and never disclosed by a consent or a referral.
    PROJECT = "project", _("Project participation")
    # The participant details the client may decline to give (disability, third-country
    # national, foreign background, minority, homelessness): the administering
    # organisation's project staff only, and counted in aggregates only.
    PROJECT_SENSITIVE = "project_sensitive", _("Sensitive participant details")


# Participant data is the project's own: no consent or referral covers it.
PROJECT_CATEGORIES = frozenset({DataCategory.PROJECT, DataCategory.PROJECT_SENSITIVE})
# The categories a consent or a referral can disclose.
DISCLOSABLE_CATEGORIES = tuple(
    category for category in DataCategory if category not in PROJECT_CATEGORIES
)


class Purpose(models.TextChoices):
    """Why data is disclosed; a consent names one, and every access is made for one."""

    SERVICE_COORDINATION = "service_coordination", _("Coordinating the client's services")
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment", _("Assessing work and functional capacity")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    EMPLOYMENT_SUPPORT = "employment_support", _("Supporting employment")
    REGISTER_MAINTENANCE = "register_maintenance", _("Maintaining the client register")
    SUBJECT_ACCESS = "subject_access", _("The client's own access to their data")
    PROJECT_MONITORING = (
        "project_monitoring",
        _("Monitoring and reporting a funded project"),
    )
    KNOWLEDGE_MANAGEMENT = (
        "knowledge_management",
        _("Knowledge-based management: aggregate figures, never a person"),
    )
    RESEARCH = "research", _("Scientific research under an approved study")


# The purposes a client can consent to disclose data for; each is honoured by the pages
# that declare it (``policy.purposes``) and by referrals sent for it. The others are the
# purposes of administration and of the client's own access, which no consent grants.
CONSENT_PURPOSES = (
    Purpose.SERVICE_COORDINATION,
    Purpose.WORK_ABILITY_ASSESSMENT,
    Purpose.REHABILITATION,
    Purpose.EMPLOYMENT_SUPPORT,
)


class Action(models.TextChoices):
    LIST = "list", _("List")
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    LOOKUP = "lookup", _("Identity lookup")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person (oral)")
    SIGNED_PAPER = "signed_paper", _("Signed paper form")
    ELECTRONIC = "electronic", _("Electronically")


class WithdrawalMethod(models.TextChoices):
    """How the client made a withdrawal known; the client need give no reason."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    IN_WRITING = "in_writing", _("In writing")
    ELECTRONIC = "electronic", _("Electronically")


class ConsentRenewalReason(models.TextChoices):
    """Why a withdrawn consent is recorded again: a withdrawal is never undone."""

    WITHDRAWN_BY_MISTAKE = (
        "withdrawn_by_mistake",
        _("The withdrawal was recorded by mistake, and the client confirms the consent"),
    )
    GIVEN_AGAIN = "given_again", _("The client has given the consent again")


class RelationshipEndReason(models.TextChoices):
    SERVICE_COMPLETED = "service_completed", _("The service has been completed")
    CLIENT_REQUEST = "client_request", _("The client asked to end it")
    TRANSFERRED = "transferred", _("The client moved to another organisation's services")
    MOVED = "moved", _("The client moved away")
    NO_CONTACT = "no_contact", _("No contact with the client")
    OTHER = "other", _("Other reason")


class BasisKind(models.TextChoices):
    """On what ground an access was allowed."""

    SERVICE_RELATIONSHIP = "service_relationship", _("Own service relationship")
    CONSENT = "consent", _("Client's consent")
    STARTING_RELATIONSHIP = "starting_relationship", _("Starting a service relationship")
    ADMINISTRATION = "administration", _("Administrative correction")
    REFERRAL = "referral", _("Referral to the organisation")
    CLIENT_SELF = "client_self", _("The client's own data")
    LINK = "link", _("Single-use link")
    SYSTEM = "system", _("System job")
    PROJECT_WORK = "project_work", _("Work in a funded project")
    RESEARCH_STUDY = "research_study", _("An approved research study")


class ProjectRoleKind(models.TextChoices):
    """A professional's part in a funded project or in a programme."""

    MANAGER = "manager", _("Project manager")
    WORKER = "worker", _("Project worker")
    COORDINATOR = "coordinator", _("Programme coordinator")


# The roles of a project's own staff (the coordinator's is the programme's).
PROJECT_STAFF_KINDS = frozenset({ProjectRoleKind.MANAGER, ProjectRoleKind.WORKER})


# The register a journal entry is kept in decides the category it is shown under.
REGISTER_CATEGORY = {
    Register.SOCIAL_WELFARE: DataCategory.SOCIAL_WELFARE,
    Register.HEALTH_CARE: DataCategory.HEALTH,
    Register.EMPLOYMENT_SERVICES: DataCategory.EMPLOYMENT,
    Register.OTHER: DataCategory.PLAN,
}

# Actions that a consent can allow: disclosure lets the recipient read, never write.
READ_ACTIONS = frozenset({Action.LIST, Action.VIEW})


class LegalBasis(models.TextChoices):
    """The statute or agreement a service relationship rests on."""

    SOCIAL_WELFARE_ACT = "social_welfare_act", _("Social Welfare Act (1301/2014)")
    HEALTH_CARE_ACT = "health_care_act", _("Health Care Act (1326/2010)")
    EMPLOYMENT_SERVICES_ACT = (
        "employment_services_act",
        _("Act on the Organisation of Employment Services (380/2023)"),
    )
    MULTI_SECTOR_ACT = (
        "multi_sector_act",
        _("Act on Multi-sector Promotion of Employment (381/2023)"),
    )
    REHABILITATIVE_WORK_ACT = (
        "rehabilitative_work_act",
        _("Act on Rehabilitative Work Activity (189/2001)"),
    )
    KELA_REHABILITATION_ACT = (
        "kela_rehabilitation_act",
        _("Act on Kela Rehabilitation Benefits (566/2005)"),
    )
    CLIENT_AGREEMENT = "client_agreement", _("The client's own request or agreement")


class ConsentStatus(models.TextChoices):
    VALID = "valid", _("In force")
    NOT_YET_VALID = "not_yet_valid", _("Not yet in force")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
