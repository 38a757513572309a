"""The models page and what a trained model shows in the editor, in a real Chromium.

On an article of its own: a prediction whose type the corpus's gold taught, with a
calibrated score.
"""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Span
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, AnnotationFactory, DocumentFactory, span_create
from tests.learning.versions import version_trained

pytestmark = pytest.mark.django_db(transaction=True)

KHALIDIYA = "Shells fell on Khalidiya overnight. Families left Khalidiya for Damascus."


@pytest.fixture
def trained(corpus):
    return version_trained(corpus, name="khalidiya")


def test_owner_compares_versions_and_activates_one(page: Page, live_server, corpus, trained):
    sign_in(page, live_server.url, "olivia-owner", PASSWORD)
    page.goto(f"{live_server.url}{corpus.get_absolute_url()}")
    page.get_by_role("link", name="Models").click()

    expect(page.get_by_role("heading", name="Models", level=1)).to_be_visible()
    expect(page.locator("#version-1")).to_contain_text("better than the current one")
    expect(page.locator("#comparison")).to_contain_text("GPE")
    page.get_by_role("button", name="Activate v1").click()

    expect(page.get_by_text("Model v1 now pre-annotates")).to_be_visible()
    expect(page.locator("#version-1")).to_contain_text("active")
    page.goto(f"{live_server.url}{corpus.get_absolute_url()}")
    expect(page.locator("#active-model")).to_have_text(
        "pre-annotation uses model v1, learned from 8 gold documents"
    )


def test_the_editor_says_which_gold_taught_a_type_and_what_precision_to_expect(
    page: Page, live_server, corpus
):
    document = DocumentFactory(corpus=corpus, text=KHALIDIYA)
    layer = AnnotationFactory(document=document, model_name="test_model", model_version="1+v1")
    for start in (15, 50):
        span_create(layer, start, start + 9, "GPE")
    Span.objects.filter(annotation=layer).update(
        source="model",
        score=0.94,
        accepted=False,
        attributes={"model_label": "PERSON", "from_gold": 6, "model_score": 0.99},
    )
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.goto(f"{live_server.url}/corpora/{corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")

    page.keyboard.press("Tab")  # the first entity
    expect(page.locator("#selection-panel")).to_contain_text(
        "Entity from model, from gold in 6 documents, score 0.94, not yet accepted"
    )
    mark = page.locator('#article mark[data-label="GPE"]').first
    expect(mark).to_have_attribute(
        "title",
        "GPE (Geo-political entity), model label PERSON, "
        "from gold in 6 documents, score 0.94, not yet accepted",
    )
    page.get_by_text("Accept predictions").click()
    expect(page.locator("#accept-preview")).to_have_text(
        "2 predictions, expected precision 94 % (scores calibrated on held-out gold)."
    )
    page.get_by_label("Score at least").fill("0.95")
    expect(page.locator("#accept-preview")).to_have_text(
        "No prediction left to accept at or above this score."
    )
