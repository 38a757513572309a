"""The editor saves by itself, says when it cannot, and never loses either side of a conflict."""

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from annotations.history import revision_snapshot
from annotations.models import Annotation
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def open_editor(page: Page, base_url: str, document) -> None:
    page.goto(f"{base_url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")


def label_tokens(page: Page, first: int, count: int, name: str) -> None:
    """From nothing selected, select `count` tokens from token `first` and apply label `name`."""
    page.locator("#article").focus()
    page.keyboard.press("Escape")
    for _ in range(first + 1):
        page.keyboard.press("ArrowRight")
    for _ in range(count - 1):
        page.keyboard.press("Shift+ArrowRight")
    page.get_by_role("button", name=name, exact=True).click()


@pytest.fixture
def two_tabs(browser: Browser, live_server, document):
    """The annotator has the same document open in two tabs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    first = context.new_page()
    sign_in(first, live_server.url, "ana-annotator", PASSWORD)
    open_editor(first, live_server.url, document)
    second = context.new_page()
    open_editor(second, live_server.url, document)
    yield first, second
    context.close()


def test_a_conflict_between_two_tabs_is_reported_and_both_versions_are_kept(two_tabs, document):
    first, second = two_tabs
    label_tokens(first, 0, 2, "PER Person")  # "Kofi Annan"
    expect(first.locator("#save-status")).to_have_text("All changes saved")

    label_tokens(second, 4, 1, "GPE Geo-political entity")  # "Damascus"
    banner = second.get_by_role("alert")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("version 2")
    expect(second.locator("#save-status")).to_have_text("Not saved: conflict")
    expect(second.locator('#article mark[data-label="GPE"]')).to_have_text("Damascus")

    second.get_by_role("button", name="Keep mine").click()
    expect(second.locator("#save-status")).to_have_text("All changes saved")
    layer = Annotation.objects.get(document=document, kind="annotator")
    assert layer.version == 3
    assert [(span.start, span.entity_type.key) for span in layer.spans.all()] == [(22, "GPE")]
    theirs = revision_snapshot(layer.revisions.get(version=2))
    assert [(span["start"], span["end"], span["label"]) for span in theirs["spans"]] == [
        (0, 10, "PER")
    ]

    # The first tab, now behind, changes something too, then takes the other version; undo
    # brings its own work back.
    label_tokens(first, 2, 1, "PER Person")  # "arrived", a deliberate slip
    expect(first.get_by_role("alert")).to_be_visible()
    first.get_by_role("button", name="Load their version").click()
    expect(first.locator('#article mark[data-label="GPE"]')).to_have_text("Damascus")
    expect(first.locator('#article mark[data-label="PER"]')).to_have_count(0)
    first.keyboard.press("Control+z")
    expect(first.locator('#article mark[data-label="PER"]')).to_have_count(2)
    expect(first.locator("#save-status")).to_have_text("All changes saved")
    layer.refresh_from_db()
    assert layer.version == 4
    assert sorted(span.start for span in layer.spans.all()) == [0, 11]


def test_unsaved_changes_are_retried_and_guarded_when_the_network_fails(
    page: Page, live_server, document
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, document)

    def offline(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/api/annotations/*/", offline)
    label_tokens(page, 0, 2, "PER Person")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Unsaved changes")
    expect(status).to_contain_text("Retrying in")

    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    expect(status).to_contain_text("Unsaved changes")
    assert dialogs == ["beforeunload"]

    page.unroute("**/api/annotations/*/", offline)
    expect(status).to_have_text("All changes saved", timeout=15_000)
    layer = Annotation.objects.get(document=document, kind="annotator")
    assert [(span.start, span.end) for span in layer.spans.all()] == [(0, 10)]
