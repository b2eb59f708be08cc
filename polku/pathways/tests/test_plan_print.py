"""The client's copy of the plan: drawn after the read and its log row have committed, in
the client's language, with the case manager's contact details, a print button, and a PDF
tagged for screen readers (PDF/UA-1)."""

from __future__ import annotations

import re
import zlib

import pytest
from django.db import connection
from django.urls import reverse
from weasyprint import HTML

from polku.audit.models import AccessLogEntry
from polku.pathways import services
from polku.pathways.tests.test_plan_form import open_episode


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_drawn_outside_the_database_transaction(client, team, monkeypatch):
    # Given a plan to print
    episode = services.open_episode(
        actor=team.actor(), client=team.client, programme=team.programme, organisation=team.org_a
    )
    services.save_plan(actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")])
    drawn_in_transaction = []
    write_pdf = HTML.write_pdf

    def observed(self, *args, **kwargs):
        drawn_in_transaction.append(connection.in_atomic_block)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", observed)
    client.force_login(team.manager)
    before = AccessLogEntry.objects.count()

    # When the PDF is asked for
    url = reverse("pathways:plan_print", kwargs={"public_id": episode.public_id})
    response = client.get(url, {"format": "pdf"})

    # Then it is a PDF, drawn with no transaction open, and the look is logged once
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert drawn_in_transaction == [False]
    assert AccessLogEntry.objects.count() == before + 1


def _streams(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (metadata, object streams) opened."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


@pytest.fixture
def swedish_plan(team):
    """A plan for a client who prefers Swedish, with a case manager who has a phone."""
    team.client.preferred_language = "sv"
    team.client.save(update_fields=["preferred_language"])
    team.manager.phone = "040 123 4567"
    team.manager.title = "Työllisyysasiantuntija"
    team.manager.save(update_fields=["phone", "title"])
    episode = open_episode(team)
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[
            services.GoalInput(
                "Jag vill jobba i en snickeriverkstad",
                baseline="Ingen arbetserfarenhet inom branschen.",
                levels=("", "", "Arbetsprövning två dagar i veckan.", "", ""),
            )
        ],
        actions=[services.ActionInput("Besök på verkstaden", goal_position=0)],
    )
    return episode


@pytest.mark.django_db
def test_the_printout_is_in_the_clients_language_inside_the_users_page(client, team, swedish_plan):
    client.force_login(team.manager)
    url = reverse("pathways:plan_print", kwargs={"public_id": swedish_plan.public_id})

    page = client.get(url).content.decode()

    # The page around the plan stays in the user's language (English here) ...
    assert '<html lang="en">' in page
    assert "Download as PDF" in page
    assert 'href="?format=pdf&amp;lang=sv"' in page
    # ... the plan itself is in the client's Swedish
    assert '<article class="card" lang="sv">' in page
    assert "Din plan" in page
    assert "Your plan" not in page
    assert "Jag vill jobba i en snickeriverkstad" in page
    assert "Arbetsprövning två dagar i veckan." in page
    # with the case manager's contact details
    assert "Maija Aaltomaa, Työllisyysasiantuntija" in page
    assert "Työllisyysalue A" in page
    assert "040 123 4567" in page
    assert "manager@example.invalid" in page
    # and a print button that scripts reveal, with the browser's print command without them
    assert '<button type="button" class="button" data-print hidden>Print</button>' in page
    assert "<noscript>" in page


@pytest.mark.django_db
def test_the_printout_can_be_asked_for_in_another_language(client, team, swedish_plan):
    client.force_login(team.manager)
    url = reverse("pathways:plan_print", kwargs={"public_id": swedish_plan.public_id})

    page = client.get(url, {"lang": "fi"}).content.decode()

    assert '<article class="card" lang="fi">' in page
    assert "Sinun suunnitelmasi" in page


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_tagged_for_screen_readers_in_the_clients_language(client, team, swedish_plan):
    client.force_login(team.manager)
    url = reverse("pathways:plan_print", kwargs={"public_id": swedish_plan.public_id})

    response = client.get(url, {"format": "pdf"})

    assert response.status_code == 200
    content = _streams(response.content)
    # PDF/UA-1, declared in the XMP metadata, with a structure tree and the document's language
    assert b'pdfuaid:part="1"' in content
    assert b"/StructTreeRoot" in content
    assert b"/MarkInfo <</Marked true>>" in content
    assert b"/Lang (sv)" in content
    assert b"/DisplayDocTitle true" in content
