"""Locust load for one benchmark, configured by run.py through ``BENCH_*`` variables.

``MeasuredUser`` requests the measured path and ``FloorUser`` the floor path, as many of
each as ``BENCH_MEASURED_USERS`` and ``BENCH_FLOOR_USERS`` say (equally many for a latency
benchmark; one of them 0 when a throughput benchmark loads one path alone), without
pauses. Every request must answer 200 itself (redirects are not followed), anything else
counts as a failure. When the test stops, the exact response times of the measurement
window (after spawning, sign-in and warm-up) and the failure counts of the whole run are written as
JSON to ``BENCH_SAMPLES_FILE``:

``{"window_seconds": float, "stopped_by_request_cap": bool, "login_failures": [str],
"paths": {"measured" | "floor": {"times_ms": [float], "failures": int,
"failure_examples": [str]}}}``

A failed sign-in, or more than ``BENCH_MAX_REQUESTS`` requests, stops the run at once.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import gevent
from benchmark import LoadConfig
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

LOGIN_PATH = "/accounts/login/"
MEASURED = "measured"
FLOOR = "floor"
FAILURE_EXAMPLES_KEPT = 5

CONFIG = LoadConfig.from_environment()


class Recorder:
    """Collects response times inside the measurement window and failures at any time."""

    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.environment: Environment | None = None
        self.window_start: float | None = None
        self.spawned = False
        self.signed_in = 0
        self.window_end: float | None = None
        self.request_count = 0
        self.stopped_by_request_cap = False
        self.login_failures: list[str] = []
        self.times_ms: dict[str, list[float]] = {MEASURED: [], FLOOR: []}
        self.failures: dict[str, int] = {MEASURED: 0, FLOOR: 0}
        self.failure_examples: dict[str, list[str]] = {MEASURED: [], FLOOR: []}

    def stop_run(self) -> None:
        """Ask the runner to quit from a fresh greenlet, never from the caller's own."""
        if self.environment is not None and self.environment.runner is not None:
            gevent.spawn(self.environment.runner.quit)

    def on_spawning_complete(self, **_: Any) -> None:
        self.spawned = True
        self.start_window_when_ready()

    def on_signed_in(self) -> None:
        self.signed_in += 1
        self.start_window_when_ready()

    def start_window_when_ready(self) -> None:
        """Start the warm-up once every user has started and every user who signs in has
        (sign-ins take long on a loaded machine, one password hash each)."""
        expected = (self.config.measured_users if self.config.login else 0) + (
            self.config.floor_users if self.config.floor_login else 0
        )
        if self.window_start is None and self.spawned and self.signed_in >= expected:
            self.window_start = time.perf_counter() + self.config.warmup_seconds

    def on_request(
        self, name: str, response_time: float, exception: BaseException | None, **_: Any
    ) -> None:
        if self.window_end is not None or name not in self.times_ms:
            return
        self.request_count += 1
        if exception is not None:
            self.failures[name] += 1
            examples, example = self.failure_examples[name], str(exception)[:300]
            if len(examples) < FAILURE_EXAMPLES_KEPT and example not in examples:
                examples.append(example)
        elif self.window_start is not None and time.perf_counter() >= self.window_start:
            self.times_ms[name].append(response_time)
        if self.request_count >= self.config.max_requests and not self.stopped_by_request_cap:
            self.stopped_by_request_cap = True
            self.stop_run()

    def on_test_stop(self, **_: Any) -> None:
        if self.window_end is None:
            self.window_end = time.perf_counter()
        self.write()

    def window_seconds(self) -> float:
        if self.window_start is None or self.window_end is None:
            return 0.0
        return max(0.0, self.window_end - self.window_start)

    def write(self) -> None:
        report = {
            "window_seconds": self.window_seconds(),
            "stopped_by_request_cap": self.stopped_by_request_cap,
            "login_failures": self.login_failures,
            "paths": {
                name: {
                    "times_ms": self.times_ms[name],
                    "failures": self.failures[name],
                    "failure_examples": self.failure_examples[name],
                }
                for name in (MEASURED, FLOOR)
            },
        }
        with open(self.config.samples_file, "w", encoding="utf-8") as samples_file:
            json.dump(report, samples_file)


RECORDER = Recorder(CONFIG)


@events.init.add_listener
def remember_environment(environment: Environment, **_: Any) -> None:
    RECORDER.environment = environment


events.spawning_complete.add_listener(RECORDER.on_spawning_complete)
events.request.add_listener(RECORDER.on_request)
events.test_stop.add_listener(RECORDER.on_test_stop)


def request_expecting_ok(user: FastHttpUser, path: str, name: str) -> None:
    with user.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"GET {path} answered {response.status_code}, expected 200")


def sign_in(user: FastHttpUser, username: str, password: str) -> None:
    """Sign in with the login form; on failure record why and stop the whole run."""
    with user.client.get(LOGIN_PATH, name="login form", catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"GET {LOGIN_PATH} answered {response.status_code}")
    csrf_token = next(
        (cookie.value for cookie in user.client.cookiejar if cookie.name == "csrftoken"), None
    )
    if csrf_token is None:
        fail_sign_in(f"GET {LOGIN_PATH} set no csrftoken cookie")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token}
    with user.client.post(
        LOGIN_PATH,
        name="login",
        data=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code == 302:
            RECORDER.on_signed_in()
            return
        response.failure(f"sign-in answered {response.status_code}")
    fail_sign_in(f"POST {LOGIN_PATH} as {username} answered {response.status_code}, not 302")


def fail_sign_in(reason: str) -> None:
    RECORDER.login_failures.append(reason)
    RECORDER.stop_run()
    raise StopUser()


class MeasuredUser(FastHttpUser):
    abstract = CONFIG.measured_users == 0  # locust runs no users of an abstract class
    fixed_count = CONFIG.measured_users
    wait_time = constant(0)

    def on_start(self) -> None:
        if CONFIG.login:
            sign_in(self, CONFIG.username, CONFIG.password)

    @task
    def measured(self) -> None:
        request_expecting_ok(self, CONFIG.measured_path, MEASURED)


class FloorUser(FastHttpUser):
    abstract = CONFIG.floor_users == 0
    fixed_count = CONFIG.floor_users
    wait_time = constant(0)

    def on_start(self) -> None:
        if CONFIG.floor_login:
            sign_in(self, CONFIG.username, CONFIG.password)

    @task
    def floor(self) -> None:
        request_expecting_ok(self, CONFIG.floor_path, FLOOR)
