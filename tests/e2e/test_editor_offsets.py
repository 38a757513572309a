"""Selections in the editor become code point offsets, whatever characters come before them."""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from tests.e2e.conftest import drag_select, sign_in
from tests.factories import PASSWORD, DocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_span_after_emoji_and_combining_marks_is_saved_at_code_point_offsets(
    page: Page, live_server, corpus
):
    text = "👨🏻‍🚒 Cafe\u0301 owner Kofi Annan arrived in Damascus 🇸🇾 today."
    document = DocumentFactory(corpus=corpus, text=text)
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.goto(f"{live_server.url}/corpora/{corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")

    drag_select(page, "Damascus")
    page.get_by_role("button", name="GPE Geo-political entity", exact=True).click()
    damascus = page.locator('#article mark[data-label="GPE"]')
    start = text.index("Damascus")  # code points; the emoji before it take more UTF-16 units
    expect(damascus).to_have_text("Damascus")
    expect(damascus).to_have_attribute("data-start", str(start))
    expect(damascus).to_have_attribute("data-end", str(start + len("Damascus")))
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    layer = Annotation.objects.get(document=document, kind="annotator")
    (span,) = layer.spans.all()
    assert text[span.start : span.end] == "Damascus"
