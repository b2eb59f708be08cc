"""The ESF+ common indicators on participants (Regulation (EU) 2021/1057, Annex I) as
data: each with its code in the ESF+ monitoring where it could be checked, a translated
label, its group and a short definition of how Polku counts it.

How each is computed is in ``indicator_selectors`` and explained in ``docs/indicators.md``.
Only codes checked against the Commission's ESF+ monitoring material are given; the others
are left blank rather than guessed (the label names the indicator as Annex I does).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# "Upon leaving": the situation observed within four weeks after the leaving date.
UPON_LEAVING_DAYS = 28
# "Six months after leaving": the participants whose six months (calendar months) after
# leaving fall in the period; their situation counts when observed 22 to 30 weeks after
# leaving (six months, 26 weeks, give or take four weeks).
FOLLOW_UP_MONTHS = 6
FOLLOW_UP_EARLIEST_DAYS = 22 * 7
FOLLOW_UP_LATEST_DAYS = 30 * 7


class IndicatorGroup(models.TextChoices):
    OUTPUT = "output", _("Common output indicators on participants")
    IMMEDIATE = "immediate", _("Common immediate result indicators")
    LONGER_TERM = "longer_term", _("Common longer-term result indicators")


@dataclass(frozen=True)
class Indicator:
    key: str  # stable name, used in code, tests and the report files
    code: str  # the ESF+ monitoring code, or blank where it could not be checked
    label: str | Promise
    group: IndicatorGroup
    definition: str | Promise


OUTPUT = IndicatorGroup.OUTPUT
IMMEDIATE = IndicatorGroup.IMMEDIATE
LONGER_TERM = IndicatorGroup.LONGER_TERM

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "unemployed",
        "EECO02",
        _("Unemployed, including long-term unemployed"),
        OUTPUT,
        _("Entered in the period; unemployed or long-term unemployed at entry."),
    ),
    Indicator(
        "long_term_unemployed",
        "",
        _("Long-term unemployed"),
        OUTPUT,
        _("Entered in the period; unemployed for 12 months or more at entry."),
    ),
    Indicator(
        "inactive",
        "",
        _("Inactive"),
        OUTPUT,
        _("Entered in the period; outside the labour force at entry."),
    ),
    Indicator(
        "employed",
        "",
        _("Employed, including self-employed"),
        OUTPUT,
        _("Entered in the period; employed or self-employed at entry."),
    ),
    Indicator(
        "below_18",
        "",
        _("Children below 18 years of age"),
        OUTPUT,
        _("Entered in the period; under 18 years old on the entry date."),
    ),
    Indicator(
        "age_18_29",
        "",
        _("Young people between 18 and 29 years of age"),
        OUTPUT,
        _("Entered in the period; 18 to 29 years old on the entry date."),
    ),
    Indicator(
        "age_55_plus",
        "",
        _("Participants of 55 years of age and above"),
        OUTPUT,
        _("Entered in the period; 55 years old or older on the entry date."),
    ),
    Indicator(
        "isced_0_2",
        "",
        _("With lower secondary education or less (ISCED 0–2)"),
        OUTPUT,
        _("Entered in the period; highest completed education ISCED 0, 1 or 2."),
    ),
    Indicator(
        "isced_3_4",
        "",
        _("With upper secondary or post-secondary education (ISCED 3–4)"),
        OUTPUT,
        _("Entered in the period; highest completed education ISCED 3 or 4."),
    ),
    Indicator(
        "isced_5_8",
        "",
        _("With tertiary education (ISCED 5–8)"),
        OUTPUT,
        _("Entered in the period; highest completed education ISCED 5 to 8."),
    ),
    Indicator(
        "total",
        "EECO01",
        _("Total number of participants"),
        OUTPUT,
        _("Entered in the period."),
    ),
    Indicator(
        "disability",
        "EECO12",
        _("Participants with disabilities"),
        OUTPUT,
        _("Entered in the period; answered yes. Declined and not asked are not counted."),
    ),
    Indicator(
        "third_country_national",
        "",
        _("Third-country nationals"),
        OUTPUT,
        _("Entered in the period; answered yes. Declined and not asked are not counted."),
    ),
    Indicator(
        "foreign_background",
        "",
        _("Participants with a foreign background"),
        OUTPUT,
        _("Entered in the period; answered yes. Declined and not asked are not counted."),
    ),
    Indicator(
        "minority",
        "",
        _("Minorities (including marginalised communities such as the Roma)"),
        OUTPUT,
        _("Entered in the period; answered yes. Declined and not asked are not counted."),
    ),
    Indicator(
        "homeless",
        "",
        _("Homeless or affected by housing exclusion"),
        OUTPUT,
        _("Entered in the period; answered yes. Declined and not asked are not counted."),
    ),
    Indicator(
        "rural",
        "",
        _("Participants from rural areas"),
        OUTPUT,
        _(
            "Entered in the period; the municipality of residence at entry is rural in the "
            "urban–rural grouping in effect on the entry date."
        ),
    ),
    Indicator(
        "exit_job_searching",
        "",
        _("Participants engaged in job searching upon leaving"),
        IMMEDIATE,
        _("Left in the period; job searching, observed within four weeks after leaving."),
    ),
    Indicator(
        "exit_in_education",
        "",
        _("Participants in education or training upon leaving"),
        IMMEDIATE,
        _(
            "Left in the period; in education or training, observed within four weeks after "
            "leaving."
        ),
    ),
    Indicator(
        "exit_qualification",
        "",
        _("Participants gaining a qualification upon leaving"),
        IMMEDIATE,
        _("Left in the period; gained a qualification, observed within four weeks after leaving."),
    ),
    Indicator(
        "exit_employed",
        "",
        _("Participants in employment, including self-employment, upon leaving"),
        IMMEDIATE,
        _(
            "Left in the period; in employment or self-employed, observed within four weeks "
            "after leaving."
        ),
    ),
    Indicator(
        "follow_up_employed",
        "",
        _("Participants in employment, including self-employment, six months after leaving"),
        LONGER_TERM,
        _(
            "Six months after leaving fell in the period; in employment or self-employed, "
            "observed 22 to 30 weeks after leaving."
        ),
    ),
    Indicator(
        "follow_up_improved",
        "",
        _("Participants with an improved labour market situation six months after leaving"),
        LONGER_TERM,
        _(
            "Six months after leaving fell in the period; an improved labour market "
            "situation, observed 22 to 30 weeks after leaving."
        ),
    ),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


def in_group(group: IndicatorGroup) -> tuple[Indicator, ...]:
    return tuple(indicator for indicator in INDICATORS if indicator.group == group)
