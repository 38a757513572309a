"""Relations in the editor: drawn as arcs, made with the keyboard or the mouse, checked against
the schema with the server's words, reversed, retyped, deleted, undone, saved and exported.

On an article of its own (not the seeds the other editor tests use).
"""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation, Relation
from corpus.models import RelationType
from exports.options import ExportOptions
from exports.run import export_zip_stream
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import AXE, AXE_RUN
from tests.factories import PASSWORD, AnnotationFactory, DocumentFactory, event_create, span_create

pytestmark = pytest.mark.django_db(transaction=True)

HADDAD = (
    "Mariam Haddad lives in Aleppo with her brother Karim, who works in Latakia; "
    "their father died there."
)


@pytest.fixture
def haddad(corpus):
    """The article with its people (PER) and cities (GPE) marked, one event, and relation
    types: Located (PER to GPE), Family (PER to PER) and Near (any to any)."""
    schema = corpus.schema
    per, gpe = schema.entity_types.get(key="PER"), schema.entity_types.get(key="GPE")
    for key, name, heads, tails in (
        ("Located", "Located in", [per], [gpe]),
        ("Family", "Family of", [per], [per]),
        ("Near", "Near", [], []),
    ):
        relation_type = RelationType.objects.create(schema=schema, key=key, name=name)
        relation_type.arg1_types.set(heads)
        relation_type.arg2_types.set(tails)
    document = DocumentFactory(corpus=corpus, text=HADDAD)
    layer = AnnotationFactory(document=document)
    for name, label in (("Mariam Haddad", "PER"), ("Aleppo", "GPE"), ("Karim", "PER")):
        start = HADDAD.index(name)
        span_create(layer, start, start + len(name), label)
    latakia = span_create(layer, HADDAD.index("Latakia"), HADDAD.index("Latakia") + 7, "GPE")
    died = HADDAD.index("died")
    event_create(layer, died, died + 4, "Life.Die", Place=latakia)
    return document


def open_editor(page: Page, base_url: str, document) -> None:
    page.goto(f"{base_url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")


def mark(page: Page, text: str):
    return page.locator("#article mark[data-kind=entity]", has_text=re.compile(f"^{text}$"))


def relation_rows(document) -> list[tuple[str, str, str]]:
    layer = Annotation.objects.get(document=document, kind="annotator")
    rows = Relation.objects.filter(annotation=layer).select_related("head", "tail")
    return sorted(
        (
            row.relation_type.key,
            HADDAD[row.head.start : row.head.end],
            HADDAD[row.tail.start : row.tail.end],
        )
        for row in rows
    )


