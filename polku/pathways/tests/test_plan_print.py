"""The plan's PDF is drawn after the read and its log row have committed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from weasyprint import HTML

from polku.audit.models import AccessLogEntry
from polku.pathways import services


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
