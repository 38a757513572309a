"""Submitting asks first while predictions wait to be accepted; Esc goes back, nothing sent."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, prediction_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_submitting_pending_predictions_asks_and_accepts_them_all(
    page: Page, live_server, document
):
    prediction_create(document)  # Kofi Annan, Damascus and a Life.Die: three pending
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.goto(f"{live_server.url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")

    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("3 predictions not reviewed")
    expect(dialog.get_by_role("button", name="Go back")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#notice")).to_contain_text("Not submitted")
    layer = Annotation.objects.get(document=document, kind="annotator")
    assert (layer.status, layer.spans.filter(accepted=False).count()) == ("draft", 2)

    page.get_by_role("button", name="Submit").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Accept them all and submit")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/corpora/{document.corpus.slug}/$"))

    layer.refresh_from_db()
    assert (layer.status, layer.version, layer.origin["submitted"]["accepted_on_submit"]) == (
        "submitted",
        2,
        3,
    )
    assert not layer.spans.filter(accepted=False).exists()
    assert not layer.events.filter(accepted=False).exists()
    gold = Annotation.objects.get(document=document, kind="gold")  # no review, one annotator
    assert (gold.status, gold.spans.count(), gold.events.count()) == ("reviewed", 2, 1)
