"""Real headless Chromium (Debian's package) driven by Playwright, with axe-core audits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import TEST_PASSWORD

CHROMIUM = Path(os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's synchronous API runs an event loop in this thread; the test's own database
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"{CHROMIUM} is missing; the browser tests must run under CI.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Pages with charts wait for their first rendering (vl-convert starts its engine once per
# server process), which on a loaded two-core test machine can take longer than
# Playwright's default 30 seconds. A wait, not a timing assertion.
WAIT_MS = 90_000


def new_page(browser: Browser, **context_options: Any) -> Page:
    page = browser.new_context(locale="fi-FI", **context_options).new_page()
    page.set_default_timeout(WAIT_MS)
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    context = page.context
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """Run every axe-core rule on the page and fail with the report if any is violated."""
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(
    browser: Browser, base_url: str, username: str, width: int = 1280, height: int = 900
) -> Page:
    page = new_page(browser, viewport={"width": width, "height": height})
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{base_url}/")
    return page
