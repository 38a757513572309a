"""A reviewer starts the gold from what both annotators agree on and corrects it in the editor."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.content import ArgumentItem, LayerContent, SpanItem
from annotations.models import Annotation
from corpus.models import EntityType, Membership
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.review.submitted import death, submitted_layer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_submitted(document, annotator):
    """Ana and Ben both call Annan and Damascus PER; only Ana marks the death."""
    ben = UserFactory(username="ben-annotator")
    Membership.objects.create(corpus=document.corpus, user=ben, role=Membership.Role.ANNOTATOR)
    EntityType.objects.filter(schema=document.corpus.schema, key="GPE").update(hotkey="g")
    both = [SpanItem(id="a", start=0, end=10, label="PER")]
    both.append(SpanItem(id="d", start=22, end=30, label="PER"))
    death_of_annan = death(ArgumentItem("Victim", span="a"))
    submitted_layer(document, annotator, LayerContent(spans=both, events=[death_of_annan]))
    submitted_layer(document, ben, LayerContent(spans=both))


def test_reviewer_starts_the_gold_from_agreement_and_relabels_with_the_keyboard(
    page: Page, live_server, document, two_submitted
):
    sign_in(page, live_server.url, "rita-reviewer", PASSWORD)
    page.goto(f"{live_server.url}/corpora/{document.corpus.slug}/documents/{document.pk}/review/")
    expect(page.get_by_text("No gold yet.")).to_be_visible()

    page.get_by_role("button", name="Start gold from agreed items and edit").click()
    article = page.locator("#article")
    expect(article).to_have_attribute("data-ready", "true")
    expect(page.locator("main .meta").first).to_contain_text("Gold layer, version 1")
    expect(page.get_by_role("button", name="Submit")).to_have_count(0)
    expect(page.locator("#article mark[data-label]")).to_have_count(2)  # the death is Ana's only

    article.focus()
    page.keyboard.press("Tab")  # Kofi Annan
    page.keyboard.press("Tab")  # Damascus
    page.keyboard.press("g")
    expect(page.locator('#article mark[data-label="GPE"]')).to_have_text("Damascus")
    expect(page.locator("#layer-version")).to_have_text("2")
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    gold = Annotation.objects.get(document=document, kind=Annotation.Kind.GOLD)
    assert (gold.version, gold.status) == (2, Annotation.Status.REVIEWED)
    labels = [(span.start, span.entity_type.key) for span in gold.spans.order_by("start")]
    assert labels == [(0, "PER"), (22, "GPE")]
    assert not gold.spans.filter(accepted=False).exists()
    assert not gold.events.exists()

    page.get_by_role("link", name="Back to review").click()
    expect(page.get_by_text("Gold: version 2")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the gold in the editor")).to_be_visible()


@pytest.fixture
def damascus_disputed(document, annotator):
    """Ana and Ben both call Annan PER; only Ana calls Damascus GPE."""
    ben = UserFactory(username="ben-annotator")
    Membership.objects.create(corpus=document.corpus, user=ben, role=Membership.Role.ANNOTATOR)
    annan = SpanItem(id="a", start=0, end=10, label="PER")
    damascus = SpanItem(id="d", start=22, end=30, label="GPE")
    submitted_layer(document, annotator, LayerContent(spans=[annan, damascus]))
    submitted_layer(document, ben, LayerContent(spans=[annan]))


def test_reviewer_accepts_a_disputed_entity_from_the_review_panel_with_the_keyboard(
    page: Page, live_server, document, damascus_disputed
):
    sign_in(page, live_server.url, "rita-reviewer", PASSWORD)
    page.goto(f"{live_server.url}/corpora/{document.corpus.slug}/documents/{document.pk}/review/")
    page.get_by_role("button", name="Start gold from agreed items and edit").click()
    article = page.locator("#article")
    expect(article).to_have_attribute("data-ready", "true")
    expect(page.locator("#review-panel")).to_have_attribute("data-ready", "true")

    rows = page.locator("#review-panel li.review-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("GPE “Damascus”")
    expect(rows.first).to_contain_text("disputed")
    expect(rows.first).to_contain_text("not in the gold · ana-annotator")
    candidate = page.locator('#article mark.candidate[data-candidate="GPE"]')
    expect(candidate).to_have_text("Damascus")
    expect(candidate).to_have_attribute("title", re.compile("Not in the gold: GPE, disputed"))

    article.focus()
    page.keyboard.press("Shift+V")
    expect(rows.first).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator('#article mark[data-label="GPE"]')).to_have_text("Damascus")
    expect(page.locator("#article mark.candidate")).to_have_count(0)
    expect(rows).to_have_count(0)
    expect(page.locator("#review-panel")).to_contain_text("Everything is settled")
    expect(page.locator("#layer-version")).to_have_text("2")
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    gold = Annotation.objects.get(document=document, kind=Annotation.Kind.GOLD)
    labels = [(span.start, span.end, span.entity_type.key) for span in gold.spans.order_by("start")]
    assert labels == [(0, 10, "PER"), (22, 30, "GPE")]
