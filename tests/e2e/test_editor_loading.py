"""The editor fetches what it edits as it opens; when that fails, it says so in the page."""

import json

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def annotate_url(base_url: str, document) -> str:
    return f"{base_url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/"


def test_the_editor_opens_with_the_data_its_page_preloaded(page: Page, live_server, document):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    fetched = []
    page.on(
        "request", lambda request: fetched.append(request) if "editor-data" in request.url else None
    )
    page.goto(annotate_url(live_server.url, document))
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    expect(page.locator("#article")).to_have_text(document.text)
    assert len(fetched) == 1  # the preload, used by the editor's fetch: not asked twice


def test_a_network_failure_says_the_document_could_not_be_opened(page: Page, live_server, document):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.route("**/editor-data/", lambda route: route.abort("connectionrefused"))
    page.goto(annotate_url(live_server.url, document))
    article = page.locator("#article")
    expect(article).to_have_attribute("data-failed", "true")
    expect(article).to_contain_text("Could not open this document. The server did not answer")
    expect(page.locator("#notice")).to_have_attribute("data-tone", "error")
    expect(article).not_to_have_attribute("data-ready", "true")


def test_a_refusal_gives_the_servers_message(page: Page, live_server, document):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)

    def refused(route: Route) -> None:
        body = json.dumps({"message": "No annotation layer 7.", "extra": {}})
        route.fulfill(status=404, content_type="application/json", body=body)

    page.route("**/editor-data/", refused)
    page.goto(annotate_url(live_server.url, document))
    expect(page.locator("#article")).to_have_text(
        "Could not open this document. No annotation layer 7."
    )
