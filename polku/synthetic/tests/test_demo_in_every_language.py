"""Every page of the demo speaks the reader's language, names included: signed in as each
kind of demo user, with Swedish or English chosen, no page reachable by links from the
home page shows the Finnish name of a programme, organisation or unit that has a name in
that language.

Text marked as another language (``lang="fi"``: a consent summary or plan printout in a
Finnish-speaking client's language) may of course name things in Finnish, and so may what
people wrote (a plan's services, a journal entry), in whatever language they wrote it. The
Django admin is left out: it edits the official (Finnish) names themselves.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client

from polku.accounts.models import Organisation, Unit, User
from polku.pathways.models import Programme

pytestmark = pytest.mark.django_db

# One demo professional of each kind of work: case work, job coaching, project
# management, analysis and administration.
DEMO_USERS = [
    "sosiaalityontekija",
    "tyohonvalmentaja",
    "hankepaallikko",
    "analyytikko",
    "paakayttaja",
]
MAX_PAGES = 150  # per user and language, as the demo has fewer pages than that
SKIPPED = re.compile(
    r"^/admin/|/logout|/sign-out|format=pdf|\.csv|/export|fhir\.json|/static/|/media/"
)
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")


@dataclass
class Page(HTMLParser):
    """A page's links and its texts, each with the language it is marked in."""

    language: str
    links: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    stack: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    @property
    def current(self) -> str:
        return self.stack[-1][1] if self.stack else self.language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = (values.get("lang") or self.current).split("-")[0]
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in SPOKEN_ATTRIBUTES:
            if values.get(name) and not (tag == "input" and values.get("type") == "hidden"):
                self.texts.append((language, values[name] or ""))
        if tag not in VOID:
            self.stack.append((tag, language))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((self.current, data))


def finnish_names(language: str) -> dict[str, str]:
    """Finnish name → its name in ``language``, for every programme, organisation and unit
    whose name in that language differs and does not itself contain the Finnish one."""
    found = {}
    for model in (Programme, Organisation, Unit):
        for name, names in model.objects.values_list("name", "names"):
            translated = (names or {}).get(language)
            if translated and name not in translated:
                found[name] = translated
    return found


def written_by_people() -> list[str]:
    """Every free text of the demo's client work (plans, goals, journal entries,
    referrals …): written by people, not named by Polku."""
    texts: list[str] = []
    for app in ("clients", "pathways", "measures"):
        for model in apps.get_app_config(app).get_models():
            for column in model._meta.concrete_fields:
                if isinstance(column, models.TextField):
                    texts += model._default_manager.exclude(**{column.name: ""}).values_list(
                        column.name, flat=True
                    )
    return [text for text in texts if text]


def crawl(
    username: str, language: str, names: dict[str, str], written: list[str]
) -> tuple[int, list[str]]:
    browser = Client()
    browser.force_login(User.objects.get(username=username))
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    patterns = {name: re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in names}
    queue, seen, problems = deque(["/"]), {"/"}, []
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = browser.get(url, follow=True)
        visited += 1
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page(language)
        page.feed(response.content.decode())
        for marked, text in page.texts:
            if marked != language or any(text.strip() in free for free in written):
                continue
            for name, pattern in patterns.items():
                if pattern.search(text):
                    problems.append(
                        f"{username} ({language}) {url}: Finnish name {name!r} "
                        f"(should be {names[name]!r}) in {text.strip()[:120]!r}"
                    )
        for href in page.links:
            link = urldefrag(urljoin(url, href)).url
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/"):
                continue
            if SKIPPED.search(link) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return visited, problems


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_shows_a_finnish_name_that_has_a_translation(language):
    # Given the demo, whose programmes, organisations and units have Swedish and English
    # names
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    names = finnish_names(language)
    assert len(names) > 20

    # When each kind of user crawls the pages reachable from the home page
    problems, visited, written = [], 0, written_by_people()
    for username in DEMO_USERS:
        pages, found = crawl(username, language, names, written)
        visited += pages
        problems += found

    # Then none shows the Finnish form of a name that has one in the reader's language
    assert visited > 50
    assert not problems, "\n".join(dict.fromkeys(problems))
