"""The catalogue of variables a research study may ask for.

Rows of an extract are episodes (``pathways.Episode``) of the disclosing organisation that
overlap the study's data range, of clients not merged away. Each variable gives one or
more columns of those rows; its codebook description and level of generalisation go into
the codebook given out with the extract.

The catalogue holds nothing that names or reaches a person: no names, identity codes,
addresses, contact details, free text or journal entries. A variable may be added here only
if it is as coarse as these.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.policy.enums import DataCategory

# Fewer persons than this in the extract make a category rare: it is generalised.
RARE_BELOW = 5


@dataclass(frozen=True)
class Variable:
    key: str
    label: Promise
    description: Promise
    generalisation: Promise
    # The data category the access log names when the variable is disclosed.
    category: DataCategory


CATALOGUE: tuple[Variable, ...] = (
    Variable(
        "pseudonym",
        _("Pseudonym"),
        _(
            "The person's pseudonym in this study: 16 hexadecimal digits, the same in every "
            "extract of the study, unrelated to the pseudonyms of other studies."
        ),
        _("Pseudonymised with a key kept by the disclosing organisation."),
        DataCategory.BASIC,
    ),
    Variable(
        "birth_year",
        _("Year of birth"),
        _("The person's year of birth."),
        _("Year only."),
        DataCategory.BASIC,
    ),
    Variable(
        "age_band",
        _("Age at the start of the episode"),
        _("The person's age on the day the episode started, in five-year bands (30-34)."),
        _("Five-year bands."),
        DataCategory.BASIC,
    ),
    Variable(
        "gender",
        _("Gender"),
        _("Gender as the person told it: female, male, other, not_stated."),
        _("A gender of fewer than five persons in the extract is given as withheld."),
        DataCategory.BASIC,
    ),
    Variable(
        "municipality",
        _("Municipality of residence"),
        _(
            "Two columns: municipality, the code of the municipality of residence (Statistics "
            "Finland), and wellbeing_county, the code of its wellbeing services county."
        ),
        _(
            "A municipality of fewer than five persons in the extract is left empty, so that "
            "only its wellbeing services county is given; a county of fewer than five "
            "persons is left empty too."
        ),
        DataCategory.BASIC,
    ),
    Variable(
        "preferred_language",
        _("Preferred language"),
        _("The language the person prefers to be served in, as an ISO 639 code."),
        _("A language of fewer than five persons in the extract is given as other."),
        DataCategory.BASIC,
    ),
    Variable(
        "programme",
        _("Programme"),
        _("The code of the programme or service the episode was in."),
        _("Not generalised."),
        DataCategory.PLAN,
    ),
    Variable(
        "episode_dates",
        _("Start and end of the episode"),
        _(
            "Two columns: episode_start and episode_end. The end is empty while the episode "
            "continued at the end of the data range."
        ),
        _("Dates shifted per person, or coarsened to the month, as the study chose."),
        DataCategory.PLAN,
    ),
    Variable(
        "end_reason",
        _("End reason"),
        _("Why the episode ended, as a code; empty while it continued."),
        _("Not generalised."),
        DataCategory.PLAN,
    ),
    Variable(
        "phases",
        _("Phases"),
        _(
            "One column for each phase (phase_assessment_start, phase_rehabilitation_start, "
            "phase_education_start, phase_employment_start, phase_follow_up_start): the "
            "day the episode first entered the phase, empty when it did not."
        ),
        _("Dates shifted per person, or coarsened to the month, as the study chose."),
        DataCategory.PLAN,
    ),
    Variable(
        "measurements",
        _("Measurements"),
        _(
            "Four columns for each instrument answered in the extract's episodes: "
            "<instrument>_first and <instrument>_first_date, the first complete total "
            "score in the episode and its date, and <instrument>_latest and "
            "<instrument>_latest_date, the latest."
        ),
        _("Total scores only, never the answers; dates handled as the study chose."),
        DataCategory.MEASUREMENTS,
    ),
    Variable(
        "transition_to_work",
        _("Transition to work after supported employment"),
        _(
            "yes when job coaching in the episode recorded a transition to work (open "
            "labour market, subsidised work or self-employment), no when it recorded "
            "transitions but none to work, empty when it recorded none."
        ),
        _("Not generalised."),
        DataCategory.EMPLOYMENT,
    ),
)

VARIABLES = {variable.key: variable for variable in CATALOGUE}


def variable_choices() -> list[tuple[str, Promise]]:
    """The catalogue as form choices, in its order."""
    return [(variable.key, variable.label) for variable in CATALOGUE]


def in_catalogue_order(keys: list[str]) -> list[str]:
    """The keys that are in the catalogue, each once, in the catalogue's order."""
    wanted = set(keys)
    return [variable.key for variable in CATALOGUE if variable.key in wanted]
