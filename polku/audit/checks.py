"""System checks for the configuration that protects the access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

MINIMUM_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_seal_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """polku.W002: access-log seal keys must be long random strings in production."""
    if any(len(key) < MINIMUM_KEY_LENGTH for key in settings.POLKU_AUDIT_SEAL_KEYS):
        return [
            Warning(
                "An access-log seal key is shorter than 32 characters.",
                hint="Set POLKU_AUDIT_SEAL_KEYS to long random strings, the sealing key "
                "first (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))').",
                id="polku.W002",
            )
        ]
    return []
