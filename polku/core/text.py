"""Text helpers shared by the apps: pure functions, no database."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` for matching regardless of case and accents: "Mäki-Åström" → "maki-astrom".

    Folded in Python rather than by the database, so that SQLite and PostgreSQL match
    alike (neither folds accents without extensions, and SQLite lowers ASCII only)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()
