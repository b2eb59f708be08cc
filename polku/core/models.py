"""Shared code sets: municipalities, wellbeing services counties, employment areas,
industries, occupations and the municipalities' urban–rural grouping.

Code sets are reference data loaded from versioned files shipped in the repository
(``polku/core/codesets/data``) by ``manage.py load_codesets``; they are never fetched at
run time. Their primary keys are the official codes, so references stay stable across
reloads.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeSetEntry(models.Model):
    """An entry of an official classification with Finnish, Swedish and English names."""

    code = models.CharField(_("code"), max_length=32, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    # Blank where the file gives none: the Finnish name stands in (most municipalities).
    name_en = models.CharField(_("name in English"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language; Finnish stands in for languages without one."""
        language = (get_language() or "").split("-")[0]
        if language == "sv":
            return self.name_sv
        if language == "en":
            return self.name_en or self.name_fi
        return self.name_fi


class WellbeingCounty(CodeSetEntry):
    """Hyvinvointialue: organiser of social welfare and health care since 2023."""

    class Meta(CodeSetEntry.Meta):
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")


class EmploymentArea(CodeSetEntry):
    """Työllisyysalue: organiser of public employment services since 2025."""

    class Meta(CodeSetEntry.Meta):
        verbose_name = _("employment area")
        verbose_name_plural = _("employment areas")


class Municipality(CodeSetEntry):
    """Kunta, with the Statistics Finland three-digit code."""

    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing services county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
    )
    employment_area = models.ForeignKey(
        EmploymentArea,
        verbose_name=_("employment area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
    )

    class Meta(CodeSetEntry.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class HierarchicalCodeSetEntry(CodeSetEntry):
    """An entry of a classification with levels (section → division, major group → minor
    group), each entry naming the entry one level up; top-level entries have none."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta(CodeSetEntry.Meta):
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Industry(HierarchicalCodeSetEntry):
    """Toimiala: Statistics Finland's Standard Industrial Classification TOL 2008 (the
    national version of NACE Rev. 2), sections A–U and two-digit divisions."""

    class Meta(HierarchicalCodeSetEntry.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Occupation(HierarchicalCodeSetEntry):
    """Ammatti: Statistics Finland's Classification of Occupations 2010 (the national
    version of ISCO-08), major, sub-major and minor groups."""

    class Meta(HierarchicalCodeSetEntry.Meta):
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class UrbanRuralGroup(models.TextChoices):
    """Statistics Finland's statistical grouping of municipalities (tilastollinen
    kuntaryhmitys): classes 1, 2 and 3 by the share of the population living in urban
    settlements and the size of the largest one."""

    URBAN = "urban", _("urban")
    SEMI_URBAN = "semi_urban", _("semi-urban")
    RURAL = "rural", _("rural")


class MunicipalityGroup(models.Model):
    """A municipality's urban–rural group in one version of the classification.

    Statistics Finland reissues the grouping every year, and a municipality can move
    between groups, so each version's rows are kept side by side: an indicator names the
    version it counts by.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="urban_rural_groups",
    )
    classification_version = models.CharField(_("classification version"), max_length=16)
    group = models.CharField(_("urban–rural group"), max_length=16, choices=UrbanRuralGroup)

    class Meta:
        verbose_name = _("municipality's urban–rural group")
        verbose_name_plural = _("municipalities' urban–rural groups")
        ordering = ["classification_version", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "classification_version"],
                name="core_municipality_group_once_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.classification_version} {self.group}"


class CodeSetVersion(models.Model):
    """Which version of each code-set file is loaded, and its checksum."""

    codeset = models.CharField(_("code set"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    sha256 = models.CharField(_("checksum"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("code-set version")
        verbose_name_plural = _("code-set versions")

    def __str__(self) -> str:
        return f"{self.codeset} {self.version}"
