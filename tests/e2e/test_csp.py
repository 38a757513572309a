"""In Chromium, no page violates the Content-Security-Policy, and the entity colours, which
the pages now set through CSSOM rather than `style` attributes, still show."""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from tests.config.test_csp import (
    ADMIN_PAGES,
    ANNOTATOR_PAGES,
    ANONYMOUS_PAGES,
)
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""
PER_COLOUR = "rgb(166, 206, 227)"  # #a6cee3, PER in the factories' schema


@pytest.fixture
def admin(db):
    return UserFactory(username="ada-admin", is_staff=True, is_superuser=True)


def watch(page: Page) -> list[str]:
    """Record CSP violations: the DOM events, and Chromium's console reports of them."""
    page.add_init_script(RECORD_VIOLATIONS)
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports


def visit(page: Page, url: str, reports: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.cspViolations")
    assert not violations, f"{url}: {violations}"
    assert not reports, f"{url}: {reports}"


def test_no_page_violates_the_policy(page: Page, live_server, world, owner, annotator, admin):
    reports = watch(page)
    visit(page, live_server.url + world["login"], reports)
    sign_in(page, live_server.url, owner.username, PASSWORD)
    for name, url in world.items():
        if name not in ANONYMOUS_PAGES | ANNOTATOR_PAGES | ADMIN_PAGES:
            visit(page, live_server.url + url, reports)
            if name == "api-docs":  # Swagger UI's set-up script, now a file, ran
                expect(page.get_by_role("heading", name="Goldset API")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server.url, annotator.username, PASSWORD)
    for name in sorted(ANNOTATOR_PAGES):
        visit(page, live_server.url + world[name], reports)

    page.context.clear_cookies()
    sign_in(page, live_server.url, admin.username, PASSWORD)
    for name in sorted(ADMIN_PAGES):
        visit(page, live_server.url + world[name], reports)


def test_entity_colours_still_show(page: Page, live_server, world, owner, annotator):
    reports = watch(page)
    sign_in(page, live_server.url, owner.username, PASSWORD)
    prediction = Annotation.objects.get(kind=Annotation.Kind.PREDICTION)
    visit(page, f"{live_server.url}{world['document-detail']}?layer={prediction.pk}", reports)
    swatch = page.locator("#legend li", has_text="PER").locator(".swatch")
    assert swatch.evaluate("node => getComputedStyle(node).backgroundColor") == PER_COLOUR
    mark = page.locator('mark.entity[data-label="PER"]').first
    assert mark.evaluate("node => getComputedStyle(node).backgroundColor") == PER_COLOUR

    page.context.clear_cookies()
    sign_in(page, live_server.url, annotator.username, PASSWORD)
    visit(page, live_server.url + world["document-annotate"], reports)
    button = page.locator('#entity-palette .label-button[data-label="PER"] .swatch')
    assert button.evaluate("node => getComputedStyle(node).backgroundColor") == PER_COLOUR
