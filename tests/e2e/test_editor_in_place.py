"""The editor's second pass: label all occurrences, feedback next to the work, the event palette.

On articles of their own (not the seeds the other editor tests use).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation, Span
from corpus.models import EventType
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, AnnotationFactory, DocumentFactory, span_create

pytestmark = pytest.mark.django_db(transaction=True)

ZAWIYA = (
    "Troops shelled Jabal al-Zawiya on Monday. Residents of Jabal al-Zawiya fled north, "
    "activists said, and the army said Jabal al-Zawiya was quiet by night."
)


def open_editor(page: Page, base_url: str, document) -> None:
    page.goto(f"{base_url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")


@pytest.fixture
def zawiya(corpus):
    """An article naming Jabal al-Zawiya three times, each predicted PER by the model."""
    document = DocumentFactory(corpus=corpus, text=ZAWIYA)
    layer = AnnotationFactory(document=document, model_name="test_model")
    for match in re.finditer("Jabal al-Zawiya", ZAWIYA):
        span_create(layer, match.start(), match.end(), "PER")
    Span.objects.filter(annotation=layer).update(source="model", score=0.99)
    return document


def test_one_relabel_and_one_key_fix_every_occurrence_and_one_undo_takes_it_back(
    page: Page, live_server, zawiya
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, zawiya)
    marks = page.locator("#article mark[data-label]")
    expect(marks).to_have_count(3)
    marks.first.click()
    page.get_by_role("button", name="GPE Geo-political entity", exact=True).click()
    page.locator("#article").focus()
    page.keyboard.press("*")
    expect(page.locator('#article mark[data-label="GPE"]')).to_have_count(3)
    notice = page.locator("#notice")
    expect(notice).to_contain_text("2 more occurrences of “Jabal al-Zawiya” labelled GPE")
    expect(notice).to_contain_text("2 relabelled from PER")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer = Annotation.objects.get(document=zawiya, kind="annotator")
    assert sorted(layer.spans.values_list("entity_type__key", flat=True)) == ["GPE"] * 3

    page.keyboard.press("Control+z")
    expect(page.locator('#article mark[data-label="PER"]')).to_have_count(2)
    expect(page.locator('#article mark[data-label="GPE"]')).to_have_count(1)

    page.keyboard.press("Control+Shift+z")
    expect(page.locator('#article mark[data-label="GPE"]')).to_have_count(3)
    page.get_by_role("button", name="Label all occurrences (*)").click()
    expect(notice).to_contain_text("nothing changed")


def test_notices_and_the_sidebar_stay_in_view_at_the_end_of_a_long_article(
    page: Page, live_server, corpus
):
    paragraphs = [f"Paragraph {n}: the observers reported shelling in Homs." for n in range(400)]
    document = DocumentFactory(corpus=corpus, text="\n\n".join(paragraphs))
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, document)
    page.locator("#article").focus()
    page.keyboard.press("End")  # the last token: the page scrolls to the end of the article
    page.keyboard.press("a")  # accept, with nothing selected: refused
    notice = page.locator("#notice")
    expect(notice).to_contain_text("Select a prediction to accept it")
    expect(notice).to_be_in_viewport()
    expect(page.locator(".editor-sidebar")).to_be_in_viewport()
    bar = page.locator(".editor-bar").bounding_box()
    assert notice.bounding_box()["y"] >= bar["y"] + bar["height"], "the bar hides the notice"
    assert page.evaluate("scrollY") > 5_000
    assert page.evaluate("document.getElementById('notice').getAttribute('aria-live')") == "polite"


def test_the_event_palette_is_search_first_and_remembers_the_types_used(
    page: Page, live_server, corpus, zawiya
):
    for key, name in [
        ("Conflict.Attack", "Attack"),
        ("Life.Injure", "Injure"),
        ("Movement.Transport", "Transport"),
    ]:
        EventType.objects.create(schema=corpus.schema, key=key, name=name, group=key[:4])
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, zawiya)
    page.locator("#article").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")  # "shelled"
    page.keyboard.press("e")
    expect(page.locator("#event-filter")).to_be_focused()
    page.keyboard.type("life")  # Life.Die and Life.Injure
    expect(page.locator("#event-filter-status")).to_have_text("2 types; Enter applies Life.Die")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#event-filter-status")).to_have_text("2 types; Enter applies Life.Injure")
    page.keyboard.press("Enter")
    expect(page.locator("#event-panel h2")).to_contain_text("Life.Injure")
    expect(page.locator("#article")).to_be_focused()
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    page.reload()
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    first = page.evaluate(
        """() => [...document.querySelectorAll('#event-palette button[data-type]')]
              .filter((button) => !button.hidden)
              .sort((a, b) => getComputedStyle(a).order - getComputedStyle(b).order)[0]
              .dataset.type"""
    )
    assert first == "Life.Injure"
    events = page.locator("#event-list li")
    expect(events).to_have_count(1)
    events.first.get_by_role("button").click()
    expect(events.first).to_have_class(re.compile("focused"))
    expect(events.first.locator(".arguments")).to_be_hidden()
