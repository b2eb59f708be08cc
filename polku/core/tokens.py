"""Tokens of single-use links: made at random, stored only as their SHA-256.

The token itself exists only in the link handed to its holder; the database keeps its
hash, so that a copy of the database opens no link.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh URL-safe token (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 of ``token`` as stored in a link's ``token_hash``."""
    return hashlib.sha256(token.encode()).hexdigest()
