"""A non-disclosure for personal safety (turvakielto), tried on every page, printout and export.

In the demo, the employment area registers a non-disclosure for Aino Lehtinen, whom the
social services also serve (with her pathway and plan) and an NGO sees through her
consent. Every demo user then crawls, from every client-data URL of hers that the URL
resolver knows (``tests/test_url_access.py``), every link of those pages that names her data
— printouts as PDF and exports included — and her street address, postal code and
municipality (in Finnish and Swedish) must be nowhere but in the employment area's own
pages. The search, the merge screen and the group statistics are tried as well.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import pytest
from django.test import Client as DjangoClient
from django.urls import Resolver404, resolve, reverse
from pypdf import PdfReader

from polku.accounts.models import User
from polku.clients.models import Client
from polku.clients.services import set_non_disclosure
from polku.core.models import Municipality
from polku.measures.models import InstrumentVersion
from polku.policy.actors import Actor
from tests import test_url_access as sweep
from tests.test_url_access import ROUTES, USERNAMES, _kind, _targets

# The URL sweep's fixtures: the demo, built once for the module, and signing in.
demo = sweep.demo
signed_in = sweep.signed_in


SignIn = Callable[[str], tuple[User, Actor]]

REGISTERING_USER = "asiantuntija"  # Tampereen seudun työllisyysalue
# Where she lives, as nothing else in the demo spells it.
STREET = "Hämeenpuisto 21 B 14"
POSTAL_CODE = "02400"
KIRKKONUMMI = "257"
SECRETS = (STREET, POSTAL_CODE, "Kirkkonummi", "Kyrkslätt")
ROUTE_NAMES = {route.name for route in ROUTES}
LINK = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def protected(
    signed_in: SignIn,
) -> Client:
    """Aino Lehtinen, living in Kirkkonummi, under a non-disclosure the employment area set."""
    aino = Client.objects.get(last_name="Lehtinen", merged_into__isnull=True)
    aino.municipality = Municipality.objects.get(pk=KIRKKONUMMI)
    aino.street_address, aino.postal_code, aino.post_office = STREET, POSTAL_CODE, "Kirkkonummi"
    aino.save()
    _user, actor = signed_in(REGISTERING_USER)
    return set_non_disclosure(actor=actor, client=aino)


def _text(response: Any) -> str:
    """What a response shows: the page, the export, or the PDF's text."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _her_ids(client: Client) -> set[str]:
    """The ids in URLs that name her data: her own and her records'."""
    ids = set()
    for kind in sorted({_kind(route) for route in ROUTES} - {None}):
        for target in _targets(kind or ""):
            if target.client.pk == client.pk:
                ids.update(str(value) for value in target.kwargs.values())
    return ids


def _names_her_data(url: str, her_ids: set[str]) -> bool:
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return False
    name = f"{':'.join(match.namespaces)}:{match.url_name}" if match.namespaces else match.url_name
    return name in ROUTE_NAMES and bool({str(v) for v in match.kwargs.values()} & her_ids)


