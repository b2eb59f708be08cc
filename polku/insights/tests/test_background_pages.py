"""The background figures page: analysts and administrators load files and see what is
loaded; everyone else gets 404 and changes nothing; a bad file shows its problems (400)
and loads nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from polku.accounts.models import Membership
from polku.insights.models import BackgroundFigure, BackgroundImport
from polku.insights.tests.fixtures_background import (
    JOBSEEKERS_SAMPLE,
    POPULATION_SAMPLE,
)
from polku.policy import decisions
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db

URL = reverse("insights:background")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _upload(path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


@pytest.mark.parametrize("who", ["analyst", "administrator"])
def test_the_page_opens_to_analysts_and_administrators(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(URL)

    assert response.status_code == 200
    text = _text(response)
    assert "Background figures of municipalities" in text
    assert "No file has been loaded yet." in text
    # the dry run is ticked until someone unticks it
    assert re.search(
        r'<input type="checkbox" name="dry_run"[^>]*checked', response.content.decode()
    )


def test_a_social_worker_gets_404_and_changes_nothing(client, social_worker):
    client.force_login(social_worker)

    assert client.get(URL).status_code == 404
    response = client.post(URL, {"file": _upload(POPULATION_SAMPLE), "dry_run": ""})

    assert response.status_code == 404
    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


def test_a_dry_run_reports_and_loads_nothing(client, analyst):
    client.force_login(analyst)

    response = client.post(URL, {"file": _upload(POPULATION_SAMPLE), "dry_run": "on"})

    assert response.status_code == 200
    text = _text(response)
    assert "Dry run of the file: population-pirkanmaa-2023-2024.csv" in text
    assert "26 rows read." in text
    assert "Figures to add: 24." in text
    assert "2 rows of other areas than municipalities were skipped." in text
    assert "Dry run: nothing was loaded." in text
    assert BackgroundFigure.objects.count() == 0


def test_a_load_shows_the_report_what_is_loaded_and_the_file(client, analyst):
    client.force_login(analyst)

    response = client.post(URL, {"file": _upload(JOBSEEKERS_SAMPLE), "source": "Esimerkkiaineisto"})

    assert response.status_code == 200
    text = _text(response)
    assert "The figures have been loaded." in text
    assert BackgroundFigure.objects.count() == 72
    # the table of what is loaded: each kind's latest period and its municipalities
    assert "Unemployed jobseekers at the end of the month 3/2025 12" in text
    assert "Long-term unemployed at the end of the month 3/2025 12" in text
    assert "Population at the end of the year none loaded 0" in text
    # the file, who loaded it and its counts
    assert "Aino Analyysimaa jobseekers-pirkanmaa-2025.csv" in text
    assert "Jobseekers by month 36 72 0 Esimerkkiaineisto" in text


def test_a_bad_file_shows_its_problems_with_400_and_loads_nothing(client, administrator):
    client.force_login(administrator)
    bad = SimpleUploadedFile(
        "huono.csv", "Alue;Vuosi;Väkiluku\n837;2024;1000\n998;2024;-5\n".encode()
    )

    response = client.post(URL, {"file": bad})

    assert response.status_code == 400
    text = _text(response)
    assert "The file was not loaded: huono.csv" in text
    assert "3 Alue No municipality has the code 998." in text
    assert "3 Väkiluku A figure cannot be negative (-5)." in text
    assert "2 problems: nothing was loaded." in text
    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


def test_a_form_without_a_file_is_refused_with_400(client, analyst):
    client.force_login(analyst)

    response = client.post(URL, {"dry_run": "on"})

    assert response.status_code == 400
    assert "Choose the file to load." in _text(response)
    assert BackgroundImport.objects.count() == 0


def test_the_policy_of_loading(analyst, administrator, social_worker):
    assert decisions.may_import_background_figures(Actor.for_user(analyst))
    assert decisions.may_import_background_figures(Actor.for_user(administrator))
    assert not decisions.may_import_background_figures(Actor.for_user(social_worker))

    # an analyst whose membership has ended, or whose organisation is no longer active
    membership = Membership.objects.get(user=analyst)
    membership.valid_until = timezone.localdate() - timedelta(days=1)
    membership.valid_from = membership.valid_until - timedelta(days=30)
    membership.save()
    assert not decisions.may_import_background_figures(Actor.for_user(analyst))
    membership.valid_until = None
    membership.save()
    membership.organisation.is_active = False
    membership.organisation.save()
    analyst.refresh_from_db()
    assert not decisions.may_import_background_figures(
        Actor.professional(Membership.objects.get(user=analyst))
    )