def test_relations_drawn_by_keyboard_and_mouse_are_checked_edited_saved_and_exported(
    page: Page, live_server, haddad
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, haddad)
    notice = page.locator("#notice")
    relations = page.locator("#relation-list li")
    arcs = page.locator('svg.arcs g[data-kind="relation"]')
    labels = page.locator('svg.arcs text[data-kind="relation"]')

    # Keyboard only: Tab to Mariam Haddad, - and the type's search, Tab to Aleppo, Enter.
    page.locator("#article").focus()
    page.keyboard.press("Tab")
    expect(mark(page, "Mariam Haddad")).to_have_class(re.compile("selected"))
    page.keyboard.press("-")
    expect(page.locator("#relation-filter")).to_be_focused()
    page.keyboard.type("loc")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(mark(page, "Aleppo")).to_have_class(re.compile("selected"))
    page.keyboard.press("Enter")
    expect(relations).to_have_text(["Located: “Mariam Haddad” → “Aleppo”"])
    expect(arcs).to_have_count(1)
    expect(labels).to_have_text("Located")

    # The mouse: click Karim, "Relation from here", the Family button, then Mariam Haddad.
    mark(page, "Karim").click()
    page.get_by_role("button", name="Relation from here (-)").click()
    page.get_by_role("button", name="Family Family of").click()
    mark(page, "Mariam Haddad").click()
    expect(relations).to_have_text(
        ["Located: “Mariam Haddad” → “Aleppo”", "Family: “Karim” → “Mariam Haddad”"]
    )
    expect(arcs).to_have_count(2)

    # A city cannot be Located: refused with the server's words, nothing added.
    mark(page, "Aleppo").click()
    page.keyboard.press("-")
    page.keyboard.type("Located")
    page.keyboard.press("Enter")
    mark(page, "Latakia").click()
    expect(notice).to_have_text('Relation Located takes PER as its head, not GPE ("Aleppo").')
    page.keyboard.press("Escape")
    expect(relations).to_have_count(2)

    # Reverse the Family relation, picked in the list.
    page.get_by_role("button", name="Family: “Karim” → “Mariam Haddad”").click()
    page.keyboard.press("~")
    expect(relations).to_have_text(
        ["Located: “Mariam Haddad” → “Aleppo”", "Family: “Mariam Haddad” → “Karim”"]
    )

    # Retype Located as Near: select it by its arc, -, the new type, Enter.
    labels.filter(has_text="Located").click()
    expect(page.locator("#selection-panel")).to_contain_text("Located “Mariam Haddad” → “Aleppo”")
    page.keyboard.press("-")
    page.keyboard.type("near")
    page.keyboard.press("Enter")
    expect(relations).to_have_text(
        ["Near: “Mariam Haddad” → “Aleppo”", "Family: “Mariam Haddad” → “Karim”"]
    )

    # Delete the Family relation; undo brings it back, redo takes it away again.
    labels.filter(has_text="Family").click()
    page.keyboard.press("Delete")
    expect(relations).to_have_text(["Near: “Mariam Haddad” → “Aleppo”"])
    page.keyboard.press("Control+z")
    expect(relations).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(relations).to_have_text(["Near: “Mariam Haddad” → “Aleppo”"])
    expect(arcs).to_have_count(1)

    expect(page.locator("#save-status")).to_have_text("All changes saved")
    assert relation_rows(haddad) == [("Near", "Mariam Haddad", "Aleppo")]

    Annotation.objects.filter(document=haddad, kind="annotator").update(status="submitted")
    stream = export_zip_stream(haddad.corpus, ExportOptions(source="submitted"))
    with zipfile.ZipFile(io.BytesIO(b"".join(stream))) as archive:
        [name] = [name for name in archive.namelist() if name.endswith(".jsonl")]
        [record] = [json.loads(line) for line in archive.read(name).splitlines()]
    entities = {
        entity["id"]: HADDAD[entity["start"] : entity["end"]] for entity in record["entities"]
    }
    assert [
        (relation["type"], entities[relation["head"]], entities[relation["tail"]])
        for relation in record["relations"]
    ] == [("Near", "Mariam Haddad", "Aleppo")]


