"""doccano export: UTF-16 offsets, events as trigger spans and role relations, read back alike."""

import json

import pytest

from annotations.models import Annotation
from tests.commands import command, write_jsonl
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db]

FIREMEN = "👨🏻‍🚒 firemen drive firetrucks"
ATTACK = "Rebels attacked a convoy and a checkpoint; police arrested them for the attack."


def at(text: str, words: str) -> dict[str, int]:
    start = text.index(words)
    return {"start": start, "end": start + len(words)}


def export_lines(tmp_path, corpus: str, *options: str) -> list[dict]:
    out = tmp_path / f"{corpus}.jsonl"
    command("export_corpus", corpus, "--format", "doccano", "--out", str(out), *options)
    return [json.loads(line) for line in out.read_text("utf-8").split("\n") if line]


def relations_of(layer: Annotation) -> list[tuple]:
    return sorted(
        layer.relations.values_list("relation_type__key", "head__start", "tail__start", "note")
    )


def assert_same(before: str, after: str) -> None:
    """Corpus `after` holds the entities, events, arguments and relations of `before`.

    doccano has no attributes, so events are compared without them.
    """
    layers = Annotation.objects.filter(kind=Annotation.Kind.GOLD).select_related("document")
    again = {one.document.external_id: one for one in layers.filter(document__corpus__slug=after)}
    originals = list(layers.filter(document__corpus__slug=before))
    assert sorted(again) == sorted(layer.document.external_id for layer in originals)
    for layer in originals:
        copy = again[layer.document.external_id]
        assert copy.document.text == layer.document.text
        assert spans_of(copy) == spans_of(layer)
        assert {(*e[:2], e[3]) for e in events_of(copy)} == {
            (*e[:2], e[3]) for e in events_of(layer)
        }
        assert [r[:3] for r in relations_of(copy)] == [r[:3] for r in relations_of(layer)]


def test_brat_tutorial_exported_as_doccano_and_imported_again_is_the_same(
    testdata, tmp_path, owner
):
    tutorial = testdata / "brat-news-tutorial"
    command("import_documents", "news", str(tutorial), "--as", "gold", "--user", owner.username)
    out = tmp_path / "news.jsonl"
    assert "13 documents written" in command(
        "export_corpus", "news", "--format", "doccano", "--out", str(out)
    )
    [intro] = [
        json.loads(line) for line in out.read_text("utf-8").splitlines() if "000-intro" in line
    ]
    labels = {entity["id"]: entity["label"] for entity in intro["entities"]}
    roles = {(labels[r["from_id"]], r["type"], labels[r["to_id"]]) for r in intro["relations"]}
    assert ("Transfer-money", "Money-Arg", "Money") in roles
    assert ("Organization", "Origin", "GPE") in roles

    schema = str(tutorial / "annotation.conf")
    command(
        "import_documents",
        "again",
        str(out),
        "--format",
        "doccano",
        "--as",
        "gold",
        "--schema",
        schema,
    )
    assert_same("news", "again")


def test_astral_characters_count_two_utf16_units(tmp_path, owner):
    record = {
        "id": "firemen",
        "text": FIREMEN,
        "entities": [
            {"id": "T1", **at(FIREMEN, "firemen"), "label": "PER"},
            {"id": "T2", **at(FIREMEN, "firetrucks"), "label": "VEH"},
        ],
        "events": [
            {
                "id": "E1",
                "type": "Movement.Transport",
                "trigger": at(FIREMEN, "drive"),
                "arguments": [{"role": "Agent", "ref": "T1"}, {"role": "Vehicle", "ref": "T2"}],
            }
        ],
    }
    command("import_documents", "fire", write_jsonl(tmp_path / "f.jsonl", [record]), "--as", "gold")

    [line] = export_lines(tmp_path, "fire")
    assert FIREMEN.index("firetrucks") == 19
    assert line["text"] == FIREMEN
    assert line["entities"] == [
        {"id": 1, "label": "PER", "start_offset": 8, "end_offset": 15},
        {"id": 2, "label": "VEH", "start_offset": 22, "end_offset": 32},
        {"id": 3, "label": "Movement.Transport", "start_offset": 16, "end_offset": 21},
    ]
    assert line["relations"] == [
        {"id": 1, "from_id": 3, "to_id": 1, "type": "Agent"},
        {"id": 2, "from_id": 3, "to_id": 2, "type": "Vehicle"},
    ]
    doccano = str(tmp_path / "fire.jsonl")
    command("import_documents", "fire-again", doccano, "--format", "doccano", "--as", "gold")
    assert_same("fire", "fire-again")


