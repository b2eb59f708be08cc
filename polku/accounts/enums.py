"""Kinds of organisations and the roles professionals hold in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services / employment area")
    KELA = "kela", _("Kela")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare")
    HEALTH_CARE = "health_care", _("Health care")
    MUNICIPAL_EMPLOYMENT = "municipal_employment", _("Municipal employment services")
    OHJAAMO = "ohjaamo", _("Ohjaamo guidance centre")
    NGO = "ngo", _("NGO / foundation")
    EDUCATION = "education", _("Education provider")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SOCIAL_COUNSELLOR = "social_counsellor", _("Social counsellor")
    JOB_COACH = "job_coach", _("Job coach")
    WORK_ABILITY_COORDINATOR = "work_ability_coordinator", _("Work-ability coordinator")
    EMPLOYMENT_EXPERT = "employment_expert", _("Employment expert")
    KELA_ADVISOR = "kela_advisor", _("Kela advisor")
    NURSE = "nurse", _("Nurse")
    PHYSICIAN = "physician", _("Physician")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that do case work with clients (as opposed to management, analysis, configuration).
CLIENT_WORK_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.SOCIAL_COUNSELLOR,
        Role.JOB_COACH,
        Role.WORK_ABILITY_COORDINATOR,
        Role.EMPLOYMENT_EXPERT,
        Role.KELA_ADVISOR,
        Role.NURSE,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.NGO_WORKER,
    }
)
