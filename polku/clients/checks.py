"""System checks for the configuration that protects identity codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

MINIMUM_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_identity_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """polku.W001: identity-code keys must be long random strings in production."""
    keys = [*settings.POLKU_IDENTITY_KEYS, settings.POLKU_IDENTITY_LOOKUP_KEY]
    if any(len(key) < MINIMUM_KEY_LENGTH for key in keys):
        return [
            Warning(
                "An identity-code key is shorter than 32 characters.",
                hint="Set POLKU_IDENTITY_KEYS and POLKU_IDENTITY_LOOKUP_KEY to long random "
                "strings (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))').",
                id="polku.W001",
            )
        ]
    return []
