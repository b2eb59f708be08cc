"""An independent yardstick for the ESF+ indicators: one hand-written PostgreSQL query
(``REFERENCE_SQL``) computing the same figures as ``indicator_selectors`` for one project.

It is written apart from the selectors (PostgreSQL's ``FILTER`` clauses and date
arithmetic, one version of the urban–rural grouping, 2026), so that two ways of counting
must agree. The tests compare every figure on random participant sets; ``make bench``
(``bench/project_indicators.py``) times the selectors against it on a project of 5,000
participants. No page uses it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from polku.projects.indicator_selectors import IndicatorTable, follow_up_leaving_dates
from polku.projects.models import Project

# Parameters: starts, ends (the period), due_from, due_until (the leaving dates whose six
# months after fall in the period), project.
REFERENCE_SQL = """
SELECT p.gender,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s) AS total,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status IN ('unemployed','long_term_unemployed')) AS unemployed,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'long_term_unemployed') AS ltu,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'inactive') AS inactive,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'employed') AS employed,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry < 18) AS below_18,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry BETWEEN 18 AND 29) AS a18_29,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry >= 55) AS a55,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('0','1','2')) AS i02,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('3','4')) AS i34,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('5','6','7','8')) AS i58,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.municipality_id IN (
     SELECT municipality_id FROM core_municipalitygroup
     WHERE classification_version = '2026' AND "group" = 'rural')) AS rural,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.disability = 'yes') AS dis,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.third_country_national = 'yes') AS tcn,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.foreign_background = 'yes') AS fb,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.minority = 'yes') AS mi,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.homeless = 'yes') AS ho,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.disability = 'declined') AS dis_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.third_country_national = 'declined') AS tcn_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.foreign_background = 'declined') AS fb_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.minority = 'declined') AS mi_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.homeless = 'declined') AS ho_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.disability, '') = '') AS dis_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.third_country_national, '') = '') AS tcn_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.foreign_background, '') = '') AS fb_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.minority, '') = '') AS mi_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.homeless, '') = '') AS ho_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = '') AS ls_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level = '') AS ed_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.municipality_id IS NULL) AS mu_m,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s) AS left_,
 count(*) FILTER (WHERE p.entered_on <= %(ends)s
   AND (p.left_on IS NULL OR p.left_on > %(ends)s)) AS at_end,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on IS NULL) AS no_exit,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on > 28) AS late,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_job_searching) AS r1,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_in_education) AS r2,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_qualification) AS r3,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_employed) AS r4,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s) AS due,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on IS NOT NULL) AS rec,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on NOT BETWEEN 154 AND 210) AS outside,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on BETWEEN 154 AND 210
   AND p.follow_up_employed) AS l1,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on BETWEEN 154 AND 210
   AND p.follow_up_improved) AS l2
FROM projects_participant p LEFT JOIN projects_sensitivedetails s ON s.participant_id = p.id
WHERE p.project_id = %(project)s
GROUP BY p.gender
"""

# The reference query's columns: an indicator's key, ``flow.<field>``, or
# ``missing.<item>`` / ``declined.<item>`` of the notes.
COLUMNS = {
    "total": "total",
    "unemployed": "unemployed",
    "ltu": "long_term_unemployed",
    "inactive": "inactive",
    "employed": "employed",
    "below_18": "below_18",
    "a18_29": "age_18_29",
    "a55": "age_55_plus",
    "i02": "isced_0_2",
    "i34": "isced_3_4",
    "i58": "isced_5_8",
    "rural": "rural",
    "dis": "disability",
    "tcn": "third_country_national",
    "fb": "foreign_background",
    "mi": "minority",
    "ho": "homeless",
    "dis_d": "declined.disability",
    "tcn_d": "declined.third_country_national",
    "fb_d": "declined.foreign_background",
    "mi_d": "declined.minority",
    "ho_d": "declined.homeless",
    "dis_m": "missing.disability",
    "tcn_m": "missing.third_country_national",
    "fb_m": "missing.foreign_background",
    "mi_m": "missing.minority",
    "ho_m": "missing.homeless",
    "ls_m": "missing.labour_status",
    "ed_m": "missing.education_level",
    "mu_m": "missing.municipality",
    "left_": "flow.left",
    "at_end": "flow.in_project_at_end",
    "no_exit": "flow.left_without_exit_data",
    "late": "flow.exit_observed_late",
    "r1": "exit_job_searching",
    "r2": "exit_in_education",
    "r3": "exit_qualification",
    "r4": "exit_employed",
    "due": "flow.follow_ups_due",
    "rec": "flow.follow_ups_recorded",
    "outside": "flow.follow_ups_outside_window",
    "l1": "follow_up_employed",
    "l2": "follow_up_improved",
}
BUCKETS = {"female": "women", "male": "men"}


def reference(project: Project, starts_on: date, ends_on: date) -> dict[str, Any]:
    """The reference query's figures: an indicator's by gender bucket, the others totals."""
    due = follow_up_leaving_dates(starts_on, ends_on)
    assert due is not None
    params: dict[str, Any] = {
        "starts": starts_on,
        "ends": ends_on,
        "due_from": due[0],
        "due_until": due[1],
        "project": project.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        names = [column[0] for column in cursor.description]
        results = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    figures: dict[str, Any] = {}
    for column, key in COLUMNS.items():
        if "." in key:
            figures[key] = sum(result[column] for result in results)
            continue
        by_bucket = {"women": 0, "men": 0, "other": 0}
        for result in results:
            by_bucket[BUCKETS.get(result["gender"], "other")] += result[column]
        figures[key] = (by_bucket["women"], by_bucket["men"], by_bucket["other"])
    return figures


def computed(table: IndicatorTable) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for key in COLUMNS.values():
        kind, _, name = key.partition(".")
        if kind == "flow":
            figures[key] = getattr(table.flow, name)
        elif kind in {"missing", "declined"}:
            note = next(note for note in table.notes if note.key == name)
            figures[key] = getattr(note, kind)
        else:
            row = table.row(key)
            figures[key] = (row.women, row.men, row.other)
    return figures
