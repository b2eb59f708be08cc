"""The embedded SQLite database serves the demo's web server and task worker at once:
write-ahead logging, a write lock taken when a transaction begins, and a busy timeout,
so that a writer waits for another instead of failing with "database is locked"."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_in_django(code: str, database: Path) -> dict[str, object]:
    """Run ``code`` with the project's settings on the SQLite file ``database`` and
    return the JSON it prints last."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("POLKU_", "DJANGO_"))
    }
    environment["DATABASE_URL"] = f"sqlite:///{database}"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_sqlite_connection_logs_ahead_and_waits_twenty_seconds_for_a_lock(tmp_path):
    answer = run_in_django(
        """
        import json
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy = cursor.fetchone()[0]
        print(json.dumps({"journal_mode": journal, "busy_timeout_ms": busy,
                          "transaction_mode": connection.transaction_mode}))
        """,
        tmp_path / "polku.sqlite3",
    )

    assert answer == {
        "journal_mode": "wal",
        "busy_timeout_ms": 20000,
        "transaction_mode": "IMMEDIATE",
    }


def test_a_writer_waits_for_another_writers_lock_and_then_succeeds(tmp_path):
    # The second writer reads before it writes, as the task worker does when it claims a
    # task: begun while the first holds the lock, it must wait, not fail.
    answer = run_in_django(
        """
        import json, threading, time
        from django.db import connection, transaction

        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE probe (n integer)")
        holding = threading.Event()
        outcome = {}

        def second_writer():
            holding.wait()
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM probe")
                    outcome["seen"] = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO probe VALUES (2)")
                outcome["second"] = "committed"
            except Exception as error:
                outcome["second"] = str(error)
            finally:
                connection.close()

        thread = threading.Thread(target=second_writer)
        thread.start()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO probe VALUES (1)")
            holding.set()
            time.sleep(1.5)
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM probe ORDER BY n")
            outcome["rows"] = [row[0] for row in cursor.fetchall()]
        print(json.dumps(outcome))
        """,
        tmp_path / "polku.sqlite3",
    )

    assert answer == {"seen": 1, "second": "committed", "rows": [1, 2]}
