"""The ESF+ indicators of a project of 5,000 participants, on the 1,000,000-client
database, against one hand-written SQL query computing the same figures.

The measured value is ``compute_indicators`` (``polku.projects.indicator_selectors``), as
the indicator page, the programme view and the funder report call it: the urban–rural
versions, the counting query, and the rows, notes and flow built from it. The floor is
``polku.projects.indicator_reference.reference``: one PostgreSQL query written apart from
the product, with its rows summed by gender. Both run in this process on the same
database, alternately, and must give the same figures; the ratio of their medians says
what the product's computation costs beyond the bare query. The target is at most 2.

The data set is ``bench/run.py``'s with ``--clients 1000000`` (database
``polku_bench_clients_1000000``, seeded when missing, which takes about half an hour);
``bench_project`` gives the project of exactly 5,000 participants.

Usage: .venv/bin/python bench/project_indicators.py [--clients N] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

from run import RESULTS_DIR, DataSet, HarnessError, prepare_database, resolve_database_url  # noqa: E402

TARGET_RATIO = 2.0


def timed(function, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=50)
    arguments = parser.parse_args()

    data_set = DataSet(seed=1, seed_arguments=("--clients", str(arguments.clients)))
    database_url = resolve_database_url(data_set)
    try:
        prepare_database(database_url, data_set)
    except HarnessError as error:
        print(f"project_indicators: {error}", file=sys.stderr)
        return 2
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings")
    os.environ.setdefault("POLKU_ENVIRONMENT", "development")

    import django

    django.setup()

    from polku.projects.indicator_reference import computed, reference
    from polku.projects.indicator_selectors import compute_indicators
    from polku.projects.models import Participant
    from polku.synthetic.projects_volume import bench_project

    project = bench_project()
    participants = Participant.objects.filter(project=project).count()
    starts_on, ends_on = project.starts_on, project.ends_on

    def measured() -> object:
        return compute_indicators(project, starts_on, ends_on)

    def floor() -> object:
        return reference(project, starts_on, ends_on)

    if computed(compute_indicators(project, starts_on, ends_on)) != reference(
        project, starts_on, ends_on
    ):
        print(
            "project_indicators: the computation and the reference query disagree", file=sys.stderr
        )
        return 1
    # Warm both (connection, plans, translations), then alternate so that both see the
    # same machine.
    timed(measured, 3)
    timed(floor, 3)
    value_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(arguments.repeats):
        value_times += timed(measured, 1)
        floor_times += timed(floor, 1)
    value_p50 = statistics.median(value_times)
    floor_p50 = statistics.median(floor_times)
    ratio = value_p50 / floor_p50
    print(
        f"project_indicators_{participants}  p50 {value_p50:.1f} ms  floor {floor_p50:.1f} ms  "
        f"{ratio:.2f}x  (target at most {TARGET_RATIO:.0f}x; {arguments.repeats} runs each,"
        f" {arguments.clients:,} clients, {starts_on}–{ends_on})"
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "project_indicators.json").write_text(
        json.dumps(
            {
                "participants": participants,
                "clients": arguments.clients,
                "period": [starts_on.isoformat(), ends_on.isoformat()],
                "value_ms": value_times,
                "floor_ms": floor_times,
                "p50_value_ms": value_p50,
                "p50_floor_ms": floor_p50,
                "ratio_p50": ratio,
                "target": TARGET_RATIO,
                "within_target": ratio <= TARGET_RATIO,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
