"""Encryption and keyed hashing of identity codes.

The code is stored encrypted with Fernet (AES-128-CBC with HMAC-SHA256). Keys come from
``POLKU_IDENTITY_KEYS``: the first encrypts, all decrypt, so a new key can be put first and
``rotate_identity_keys`` re-encrypts every row. Exact lookup and the one-person-per-code
rule use an HMAC-SHA256 of the normalised code under ``POLKU_IDENTITY_LOOKUP_KEY``, which
reveals nothing without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    """A Fernet key from any secret string (a 32-byte digest, base64-encoded)."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.POLKU_IDENTITY_KEYS))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """The keyed hash of a normalised identity code."""
    key = settings.POLKU_IDENTITY_LOOKUP_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
