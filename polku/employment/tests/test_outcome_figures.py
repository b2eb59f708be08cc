"""The supervisor's outcome figures against values computed by hand on a known world
(``outcome_world``: September 2026, 30 days, "today" 15 October 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from polku.accounts.enums import Role
from polku.employment.coaching_enums import TransitionKind
from polku.employment.outcome_selectors import Period, PeriodKind, outcome_report, trend_charts
from polku.employment.placement_enums import EndReason
from polku.employment.tests.outcome_world import TODAY, OutcomeWorld, make_outcome_world

pytestmark = pytest.mark.django_db

SEPTEMBER = Period(date(2026, 9, 1), PeriodKind.MONTH)


@pytest.fixture
def known(programmes, make_organisation, make_professional) -> OutcomeWorld:
    return make_outcome_world(make_organisation, make_professional)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-11", PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        ("2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q1", PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_a_period_is_parsed_strictly(text, kind, start, end):
    period = Period.parse(text, kind)

    assert period is not None
    assert (period.start, period.end, period.key) == (start, end, text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2026-13", PeriodKind.MONTH),
        ("2026-1", PeriodKind.MONTH),
        ("2026/11", PeriodKind.MONTH),
        (" 2026-11", PeriodKind.MONTH),
        ("2026-11\n", PeriodKind.MONTH),
        ("1999-12", PeriodKind.MONTH),
        ("2026-Q4", PeriodKind.MONTH),
        ("2026-11", PeriodKind.QUARTER),
        ("2026-Q5", PeriodKind.QUARTER),
        ("2026-q4", PeriodKind.QUARTER),
        ("", PeriodKind.QUARTER),
    ],
)
def test_anything_else_is_not_a_period(text, kind):
    assert Period.parse(text, kind) is None


def test_the_trend_is_the_six_months_or_four_quarters_before():
    months = [p.key for p in SEPTEMBER.with_trend()]
    quarters = [p.key for p in Period(date(2026, 1, 1), PeriodKind.QUARTER).with_trend()]

    assert months == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert quarters == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]


def test_figures_per_coach_by_hand(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    # Listed: the three job coaches of A, by name; never B's Olli.
    rows = {row.label: row for row in report.coaches}
    assert list(rows) == ["Eero Aaltomaa", "Jaana Aaltomaa", "Pekka Aaltomaa"]
    assert [rows[name].team for name in rows] == ["Etelä", "Etelä", "Pohjoinen"]
    jaana, eero, pekka = (rows[f"{n} Aaltomaa"].figures for n in ("Jaana", "Eero", "Pekka"))
    # Reference day 30 September: 30 days, 30/7 weeks.
    assert (jaana.on, jaana.days) == (date(2026, 9, 30), 30)
    # Jaana: 12 contacts, 6 face to face in September: 12 × 7 / 30 = 2.8, 6 × 7 / 30 = 1.4.
    assert (jaana.coaches, jaana.contacts, jaana.face_to_face) == (1, 12, 6)
    assert jaana.contacts_per_week == pytest.approx(2.8)
    assert jaana.face_to_face_per_week == pytest.approx(1.4)
    assert not jaana.meets_face_to_face_expectation
    # Pekka: 35 contacts, 30 face to face: 35 × 7 / 30 = 8.1667, 30 × 7 / 30 = 7.0 ≥ 6.
    assert pekka.contacts_per_week == pytest.approx(35 * 7 / 30)
    assert pekka.face_to_face_per_week == pytest.approx(7.0)
    assert pekka.meets_face_to_face_expectation
    # Eero: a coach with no contacts counts zero, not "no figure".
    assert (eero.contacts_per_week, eero.face_to_face_per_week) == (0, 0)
    # Caseload on 30 September: Jaana's no. 1 (no. 2 ended on the 10th); Pekka's nos. 3
    # and 4 (ended on the 30th, the reference day: not before it), not no. 5 (October).
    assert (jaana.caseload, pekka.caseload, eero.caseload) == (1, 2, 0)
    # Off the caseload in September: Jaana's no. 2 to work, Pekka's no. 4 to education.
    assert jaana.off_caseload == {TransitionKind.OPEN_MARKET_WORK: 1}
    assert pekka.off_caseload == {TransitionKind.EDUCATION: 1}
    assert (jaana.ended, pekka.ended, eero.ended) == (1, 1, 0)


def test_figures_per_team_and_in_all_by_hand(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    teams = {row.label: row.figures for row in report.teams}
    assert list(teams) == ["Etelä", "Pohjoinen"]
    south, north, total = teams["Etelä"], teams["Pohjoinen"], report.total.figures
    # Etelä: Jaana and Eero, 12 contacts (6 face to face) per 2 coaches per 30/7 weeks.
    assert (south.coaches, south.contacts, south.face_to_face) == (2, 12, 6)
    assert south.contacts_per_week == pytest.approx(12 * 7 / 30 / 2)  # 1.4
    assert south.face_to_face_per_week == pytest.approx(6 * 7 / 30 / 2)  # 0.7
    assert north.face_to_face_per_week == pytest.approx(7.0)
    # All: 3 coaches, 47 contacts (36 face to face).
    assert (total.coaches, total.contacts, total.face_to_face) == (3, 47, 36)
    assert total.contacts_per_week == pytest.approx(47 * 7 / 30 / 3)  # 3.6556
    assert total.face_to_face_per_week == pytest.approx(36 * 7 / 30 / 3)  # 2.8
    assert not total.meets_face_to_face_expectation
    assert (south.caseload, north.caseload, total.caseload) == (1, 2, 3)
    assert total.off_caseload == {
        TransitionKind.OPEN_MARKET_WORK: 1,
        TransitionKind.EDUCATION: 1,
    }
    assert report.total.label == "All teams"


def test_the_trend_by_hand(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    trend = {f.period.key: f for f in report.total.trend}
    assert list(trend) == [
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    # August (31 days): open on the 31st Jaana's nos. 1 and 2 and Pekka's no. 4 (no. 6
    # ended on the 20th, to unemployment); one phone contact of Jaana's.
    august = trend["2026-08"]
    assert (august.caseload, august.ended, august.contacts, august.face_to_face) == (3, 1, 1, 0)
    assert august.off_caseload == {TransitionKind.UNEMPLOYED: 1}
    assert august.coaches == 3  # the job coaches' memberships are valid from January
    assert august.contacts_per_week == pytest.approx(1 * 7 / 31 / 3)
    # May: Jaana's no. 6 from the 1st, Pekka's no. 4 not yet (June).
    assert trend["2026-05"].caseload == 1
    assert trend["2026-06"].caseload == 2
    # March: nothing, but three coaches: zero, not no figure.
    assert (trend["2026-03"].caseload, trend["2026-03"].contacts_per_week) == (0, 0)


def test_a_period_not_yet_over_counts_up_to_today(known: OutcomeWorld):
    october = Period(date(2026, 10, 1), PeriodKind.MONTH)

    report = outcome_report(known.org_a, october, today=TODAY)

    total = report.total.figures
    # Up to 15 October: 15 days; one phone contact of Jaana's on the 1st.
    assert (total.on, total.days, total.contacts) == (TODAY, 15, 1)
    assert total.contacts_per_week == pytest.approx(1 * 7 / 15 / 3)
    # Jaana's no. 1 and Pekka's nos. 3 and 5.
    assert total.caseload == 3


def test_a_quarter_by_hand(known: OutcomeWorld):
    q3 = Period(date(2026, 7, 1), PeriodKind.QUARTER)

    report = outcome_report(known.org_a, q3, today=TODAY)

    total = report.total.figures
    # 1 July – 30 September: 92 days; contacts 47 in September and 1 on 31 August.
    assert (total.days, total.contacts, total.face_to_face) == (92, 48, 36)
    assert total.contacts_per_week == pytest.approx(48 * 7 / 92 / 3)
    # Ended in the quarter: nos. 2, 4 and 6.
    assert total.ended == 3
    assert [p.key for p in report.periods] == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]


def test_one_team_only(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, unit=known.north, today=TODAY)

    assert [row.label for row in report.coaches] == ["Pekka Aaltomaa"]
    assert [row.label for row in report.teams] == ["Pohjoinen"]
    total = report.total.figures
    assert (total.coaches, total.contacts, total.caseload, total.ended) == (1, 35, 2, 1)
    assert report.total.label == "Pohjoinen"


def test_nothing_of_another_organisation_is_counted(known: OutcomeWorld):
    report = outcome_report(known.org_b, SEPTEMBER, today=TODAY)

    # B: Olli alone, his one coaching and his 20 face-to-face contacts.
    assert [row.label for row in report.coaches] == ["Olli Aaltomaa"]
    total = report.total.figures
    assert (total.coaches, total.contacts, total.face_to_face, total.caseload) == (1, 20, 20, 1)


def test_a_constant_number_of_queries_whatever_the_number_of_coaches(
    known: OutcomeWorld, make_professional, django_assert_num_queries
):
    outcome_report(known.org_a, SEPTEMBER, today=TODAY)
    with django_assert_num_queries(6) as before:
        outcome_report(known.org_a, SEPTEMBER, today=TODAY)
    # given three more coaches, each with a coaching and contacts
    for name in ("maija", "mikko", "minna"):
        coach = make_professional(name, Role.JOB_COACH, known.org_a)
        known.coaching(coach, date(2026, 9, 1))
        known.contacts(coach, date(2026, 9, 2), 3)

    with django_assert_num_queries(len(before.captured_queries)):
        report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    assert len(report.coaches) == 6


def test_job_figures_per_coach_team_and_in_all_by_hand(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    rows = {row.label.split()[0]: row.figures for row in report.coaches}
    jaana, pekka, eero = rows["Jaana"], rows["Pekka"], rows["Eero"]
    # Job starts in September: P1 (Jaana's no. 1). P4 is studies; B's job is B's.
    assert (jaana.job_starts, pekka.job_starts, eero.job_starts) == (1, 0, 0)
    # On 30 September: Jaana's no. 1 holds P1: 1 of 1 working. Pekka's no. 4 holds P3 (its
    # coaching ends that day) and no. 3 studies (P4): 1 of 2 working, 1 of 2 in education.
    assert (jaana.share_in_job, jaana.share_in_education) == (1.0, 0.0)
    assert (pekka.share_in_job, pekka.share_in_education) == (0.5, 0.5)
    assert (eero.share_in_job, eero.share_in_education) == (None, None)  # no caseload
    # Endings in September: P2 (resigned) and P7 (health, after its coaching no. 7 ended).
    assert jaana.endings_by_reason == {EndReason.RESIGNED: 1, EndReason.HEALTH: 1}
    assert (jaana.job_endings, pekka.job_endings) == (2, 0)
    # 90 days as of today, 15 October: jobs started by 17 July; none in September.
    assert (jaana.jobs_due_for_90_days, jaana.jobs_kept_90_days) == (0, 0)
    assert jaana.share_kept_90_days is None
    total = report.total.figures
    assert (total.job_starts, total.caseload) == (1, 3)
    assert total.share_in_job == pytest.approx(2 / 3)
    assert total.share_in_education == pytest.approx(1 / 3)
    assert total.endings_by_reason == {EndReason.RESIGNED: 1, EndReason.HEALTH: 1}
    south = next(row.figures for row in report.teams if row.label == "Etelä")
    assert (south.job_starts, south.caseload, south.share_in_job) == (1, 1, 1.0)


def test_jobs_kept_90_days_in_a_quarter_by_hand(known: OutcomeWorld):
    q3 = Period(date(2026, 7, 1), PeriodKind.QUARTER)

    report = outcome_report(known.org_a, q3, today=TODAY)

    total = report.total.figures
    # Started in July–September: P5 (1 July), P2 (6 July), P1 (1 September).
    assert total.job_starts == 3
    # 90 days old by 15 October: started by 17 July, P5 and P2. P5 ended after 96 days
    # (kept), P2 after 64 (not kept).
    assert (total.jobs_due_for_90_days, total.jobs_kept_90_days) == (2, 1)
    assert total.share_kept_90_days == 0.5
    rows = {row.label.split()[0]: row.figures for row in report.coaches}
    assert (rows["Jaana"].jobs_due_for_90_days, rows["Jaana"].jobs_kept_90_days) == (1, 0)
    assert (rows["Pekka"].jobs_due_for_90_days, rows["Pekka"].jobs_kept_90_days) == (1, 1)
    # Ended in the quarter: P2 and P7 (P5 on 5 October, after it).
    assert total.job_endings == 2


def test_the_job_trend_and_its_charts_by_hand(known: OutcomeWorld):
    report = outcome_report(known.org_a, SEPTEMBER, today=TODAY)

    trend = {f.period.key: f for f in report.total.trend}
    starts = [trend[key].job_starts for key in trend]
    working = [trend[key].share_in_job for key in trend]
    # March–September: P3 in June, P5 and P2 in July, P1 in September.
    assert starts == [0, 0, 0, 1, 2, 0, 1]
    # No caseload in March and April; May: no. 6 without a job; June: nos. 6 and 4, no. 4
    # working; July: nos. 6, 4 and 2, two working; August: nos. 1, 2 and 4, two working.
    assert working[:3] == [None, None, 0.0]
    assert working[3:] == pytest.approx([1 / 2, 2 / 3, 2 / 3, 2 / 3])

    charts = trend_charts(report)

    assert [chart.title for chart in charts] == ["Share of the caseload working", "Job starts"]
    assert charts[0].chart.description == (
        "Share of the caseload working by period: 2026-05 0 %; 2026-06 50 %; 2026-07 67 %; "
        "2026-08 67 %; 2026-09 67 %."
    )
    assert charts[1].chart.description == (
        "Job starts by period: 2026-03 0; 2026-04 0; 2026-05 0; 2026-06 1; 2026-07 2; "
        "2026-08 0; 2026-09 1."
    )
    assert charts[0].chart.data_uri.startswith("data:image/svg+xml;base64,")
