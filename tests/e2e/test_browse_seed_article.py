"""A new user signs in, opens a seed article and sees its pre-annotated entities."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from corpus.models import Corpus, Membership
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, AnnotationFactory, DocumentFactory, span_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.model]


@pytest.fixture
def seeds(annotator):
    call_command("load_seeds", stdout=io.StringIO())
    call_command("preannotate", "seeds", "--now", stdout=io.StringIO(), stderr=io.StringIO())
    corpus = Corpus.objects.get(slug="seeds")
    Membership.objects.create(corpus=corpus, user=annotator, role=Membership.Role.ANNOTATOR)
    return corpus


def test_sign_in_open_seed_article_and_see_highlighted_entities(page: Page, live_server, seeds):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.get_by_role("link", name="Syria, March 2012 (demo)").click()
    expect(page.locator("#documents tbody tr")).to_have_count(2)
    page.get_by_role("link", name="1.992211-557874215").click()

    damascus = page.locator('mark.entity[data-label="GPE"]').first
    expect(damascus).to_contain_text("Damascus")
    expect(damascus).to_have_attribute("data-start", "0")
    expect(damascus).to_have_attribute("data-end", "8")
    annan = page.locator('mark.entity[data-label="PER"]', has_text="Kofi Annan")
    expect(annan).to_have_count(1)
    color = annan.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert color == "rgb(166, 206, 227)"  # PER's colour in the ACE 2005 preset
    legend = page.locator("#legend")
    expect(legend.locator("li", has_text="GPE")).to_contain_text("Geo-Political Entity")

    document = seeds.documents.get(external_id="1.992211-557874215")
    start, end = int(annan.get_attribute("data-start")), int(annan.get_attribute("data-end"))
    assert document.text[start:end] == "Kofi Annan"


def test_article_text_with_markup_is_shown_literally(page: Page, live_server, corpus, annotator):
    text = "<script>window.pwned = true</script> <b>Annan</b> 😀 arrived in Homs."
    document = DocumentFactory(corpus=corpus, text=text)
    homs = text.index("Homs")  # a code point offset; the emoji before it is 2 UTF-16 units
    span_create(AnnotationFactory(document=document), homs, homs + 4, "GPE")
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.goto(live_server.url + document.get_absolute_url())

    article = page.locator("#article")
    expect(article).to_have_attribute("data-rendered", "true")
    expect(article).to_contain_text("<script>window.pwned = true</script> <b>Annan</b>")
    expect(page.locator('mark.entity[data-label="GPE"]')).to_contain_text("Homs")
    assert article.locator("b, script").count() == 0
    assert page.evaluate("window.pwned") is None
