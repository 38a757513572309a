"""An annotator corrects a seed article's entities and events in the editor, and it all stays."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from corpus.models import Corpus, Document, Membership
from tests.e2e.conftest import drag_select, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.model]

SEED = "1.992211-557874215"


@pytest.fixture
def seeds(annotator):
    call_command("load_seeds", stdout=io.StringIO())
    call_command("preannotate", "seeds", "--now", stdout=io.StringIO(), stderr=io.StringIO())
    corpus = Corpus.objects.get(slug="seeds")
    Membership.objects.create(corpus=corpus, user=annotator, role=Membership.Role.ANNOTATOR)
    return corpus


def mark(page: Page, text: str, kind: str = "entity"):
    return page.locator(f'#article mark[data-kind="{kind}"]', has_text=re.compile(f"^{text}")).first


def cursor_to(page: Page, document: Document, text: str) -> None:
    """Select the token where `text` starts with the keyboard alone (Home, then →)."""
    start = document.text.index(text)
    steps = next(index for index, (begin, _) in enumerate(document.tokens) if begin >= start)
    page.keyboard.press("Home")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")


def test_annotator_corrects_entities_and_an_event_and_finds_them_after_reload(
    page: Page, live_server, seeds
):
    document = seeds.documents.get(external_id=SEED)
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.get_by_role("link", name="Syria, March 2012 (demo)").click()
    page.get_by_role("link", name="Start annotating").click()
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED)
    # Predictions were copied into the annotator's layer, not yet accepted.
    baba_amr = mark(page, "Baba Amr")
    expect(baba_amr).to_have_attribute("data-label", "PER")
    expect(baba_amr).to_have_class(re.compile("pending"))

    # The model took the district Baba Amr for a person: click it and press G.
    baba_amr.click()
    page.keyboard.press("g")
    expect(baba_amr).to_have_attribute("data-label", "GPE")
    # Ain Larose too, with the palette's button this time (named after the label).
    mark(page, "Ain Larose").click()
    page.get_by_role("button", name="GPE Geo-Political Entity", exact=True).click()
    expect(mark(page, "Ain Larose")).to_have_attribute("data-label", "GPE")

    # A missed entity, added from the keyboard alone: the village, a GPE.
    cursor_to(page, document, "the village of Ain Larose")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("g")
    village = mark(page, "the village")
    expect(village).to_have_attribute("data-label", "GPE")
    start = document.text.index("the village of Ain Larose")
    expect(village).to_have_attribute("data-start", str(start))
    expect(village).to_have_attribute("data-end", str(start + len("the village")))

    # The model's own event on the second "killing" goes, with its victim; the annotator makes
    # them again.
    mark(page, "13 civilians").click()
    page.keyboard.press("Delete")
    expect(mark(page, "13 civilians")).to_have_count(0)
    killing_at = document.text.index("killing", document.text.index("Ain Larose"))
    predicted = page.locator(f'#article mark[data-kind="trigger"][data-start="{killing_at}"]')
    if predicted.count():
        predicted.first.click()
        page.keyboard.press("Delete")
    expect(predicted).to_have_count(0)
    drag_select(page, "killing", occurrence=1)
    page.keyboard.press("2")  # Life.Die's hotkey
    trigger = page.locator(f'#article mark[data-kind="trigger"][data-start="{killing_at}"]')
    expect(trigger).to_have_attribute("data-label", "Life.Die")
    panel = page.locator("#event-panel")
    expect(panel.get_by_role("heading")).to_contain_text("Life.Die")
    expect(panel.locator('li[data-role="Victim"] .allowed')).to_have_text("PER")

    # Victim: R, 2, then a new selection, which becomes a PER (the role's only type).
    page.keyboard.press("r")
    page.keyboard.press("2")
    drag_select(page, "13 civilians", trim=0)
    expect(mark(page, "13 civilians")).to_have_attribute("data-role", "Victim")
    # Place: a person is refused with the reason; Ain Larose is taken.
    page.keyboard.press("r")
    page.keyboard.press("4")
    mark(page, "Kofi Annan").click()
    expect(page.locator("#notice")).to_have_text(
        "Role Place of Life.Die takes GPE, LOC, FAC, not PER (“Kofi Annan”)."
    )
    mark(page, "Ain Larose").click()
    expect(mark(page, "Ain Larose")).to_have_attribute("data-role", "Place")
    expect(panel.locator('li[data-role="Place"] .fillers')).to_contain_text("Ain Larose")

    # Undo the event away step by step (Place, Victim with its new span, trigger), then redo it.
    for _ in range(3):
        page.keyboard.press("Control+z")
    expect(trigger).to_have_count(0)
    expect(mark(page, "13 civilians")).to_have_count(0)
    for _ in range(3):
        page.keyboard.press("Control+Shift+z")
    expect(trigger).to_have_count(1)
    expect(mark(page, "Ain Larose")).to_have_attribute("data-label", "GPE")
    page.locator("#event-list button", has_text="Life.Die: “killing”").last.click()
    expect(mark(page, "Ain Larose")).to_have_attribute("data-role", "Place")
    expect(mark(page, "13 civilians")).to_have_attribute("data-role", "Victim")

    expect(page.locator("#save-status")).to_have_text("All changes saved")
    page.reload()
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    expect(mark(page, "Baba Amr")).to_have_attribute("data-label", "GPE")
    expect(mark(page, "the village")).to_have_attribute("data-label", "GPE")
    events = page.locator("#event-list li", has_text="Life.Die: “killing”")
    expect(events.last).to_contain_text("Victim: “13 civilians” PER")
    expect(events.last).to_contain_text("Place: “Ain Larose” GPE")

    # The same layer through the REST API.
    layer_url = page.evaluate(
        "JSON.parse(document.getElementById('editor-page').textContent).urls.layer"
    )
    layer = page.request.get(live_server.url + layer_url).json()
    spans = {span["id"]: span for span in layer["spans"]}
    by_start = {span["start"]: span for span in layer["spans"]}
    assert by_start[document.text.index("Baba Amr")]["label"] == "GPE"
    assert by_start[document.text.index("Baba Amr")]["source"] == "human"
    assert by_start[start]["label"] == "GPE"
    (event,) = [item for item in layer["events"] if item["trigger_start"] == killing_at]
    assert event["type"] == "Life.Die"
    fillers = {}
    for argument in event["arguments"]:
        filler = spans[argument["span"]]
        fillers[argument["role"]] = document.text[filler["start"] : filler["end"]]
    assert fillers == {"Victim": "13 civilians", "Place": "Ain Larose"}


def test_a_seed_article_is_corrected_with_the_keyboard_alone_and_submitted(
    page: Page, live_server, seeds
):
    document = seeds.documents.get(external_id=SEED)
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    page.goto(f"{live_server.url}/corpora/seeds/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    notice = page.locator("#notice")

    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_contain_text("Undo")
    expect(page.get_by_role("dialog")).to_contain_text("GPE (Geo-Political Entity)")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()

    # Baba Amr: walk to it, Tab onto its span, relabel it.
    cursor_to(page, document, "Baba Amr")
    page.keyboard.press("Tab")
    expect(page.locator("#selection-panel")).to_contain_text("PER “Baba Amr”")
    page.keyboard.press("g")
    expect(mark(page, "Baba Amr")).to_have_attribute("data-label", "GPE")
    # Regime troops: grow the span by a token to the left, then shrink it back.
    cursor_to(page, document, "Regime troops")
    page.keyboard.press("Tab")
    page.keyboard.press("Alt+Shift+ArrowRight")
    expect(page.locator('#article mark.selected[data-kind="entity"]')).to_have_text("troops")
    page.keyboard.press("Alt+Shift+ArrowLeft")
    expect(page.locator('#article mark.selected[data-kind="entity"]')).to_have_text("Regime troops")

    # The predicted Life.Die on the second "killing" is replaced by the annotator's own.
    killing_at = document.text.index("killing", document.text.index("Ain Larose"))
    cursor_to(page, document, document.text[killing_at:])
    page.keyboard.press("Tab")
    page.keyboard.press("Delete")
    expect(page.locator("#selection-panel")).to_contain_text("Selected “killing”")
    page.keyboard.press("2")
    expect(page.locator("#event-panel h2")).to_contain_text("Life.Die “killing”")

    # Victim: R, 2, Tab to "13 civilians", Enter.
    page.keyboard.press("r")
    page.keyboard.press("2")
    expect(notice).to_contain_text("Fill Victim (PER)")
    cursor_to(page, document, "13 civilians")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(notice).to_have_text("Victim filled.")
    # Place: Ain Larose is a PER, refused; relabelled GPE, taken.
    page.keyboard.press("r")
    page.keyboard.press("4")
    cursor_to(page, document, "Ain Larose")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(notice).to_contain_text("Role Place of Life.Die takes GPE, LOC, FAC, not PER")
    page.keyboard.press("g")
    page.keyboard.press("Enter")
    expect(notice).to_have_text("Place filled.")
    # Attributes: "." goes to the panel; the tense is Past; Esc comes back to the text.
    page.keyboard.press(".")
    expect(page.locator("#event-panel select").first).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator('#event-panel select[data-attribute="Tense"]')).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator('#event-panel select[data-attribute="Tense"]')).to_have_value("Past")
    page.keyboard.press("Escape")
    expect(page.locator("#article")).to_be_focused()

    # The remaining predictions scoring 0.95 or more are accepted; the rest are not.
    pending = page.locator("#article mark.pending")
    before = pending.count()
    page.get_by_text("Accept predictions").click()
    page.get_by_label("Score at least").fill("0.95")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(notice).to_contain_text("Accepted")
    assert 0 < pending.count() < before
    page.locator("#article").focus()
    page.keyboard.press("Shift+A")
    expect(pending).to_have_count(0)

    expect(page.locator("#save-status")).to_have_text("All changes saved")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/documents/\d+/annotate/$"))
    expect(page.get_by_role("heading", level=1)).not_to_have_text(SEED)

    layer = document.annotations.get(kind="annotator")
    assert layer.status == "submitted"
    event = layer.events.get(trigger_start=killing_at)
    assert event.attributes["Tense"] == "Past"
    assert {argument.role.key for argument in event.arguments.all()} == {"Victim", "Place"}
    assert not layer.spans.filter(accepted=False).exists()
