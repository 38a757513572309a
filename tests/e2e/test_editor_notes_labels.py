"""Notes, attributes, document labels and the comment thread, written in the editor.

On an article of its own (not the seeds the other editor tests use); keyboard first.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation, DocumentComment
from corpus.models import AttributeType
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, AnnotationFactory, DocumentFactory, span_create

pytestmark = pytest.mark.django_db(transaction=True)

HULA = "UN monitors reached Houla on Saturday. Residents buried their dead in Taldou overnight."


@pytest.fixture
def houla(corpus):
    """An article with Houla predicted GPE, a schema with an entity attribute and labels."""
    schema = corpus.schema
    AttributeType.objects.create(
        schema=schema, key="Mention", name="Mention", applies_to="entity", values=["NAM", "NOM"]
    )
    AttributeType.objects.create(
        schema=schema,
        key="Topic",
        name="Topic",
        applies_to="document",
        values=["aid", "shelling", "massacre"],
        multiple=True,
    )
    AttributeType.objects.create(
        schema=schema, key="Relevant", name="Relevant", applies_to="document"
    )
    document = DocumentFactory(corpus=corpus, text=HULA)
    span_create(AnnotationFactory(document=document, model_name="test_model"), 20, 25, "GPE")
    return document


def open_editor(page: Page, base_url: str, document) -> None:
    page.goto(f"{base_url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")


def test_a_note_and_an_attribute_are_written_from_the_keyboard_and_saved(
    page: Page, live_server, houla
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, houla)

    page.keyboard.press("Tab")  # the first entity: Houla
    page.keyboard.press("Shift+N")
    note = page.locator("#item-note")
    expect(note).to_be_focused()
    page.keyboard.type("Village in Homs province, not a person")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#article")).to_be_focused()
    page.locator("#details-panel select").select_option("NAM")

    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer = Annotation.objects.get(document=houla, kind="annotator")
    span = layer.spans.get()
    assert span.note == "Village in Homs province, not a person"
    assert span.attributes == {"Mention": "NAM"}
    mark = page.locator('#article mark[data-label="GPE"]')
    mark.hover()
    expect(mark).to_have_attribute("title", "Village in Homs province, not a person")

    page.locator("#article").focus()
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    span.refresh_from_db()
    assert (span.note, span.attributes) == ("", {})


def test_document_labels_are_chosen_undone_and_saved_with_the_layer(page: Page, live_server, houla):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, houla)

    page.locator("#article").focus()
    page.keyboard.press("Shift+L")
    # The first label, in schema order: Relevant, yes or no.
    relevant = page.get_by_role("group", name="Relevant (yes or no)").get_by_role(
        "radio", name="yes"
    )
    expect(relevant).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("checkbox", name="massacre").check()
    page.get_by_role("checkbox", name="aid").check()

    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer = Annotation.objects.get(document=houla, kind="annotator")
    assert layer.attributes == {"Topic": ["aid", "massacre"], "Relevant": True}

    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    expect(page.get_by_role("checkbox", name="aid")).not_to_be_checked()
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer.refresh_from_db()
    assert layer.attributes == {"Relevant": True, "Topic": ["massacre"]}

    page.reload()
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("checkbox", name="massacre")).to_be_checked()

    relevance = page.get_by_role("group", name="Relevant (yes or no)")
    relevance.get_by_role("radio", name="no").check()
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer.refresh_from_db()
    assert layer.attributes["Relevant"] is False  # an answer, kept apart from "not chosen"
    relevance.get_by_role("button", name="Clear").click()
    expect(relevance.get_by_role("radio", name="no")).not_to_be_checked()
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    layer.refresh_from_db()
    assert layer.attributes == {"Topic": ["massacre"]}


def test_a_comment_is_posted_with_its_author_and_time_and_the_author_may_delete_it(
    page: Page, live_server, houla, reviewer
):
    DocumentComment.objects.create(document=houla, author=reviewer, text="Is Taldou a GPE?")
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, houla)
    thread = page.locator("#comment-thread")
    expect(thread.locator(".comment")).to_have_count(1)
    expect(thread.locator(".comment").first).to_contain_text(reviewer.username)
    expect(thread.get_by_role("button", name="Delete")).to_have_count(0)

    thread.get_by_role("textbox", name="Your comment").fill("Yes: a village, like Houla.")
    thread.get_by_role("textbox", name="Your comment").press("Control+Enter")

    expect(thread.locator(".comment")).to_have_count(2)
    expect(thread.locator(".comment").last).to_contain_text("ana-annotator")
    expect(thread.locator(".comment time").last).to_have_attribute(
        "datetime", re.compile(r"^2\d{3}-")
    )
    comment = DocumentComment.objects.get(text="Yes: a village, like Houla.")
    assert comment.author.username == "ana-annotator"
    assert Annotation.objects.get(document=houla, kind="annotator").status == "draft"

    thread.get_by_role("button", name="Delete").click()
    expect(thread.locator(".comment")).to_have_count(1)
    assert not DocumentComment.objects.filter(pk=comment.pk).exists()
