"""The demo's task worker runs under scripts/keep-running: started again after a crash,
stopped together with the server."""

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "keep-running"


def start(tmp_path: Path, command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), "sh", "-c", command],
        cwd=tmp_path,
        env={**os.environ, "KEEP_RUNNING_DELAY": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
    )


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_crashed_worker_is_started_again_until_the_loop_is_stopped(tmp_path):
    loop = start(tmp_path, "echo started >> starts; exit 3")
    try:
        wait_for(lambda: len(lines(tmp_path / "starts")) >= 3)
        loop.send_signal(signal.SIGTERM)
        _out, errors = loop.communicate(timeout=60)
    finally:
        if loop.poll() is None:
            loop.kill()

    assert loop.returncode == 0
    assert "keep-running: sh stopped (exit status 3); starting it again in 0.1 s." in errors
    count = len(lines(tmp_path / "starts"))
    time.sleep(0.5)
    assert len(lines(tmp_path / "starts")) == count  # nothing starts after the stop


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stopping_the_loop_stops_the_running_worker(tmp_path):
    loop = start(tmp_path, "echo $$ > pid; exec sleep 60")
    wait_for(lambda: lines(tmp_path / "pid") != [])
    worker = int(lines(tmp_path / "pid")[0])
    try:
        loop.send_signal(signal.SIGTERM)
        loop.communicate(timeout=60)

        assert loop.returncode == 0
        wait_for(lambda: not alive(worker), seconds=2)
    finally:  # leave nothing running when the test fails
        if loop.poll() is None:
            loop.kill()
        if alive(worker):
            os.kill(worker, signal.SIGKILL)


def test_the_demo_runs_its_worker_under_the_loop():
    makefile = (ROOT / "Makefile").read_text()

    assert "scripts/keep-running $(BIN)/python manage.py db_worker" in makefile
