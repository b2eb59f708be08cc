"""Production settings are safe: `check --deploy` passes and missing secrets fail fast."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("POLKU_", "DJANGO_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "POLKU_ENVIRONMENT": "production",
    "SECRET_KEY": "a-production-secret-key-of-sufficient-length-and-variety-7f3c9e1b2d",
    "ALLOWED_HOSTS": "polku.example.fi",
    "DATABASE_URL": "sqlite:////tmp/polku-deploy-check.sqlite3",
    "EMAIL_URL": "smtp://mail.example.fi:587",
    "POLKU_IDENTITY_KEYS": (
        "identity-key-2026-aa5c0e9b8d7f6e5d4c3b2a19f8e7d6c5,"
        "identity-key-2025-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d"
    ),
    "POLKU_IDENTITY_LOOKUP_KEY": "lookup-key-4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a",
    "POLKU_AUDIT_SEAL_KEYS": "seal-key-2026-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
}


def test_check_deploy_passes_with_the_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    settings = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = run_manage("check", **settings)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when POLKU_ENVIRONMENT=production" in result.stderr


def test_short_identity_keys_are_flagged_by_the_deploy_check():
    settings = {**PRODUCTION, "POLKU_IDENTITY_KEYS": "short"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **settings)

    assert result.returncode != 0
    assert "polku.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_access_log_seal_keys():
    settings = {key: value for key, value in PRODUCTION.items() if key != "POLKU_AUDIT_SEAL_KEYS"}

    result = run_manage("check", **settings)

    assert result.returncode != 0
    assert "POLKU_AUDIT_SEAL_KEYS must be set when POLKU_ENVIRONMENT=production" in result.stderr


def test_short_access_log_seal_keys_are_flagged_by_the_deploy_check():
    settings = {**PRODUCTION, "POLKU_AUDIT_SEAL_KEYS": "short"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **settings)

    assert result.returncode != 0
    assert "polku.W002" in result.stderr + result.stdout


def test_production_headers_are_strict():
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.X_FRAME_OPTIONS,"
        " s.POLKU_REQUIRE_SECOND_FACTOR)",
        **PRODUCTION,
    )

    assert result.stdout.split() == ["False", "31536000", "True", "DENY", "True"]
