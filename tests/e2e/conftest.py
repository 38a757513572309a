"""Playwright in Debian's Chromium against Django's live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.config.test_csp import import_job_create, page_urls
from tests.factories import prediction_create

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest hands every conftest the whole session's items: mark only this folder's.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous, so Django's async guard is lifted while it runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    _answered(page, in_flight)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _answered(page: Page, in_flight: set) -> None:
    """Wait until the page's requests in flight (an autosave sent as the test ended) are
    answered: the live server must be done writing before the test's database is flushed
    (a save still writing made the flush fail on a foreign key)."""
    while in_flight:
        try:
            page.wait_for_event("requestfinished", timeout=5_000)
        except PlaywrightTimeoutError:
            return  # a request that does not end, or one that failed: nothing left to wait for


@pytest.fixture
def world(corpus, document, owner):
    """Every page's URL by name (`page_urls`) for the owner's corpus with predictions, a gold
    layer started and a finished import (test_accessibility adds a trained model and more
    pages in its own)."""
    prediction_create(document)
    client = Client()
    client.force_login(owner)
    client.post(reverse("document-gold-edit", kwargs={"slug": corpus.slug, "pk": document.pk}))
    job = import_job_create(corpus=corpus, owner=owner)
    return page_urls(corpus=corpus, document=document, job=job)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(base_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Corpora").wait_for()


def drag_select(page: Page, text: str, occurrence: int = 0, trim: int = 2) -> None:
    """Drag the mouse over `text` in the article, starting and ending inside its first and last
    words (`trim` characters in), as a hurried person would; the editor snaps to tokens."""
    box = page.evaluate(
        """([needle, occurrence, trim]) => {
            const article = document.getElementById("article");
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let all = "";
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                nodes.push([node, all.length]);
                all += node.data;
            }
            let at = -1;
            for (let i = 0; i <= occurrence; i++) at = all.indexOf(needle, at + 1);
            const point = (offset) => {
                const [node, base] = nodes.findLast(([, start]) => start <= offset);
                const range = document.createRange();
                range.setStart(node, offset - base);
                range.setEnd(node, offset - base + 1);
                return range.getBoundingClientRect();
            };
            const first = point(at + trim);
            const last = point(at + needle.length - 1 - trim);
            return {x0: first.left + 1, y0: first.top + first.height / 2,
                    x1: last.right - 1, y1: last.top + last.height / 2};
        }""",
        [text, occurrence, trim],
    )
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=5)
    page.mouse.up()
