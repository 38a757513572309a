"""Document labels and comments go out with the layer: JSONL, spaCy `doc.cats`, brat notes."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from annotations.models import Annotation
from annotations.services.comments import comment_add
from corpus.models import AttributeType, Membership
from tests.factories import CorpusFactory

pytestmark = pytest.mark.django_db

LABELS = {"Topic": ["conflict", "aid"], "Breaking": True}


@pytest.fixture
def labelled(gold, owner):
    """The gold layer of `homs` with document labels, and a comment on the document."""
    layer = Annotation.objects.get(document__external_id="homs", kind="gold")
    layer.attributes = LABELS
    layer.save(update_fields=["attributes"])
    comment_add(document=layer.document, author=owner, text="Check the victim's name.")
    return gold


def export(corpus, out, export_format: str) -> None:
    call_command(
        "export_corpus", corpus.slug, "--format", export_format, "--out", str(out),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


def test_jsonl_carries_the_labels_and_the_comment_thread(labelled, tmp_path, owner):
    out = tmp_path / "gold.jsonl"
    export(labelled, out, "jsonl")
    records = {record["id"]: record for record in map(json.loads, out.read_text().splitlines())}
    assert records["homs"]["labels"] == LABELS
    assert [(c["author"], c["text"]) for c in records["homs"]["comments"]] == [
        (owner.username, "Check the victim's name.")
    ]
    assert records["annan"]["labels"] == {}
    assert records["annan"]["comments"] == []


def test_spacy_docs_carry_the_labels_as_cats(labelled, tmp_path):
    out = tmp_path / "gold.zip"
    export(labelled, out, "spacy")
    with zipfile.ZipFile(out) as archive:
        docs = [
            doc
            for name in archive.namelist()
            if name.endswith(".spacy")
            for doc in DocBin().from_bytes(archive.read(name)).get_docs(Vocab())
        ]
    cats = {doc.user_data["id"]: doc.cats for doc in docs}
    assert cats["homs"] == {"Topic:conflict": 1.0, "Topic:aid": 1.0, "Breaking": 1.0}
    assert cats["annan"] == {}


def test_brat_notes_the_labels_on_the_first_entity(labelled, tmp_path):
    out = tmp_path / "gold.zip"
    export(labelled, out, "brat")
    with zipfile.ZipFile(out) as archive:
        ann = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("homs.ann"))
    assert "#1\tDocumentLabels T1\tTopic=conflict,aid; Breaking=yes\n" in ann


def test_jsonl_labels_come_back_on_import_and_bad_ones_are_said(labelled, tmp_path, owner):
    for key, values, multiple in (("Topic", ["conflict", "aid"], True), ("Breaking", [], False)):
        AttributeType.objects.create(
            schema=labelled.schema, key=key, name=key, applies_to="document", values=values,
            multiple=multiple,
        )  # fmt: skip
    out = tmp_path / "gold.jsonl"
    export(labelled, out, "jsonl")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    annan = next(line for line in lines if line["id"] == "annan")
    annan["labels"] = {"Topic": ["aid", "sport"], "Mood": ["calm"]}
    again = tmp_path / "again.jsonl"
    again.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    copy = CorpusFactory(schema=labelled.schema)
    Membership.objects.create(corpus=copy, user=owner, role=Membership.Role.OWNER)
    err = io.StringIO()

    call_command(
        "import_documents", copy.slug, str(again), "--as", "gold", "--user", owner.username,
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip

    layers = Annotation.objects.filter(document__corpus=copy, kind="gold")
    labels = {layer.document.external_id: layer.attributes for layer in layers}
    assert labels["homs"] == LABELS
    assert labels["annan"] == {"Topic": ["aid"]}
    assert "document label left out: Topic has no value 'sport'" in err.getvalue()
    assert "document label left out: 'Mood' is not a document label" in err.getvalue()