def test_events_with_repeated_roles_and_event_fillers_come_back(tmp_path, owner):
    record = {
        "id": "attack",
        "text": ATTACK,
        "entities": [
            {"id": "T1", **at(ATTACK, "Rebels"), "label": "PER", "attributes": {"Mention": "NOM"}},
            {"id": "T2", **at(ATTACK, "convoy"), "label": "VEH"},
            {"id": "T3", **at(ATTACK, "checkpoint"), "label": "FAC"},
            {"id": "T4", **at(ATTACK, "police"), "label": "ORG", "note": "local"},
            {"id": "T5", **at(ATTACK, "them"), "label": "PER"},
        ],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": at(ATTACK, "attacked"),
                "arguments": [
                    {"role": "Attacker", "ref": "T1"},
                    {"role": "Target", "ref": "T2", "index": 1},
                    {"role": "Target", "ref": "T3", "index": 2},
                ],
            },
            {
                "id": "E2",
                "type": "Conflict.Attack",
                "trigger": at(ATTACK, "attacked"),
                "arguments": [{"role": "Target", "ref": "T3"}],
            },
            {
                "id": "E3",
                "type": "Justice.Arrest-Jail",
                "trigger": at(ATTACK, "arrested"),
                "arguments": [
                    {"role": "Agent", "ref": "T4"},
                    {"role": "Person", "ref": "T5"},
                    {"role": "Crime", "ref": "E1"},
                ],
            },
        ],
        "relations": [{"id": "R1", "type": "ORG-AFF.Membership", "head": "T5", "tail": "T4"}],
    }
    command("import_documents", "ace", write_jsonl(tmp_path / "a.jsonl", [record]), "--as", "gold")
    report = tmp_path / "report.json"

    [line] = export_lines(tmp_path, "ace", "--report", str(report))
    spans = {
        entity["id"]: ATTACK[entity["start_offset"] : entity["end_offset"]]
        for entity in line["entities"]
    }
    named = [(spans[r["from_id"]], r["type"], spans[r["to_id"]]) for r in line["relations"]]
    assert named[0] == ("them", "ORG-AFF.Membership", "police")
    assert ("arrested", "Crime", "attacked") in named
    assert [n for n in named if n[1] == "Target"] == [
        ("attacked", "Target", "convoy"),
        ("attacked", "Target", "checkpoint"),
        ("attacked", "Target", "checkpoint"),
    ]
    [lost] = json.loads(report.read_text("utf-8"))["warnings"]
    assert lost["kind"] == "attribute-lost"
    assert lost["message"] == "1 attribute and 1 note left out: doccano has none"

    doccano = str(tmp_path / "ace.jsonl")
    command("import_documents", "ace-again", doccano, "--format", "doccano", "--as", "gold")
    assert_same("ace", "ace-again")


def test_gaps_in_repeated_role_numbers_are_reported(tmp_path, owner):
    record = {
        "id": "gap",
        "text": ATTACK,
        "entities": [
            {"id": "T1", **at(ATTACK, "convoy"), "label": "VEH"},
            {"id": "T2", **at(ATTACK, "checkpoint"), "label": "FAC"},
        ],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": at(ATTACK, "attacked"),
                "arguments": [
                    {"role": "Target", "ref": "T1", "index": 1},
                    {"role": "Target", "ref": "T2", "index": 3},
                ],
            }
        ],
    }
    command("import_documents", "gap", write_jsonl(tmp_path / "g.jsonl", [record]), "--as", "gold")
    report = tmp_path / "report.json"
    export_lines(tmp_path, "gap", "--report", str(report))

    [gap] = json.loads(report.read_text("utf-8"))["warnings"]
    assert gap["kind"] == "argument-index"
    assert gap["message"] == "E1: Target fillers numbered [1, 3] are read back as [1, 2]"


def test_each_document_is_one_json_line_with_its_metadata_beside_the_text(tmp_path, owner):
    records = [
        {
            "id": "breaks",
            "text": "First line\nsecond\u2028third\u2029fourth\x85end.",
            "metadata": {"source": "AFP", "text": "an older text", "id": 7, "meta_id": "kept"},
            "entities": [{"start": 0, "end": 5, "label": "ORG"}],
        },
        {"id": "plain", "text": "Kabul.", "entities": [{"start": 0, "end": 5, "label": "GPE"}]},
    ]
    command("import_documents", "lines", write_jsonl(tmp_path / "l.jsonl", records), "--as", "gold")
    out = tmp_path / "lines.jsonl"
    command("export_corpus", "lines", "--format", "doccano", "--out", str(out))

    content = out.read_text("utf-8")
    assert len(content.splitlines()) == 2  # splitlines also breaks at U+2028, U+2029, U+0085
    first = json.loads(content.splitlines()[0])
    assert first["text"] == records[0]["text"]
    assert first["id"] == "breaks"
    assert first["source"] == "AFP"
    assert first["meta_text"] == "an older text"
    assert first["meta_id"] == "kept"
    assert first["meta_meta_id"] == 7

    command("import_documents", "lines-again", str(out), "--format", "doccano", "--as", "gold")
    again = Annotation.objects.get(
        document__corpus__slug="lines-again", document__external_id="breaks"
    )
    assert again.document.text == records[0]["text"]
    assert again.document.metadata["meta_text"] == "an older text"