def test_event_arguments_are_drawn_as_arcs_once_turned_on_and_it_is_remembered(
    page: Page, live_server, haddad
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    open_editor(page, live_server.url, haddad)
    arguments = page.locator('svg.arcs text[data-kind="argument"]')
    toggle = page.get_by_label("Draw arguments as arcs")
    expect(toggle).not_to_be_checked()
    expect(arguments).to_have_count(0)

    toggle.check()
    expect(arguments).to_have_count(1)
    expect(arguments).to_have_text("Place")

    open_editor(page, live_server.url, haddad)
    expect(page.get_by_label("Draw arguments as arcs")).to_be_checked()
    expect(arguments).to_have_count(1)


RIVERS = (
    "Amina Diallo grew up in Bamako, where her uncle Oumar still runs a bakery near the river; "
    "every summer she flew from Paris to see him, and in the last years her cousin Fatou came "
    "along. Much later, long after the bakery had closed and the house by the river had been "
    "sold to a family from Dakar, Amina wrote about those summers in a small book that her "
    "editor in Lyon printed in three hundred copies, most of which she gave away to friends "
    "in Bamako and in Paris."
)
# Measured in the page once the arcs are drawn: label boxes that overlap each other or a mark,
# and where the arc between lines runs relative to the text's left edge.
ARC_READABILITY = """() => {
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const labels = [...document.querySelectorAll("svg.arcs rect.arc-box")]
    .map((box) => box.getBoundingClientRect());
  const marks = [...document.querySelectorAll("#article mark")]
    .flatMap((mark) => [...mark.getClientRects()]);
  let overLabels = 0;
  labels.forEach((a, index) => {
    for (const b of labels.slice(index + 1)) overLabels += hit(a, b);
  });
  const overText = labels.filter((label) => marks.some((mark) => hit(label, mark))).length;
  const svg = document.querySelector("svg.arcs").getBoundingClientRect();
  const textLeft = document.getElementById("article").getBoundingClientRect().left - svg.left;
  const between = [...document.querySelectorAll('svg.arcs g[data-arc] .arc-line')]
    .map((path) => path.getAttribute("d")).filter((d) => d.includes("H"))
    .map((d) => Number(d.match(/H([\\d.-]+)/)[1]));
  const arcs = [...document.querySelectorAll('svg.arcs g[data-kind="relation"]')];
  const colours = Object.fromEntries(
    arcs.map((arc) => [arc.querySelector("title").textContent, getComputedStyle(arc).color]));
  return {labels: labels.length, overLabels, overText, textLeft, between, colours};
}"""


@pytest.fixture
def rivers(corpus):
    """A long article with its people (PER) and cities (GPE), relation types with colours and
    hotkeys: Resident (PER to GPE, R), Family (PER to PER, F) and Visit (PER to GPE, V)."""
    schema = corpus.schema
    per, gpe = schema.entity_types.get(key="PER"), schema.entity_types.get(key="GPE")
    for key, colour, hotkey, tails in (
        ("Resident", "#8dd3c7", "r", [gpe]),
        ("Family", "#fb8072", "f", [per]),
        ("Visit", "#80b1d3", "v", [gpe]),
    ):
        relation_type = RelationType.objects.create(
            schema=schema, key=key, name=key, color=colour, hotkey=hotkey
        )
        relation_type.arg1_types.set([per])
        relation_type.arg2_types.set(tails)
    document = DocumentFactory(corpus=corpus, text=RIVERS)
    layer = AnnotationFactory(document=document)
    for name, label in (
        ("Amina Diallo", "PER"),
        ("Bamako", "GPE"),
        ("Oumar", "PER"),
        ("Paris", "GPE"),
        ("Fatou", "PER"),
        ("Lyon", "GPE"),
    ):
        start = RIVERS.index(name)
        span_create(layer, start, start + len(name), label)
    return document


def relate(page: Page, head: str, hotkey: str, tail: str) -> None:
    """Draw a relation: click the head, -, the type's hotkey, click the tail."""
    mark(page, head).click()
    page.keyboard.press("-")
    expect(page.locator("#relation-filter")).to_be_focused()
    page.keyboard.press(hotkey)
    mark(page, tail).click()


def test_relation_types_are_chosen_by_hotkey_and_drawn_in_colour_readably_across_lines(
    page: Page, live_server, rivers
):
    sign_in(page, live_server.url, "ana-annotator", PASSWORD)
    # axe-core as an init script: Chromium runs it outside the page's Content-Security-Policy.
    page.context.add_init_script(path=AXE)
    open_editor(page, live_server.url, rivers)
    relations = page.locator("#relation-list li")
    arcs = page.locator('svg.arcs g[data-kind="relation"]')
    labels = page.locator('svg.arcs text[data-kind="relation"]')

    # The chooser shows each type's hotkey; the key applies the type at once.
    resident = page.locator('#relation-palette button[data-relation-type="Resident"]')
    expect(resident.locator("kbd")).to_have_text("R")
    expect(resident).to_have_attribute("aria-keyshortcuts", "R")
    relate(page, "Amina Diallo", "r", "Bamako")
    relate(page, "Oumar", "f", "Amina Diallo")  # crosses Resident, on the same line
    relate(page, "Amina Diallo", "v", "Paris")
    relate(page, "Fatou", "f", "Amina Diallo")  # from a later line
    relate(page, "Amina Diallo", "r", "Lyon")  # lines apart
    expect(relations).to_have_count(5)
    expect(relations.first).to_have_text("Resident: “Amina Diallo” → “Bamako”")
    expect(arcs).to_have_count(5)
    # The label names the type: types are never told apart by colour alone.
    expect(labels).to_have_text(["Resident", "Family", "Visit", "Family", "Resident"])

    # Once a search is begun (a space first, here), hotkey letters type: "v" is not Visit.
    mark(page, "Oumar").click()
    page.keyboard.press("-")
    page.keyboard.type(" vis")
    expect(page.locator("#relation-filter")).to_have_value(" vis")
    expect(page.locator("#relation-filter-status")).to_have_text("1 type; Enter applies Visit")
    page.keyboard.press("Escape")
    expect(relations).to_have_count(5)

    drawn = page.evaluate(ARC_READABILITY)
    assert drawn["labels"] == 5
    assert drawn["overLabels"] == 0, "labels overlap"
    assert drawn["overText"] == 0, "labels cover the text"
    # Arcs between lines run down the margin, left of the text, not across it.
    assert len(drawn["between"]) >= 2
    assert all(lane < drawn["textLeft"] for lane in drawn["between"]), drawn
    # Each type in its own colour.
    assert len(set(drawn["colours"].values())) == 3, drawn["colours"]

    # axe finds nothing serious with the arcs drawn, in the light and the dark scheme.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(AXE_RUN) == [], scheme
