"""Query-count guards: the client's measurements page and its plain-language summary ask
the database as many times for six measurements as for one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.measures import services

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    """The number of queries one GET of ``url`` asks (after a first, warming GET)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def measure(setting, times: int) -> None:
    """``times`` completed Work Ability Scores, a rating and a questionnaire left open."""
    for number in range(times):
        administration = services.start_administration(
            actor=setting.actor(),
            client=setting.client,
            organisation=setting.org_a,
            instrument=services.latest_version("work-ability-score"),
        )
        services.save_answers(
            actor=setting.actor(),
            administration=administration,
            answers={"was": number % 11},
            submit=True,
        )
        services.start_administration(
            actor=setting.actor(),
            client=setting.client,
            organisation=setting.org_a,
            instrument=services.latest_version("work-ability-score"),
        )


@pytest.mark.parametrize("page", ["measures:client", "measures:plain_summary"])
def test_the_measurements_pages_ask_as_many_queries_for_six_as_for_one(setting, client, page):
    # given a client with one measurement and one open
    measure(setting, 1)
    client.force_login(setting.worker)
    url = reverse(page, kwargs={"public_id": setting.client.public_id})
    one = queries_for(client, url)

    # when the client has six of each
    measure(setting, 5)
    six = queries_for(client, url)

    # then the page asks the database as often
    assert six == one
