"""Goldset JSONL export: full fidelity, and importing it again gives the same annotations."""

import json

import pytest

from annotations.models import Annotation
from formats.jsonl.keys import LINE_KEYS
from tests.commands import command
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_brat_gold_exported_and_imported_again_is_the_same(testdata, tmp_path, owner):
    folder = str(testdata / "brat-news-tutorial")
    command("import_documents", "news", folder, "--as", "gold", "--user", owner.username)
    out = tmp_path / "news.jsonl"
    assert "13 documents written" in command("export_corpus", "news", "--out", str(out))

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(record) == set(LINE_KEYS) for record in records)  # the reader's fields
    note = next(r for r in records if r["id"] == "110-note_annotation")
    assert note["goldset"]["layer"]["kind"] == "gold"
    assert note["entities"][0]["note"] == "Should fictional places be annotated?"

    schema = str(testdata / "brat-news-tutorial" / "annotation.conf")
    command("import_documents", "again", str(out), "--as", "gold", "--schema", schema)
    before = Annotation.objects.filter(document__corpus__slug="news")
    after = {
        layer.document.external_id: layer
        for layer in Annotation.objects.filter(document__corpus__slug="again")
    }
    assert len(after) == before.count() == 13
    for layer in before:
        again = after[layer.document.external_id]
        assert again.document.text == layer.document.text
        assert spans_of(again) == spans_of(layer)
        assert events_of(again) == events_of(layer)
        relations = [
            sorted(layer.relations.values_list("relation_type__key", "head__start", "tail__start"))
            for layer in (layer, again)
        ]
        assert relations[0] == relations[1]
    assert not any("goldset" in layer.document.metadata for layer in after.values())


def test_only_the_newest_layer_of_the_chosen_source_is_exported(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps(
            {"text": "Homs was shelled.", "entities": [{"start": 0, "end": 4, "label": "GPE"}]}
        )
        + "\n",
        encoding="utf-8",
    )
    command("import_documents", "news", str(path))
    out = tmp_path / "out.jsonl"
    assert "0 documents (gold)" in command("export_corpus", "news", "--out", str(out))
    command("export_corpus", "news", "--out", str(out), "--source", "predictions")
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["entities"][0] | {"score": None} == {
        "id": "T1", "start": 0, "end": 4, "label": "GPE", "attributes": {}, "note": "",
        "source": "model", "score": None, "accepted": False,
    }  # fmt: skip
    assert record["goldset"]["layer"]["model"] == "jsonl import"