def crawl(client: DjangoClient, seeds: list[str], her_ids: set[str]) -> dict[str, tuple[int, str]]:
    """Every page reachable from ``seeds`` through links that name her data: the status and
    the text of each."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(seeds)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        text = _text(response) if response.status_code == 200 else ""
        seen[url] = (response.status_code, text)
        if response.get("Content-Type", "").startswith("text/html"):
            for href in LINK.findall(text):
                link = urljoin(url, html.unescape(href))
                if link.startswith("/") and link not in seen and _names_her_data(link, her_ids):
                    queue.append(link)
    return seen


def _seeds(client: Client) -> list[str]:
    return [
        reverse(route.name, kwargs=target.kwargs)
        for route in ROUTES
        for target in _targets(_kind(route) or "")
        if target.client.pk == client.pk
    ]


def test_the_address_is_on_no_page_pdf_or_export_but_the_registering_organisations(
    protected: Client,
    signed_in: SignIn,
    client: DjangoClient,
) -> None:
    # given her non-disclosure, every URL of her data, and the links that lead on from them
    seeds, her_ids = _seeds(protected), _her_ids(protected)
    read: dict[str, set[str]] = {}
    for username in USERNAMES:
        signed_in(username)

        # when each demo user crawls them
        pages = crawl(client, seeds, her_ids)

        # then only the employment area's users see where she lives
        read[username] = {url for url, (status, _text) in pages.items() if status == 200}
        for url, (_status, text) in pages.items():
            shown = [secret for secret in SECRETS if secret in text]
            if username != REGISTERING_USER:
                assert shown == [], f"{url} as {username} shows {shown}"
    overview = reverse("clients:overview", kwargs={"public_id": protected.public_id})
    registering, _ = crawl_one(client, signed_in, REGISTERING_USER, overview)
    assert STREET in registering
    assert "Kirkkonummi" in registering
    # and the crawl reached her pages, her plan as PDF and her access log as CSV
    assert overview in read["sosiaalityontekija"]
    assert overview in read["tyohonvalmentaja"]
    assert any("format=pdf" in url for url in read["sosiaalityontekija"])
    assert any("format=pdf" in url for url in read["tyohonvalmentaja"])
    assert any("/access-log/export/" in url for url in read["sosiaalityontekija"])


def crawl_one(
    client: DjangoClient,
    signed_in: SignIn,
    username: str,
    url: str,
    data: dict[str, str] | None = None,
) -> tuple[str, int]:
    signed_in(username)
    response = client.post(url, data) if data is not None else client.get(url)
    return _text(response), response.status_code


def test_the_search_and_the_edit_form_of_another_organisation_show_neither(
    protected: Client,
    signed_in: SignIn,
    client: DjangoClient,
) -> None:
    # given her non-disclosure, when the social worker (who serves her) searches for her
    # and opens her details for editing
    found, status = crawl_one(
        client, signed_in, "sosiaalityontekija", reverse("clients:search"), {"q": "Lehtinen"}
    )
    edit = reverse("clients:edit", kwargs={"public_id": protected.public_id})
    form, form_status = crawl_one(client, signed_in, "sosiaalityontekija", edit)

    # then she is found, but where she lives is not shown, nor offered for editing
    assert (status, form_status) == (200, 200)
    assert "Lehtinen" in found
    assert "Non-disclosure" in found
    assert [secret for secret in SECRETS if secret in found + form] == []
    assert 'name="street_address"' not in form
    assert 'name="municipality"' not in form


def test_the_merge_screen_shows_neither(
    protected: Client,
    signed_in: SignIn,
    client: DjangoClient,
) -> None:
    # given her non-disclosure and another record, when an administrator compares them
    other = Client.objects.exclude(pk=protected.pk).filter(merged_into__isnull=True).first()
    assert other is not None
    page, status = crawl_one(
        client,
        signed_in,
        "paakayttaja",
        reverse("clients:merge"),
        {"keep": str(protected.public_id), "duplicate": str(other.public_id)},
    )

    # then both records are shown by name, without her address
    assert status == 200
    assert "Lehtinen" in page
    assert [secret for secret in SECRETS if secret in page] == []


def test_no_group_statistic_places_her_in_her_municipality(
    protected: Client,
    signed_in: SignIn,
    client: DjangoClient,
) -> None:
    # given her non-disclosure, when every demo user opens the change in groups by
    # municipality for every instrument
    instruments = InstrumentVersion.latest_in_use(scored_only=True)
    for username in USERNAMES:
        for code in instruments:
            page, status = crawl_one(
                client,
                signed_in,
                username,
                f"{reverse('measures:groups')}?by=municipality&instrument={code}",
            )

            # then no group is her municipality
            assert status == 200
            assert "Kirkkonummi" not in page, f"{code} as {username}"
