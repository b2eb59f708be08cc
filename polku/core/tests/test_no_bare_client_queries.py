"""Views, API modules and templates never query client data directly.

They reach it only through the apps' selectors, ``access_`` functions and ``visible_to``
querysets, which ask the access policy and write the access log. This test reads every
``views.py``, ``api.py`` and module under an ``api/`` package, and every template, and
fails on a bare query of a client-data model there (``Episode.objects.…``).

The client-data models are found from the models themselves: the client, and every model
that reaches it through its foreign keys (an answer link through its measurement), so that
a model a new app adds is covered without a change here.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

PROJECT = Path(settings.BASE_DIR) / "polku"
MANAGERS = r"(?:objects|_default_manager|_base_manager)"
# The models the access policy names; the computed set must hold every one of them.
NAMED = {
    "Client",
    "ServiceRelationship",
    "Consent",
    "ReferralGrant",
    "Episode",
    "PhaseChange",
    "CaseManagerAssignment",
    "Handover",
    "TeamMember",
    "Referral",
    "Plan",
    "Goal",
    "PlanAction",
    "PlanVersion",
    "PlanReview",
    "GoalAttainment",
    "JournalEntry",
    "Alert",
    "Administration",
    "AnswerLink",
}
SEARCH_DEPTH = 4


def _reaches_client(model: type[models.Model], depth: int = SEARCH_DEPTH) -> bool:
    if model._meta.label == "clients.Client":
        return True
    if depth == 0:
        return False
    return any(
        _reaches_client(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if field.many_to_one or (field.one_to_one and field.concrete)
        if isinstance(field.related_model, type)
    )


def client_data_models() -> set[str]:
    """Names of the project's models that hold data about a client."""
    return {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("polku.") and _reaches_client(model)
    }


def scanned_files(root: Path) -> list[Path]:
    """Every view module, API module and template under ``root``."""
    python = [
        path
        for path in root.rglob("*.py")
        if path.name in {"views.py", "api.py"} or "api" in path.relative_to(root).parts[:-1]
    ]
    templates = [path for path in root.rglob("*.html") if "templates" in path.parts]
    return sorted(path for path in python + templates if "tests" not in path.parts)


def bare_queries(root: Path, names: set[str]) -> list[str]:
    """``path:line: text`` for each bare query of one of ``names`` in the scanned files."""
    pattern = re.compile(rf"\b(?:{'|'.join(sorted(names))})\s*\.\s*{MANAGERS}\b")
    found = []
    for path in scanned_files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_every_model_the_policy_names_counts_as_client_data() -> None:
    # Given the project's models, when the client-data models are found from their keys
    found = client_data_models()

    # Then every model the policy names is among them, and no configuration model is
    assert found >= NAMED, sorted(NAMED - found)
    assert not found & {"Organisation", "Unit", "User", "Membership", "Programme"}


def test_no_view_api_module_or_template_queries_client_data_directly() -> None:
    # Given the project's views, API modules and templates
    assert any(path.name == "views.py" for path in scanned_files(PROJECT))

    # When they are searched for bare queries of client-data models
    found = bare_queries(PROJECT, client_data_models())

    # Then there are none: they go through selectors, access functions and visible_to
    assert found == []


def test_a_bare_query_in_a_view_an_api_module_or_a_template_is_found(tmp_path: Path) -> None:
    # Given a view, an API module and a template that query client data directly, and a
    # selector that may
    app = tmp_path / "someapp"
    (app / "api").mkdir(parents=True)
    (app / "templates" / "someapp").mkdir(parents=True)
    (app / "views.py").write_text("def page(request):\n    return Episode.objects.all()\n")
    (app / "api" / "clients.py").write_text("rows = Client._default_manager.filter(pk=1)\n")
    (app / "templates" / "someapp" / "list.html").write_text("{{ Consent.objects.all }}\n")
    (app / "selectors.py").write_text("rows = Episode.objects.all()\n")

    # When the files are searched
    found = bare_queries(tmp_path, client_data_models())

    # Then the three bare queries are named, and the selector is left alone
    assert found == [
        "someapp/api/clients.py:1: rows = Client._default_manager.filter(pk=1)",
        "someapp/templates/someapp/list.html:1: {{ Consent.objects.all }}",
        "someapp/views.py:2: return Episode.objects.all()",
    ]
