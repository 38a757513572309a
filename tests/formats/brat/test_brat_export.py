"""brat export: importing what it writes gives the same annotations, and brat can read it."""

import json
import re
import zipfile

import pytest

from annotations.models import Annotation
from corpus.models import Document
from corpus.services.schemas import schema_data_dump, schema_get_or_create
from formats.brat.conf import schema_data_from_conf
from formats.brat.conf_writer import annotation_conf
from formats.brat.writer import file_stem
from imports.services.labels import fold
from tests.commands import command, write_jsonl
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db]

BRAT_NAME = re.compile(r"^[A-Za-z0-9_-]+$")

ATTACK = (
    "Rebels attacked a convoy and a checkpoint in Kabul on Monday;"
    " police arrested two men for the attack."
)
TIMES = "The New York\nTimes reported the attack."


def at(text: str, words: str, *, after: int = 0) -> dict[str, int]:
    start = text.index(words, after)
    return {"start": start, "end": start + len(words)}


def ace_records() -> list[dict]:
    """An ACE attack: repeated Target, shared trigger, event filler, attributes, notes."""

    def entity(ident: str, words: str, label: str, **extra) -> dict:
        return {"id": ident, **at(ATTACK, words), "label": label, **extra}

    return [
        {
            "id": "kabul-1",
            "text": ATTACK,
            "entities": [
                entity("T1", "Rebels", "PER", attributes={"Mention": "NOM"}),
                entity("T2", "convoy", "VEH"),
                entity("T3", "checkpoint", "FAC"),
                entity("T4", "Kabul", "GPE", attributes={"Mention": "NAM"}, note="spelling?\n\nok"),
                entity("T5", "Monday", "TIMEX2"),
                entity("T6", "police", "ORG"),
                entity("T7", "two men", "PER"),
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
                        {"role": "Place", "ref": "T4"},
                        {"role": "Time-Within", "ref": "T5"},
                    ],
                    "attributes": {"Polarity": "Positive", "Tense": "Past"},
                    "note": "two targets",
                },
                {
                    "id": "E2",
                    "type": "Conflict.Attack",
                    "trigger": at(ATTACK, "attacked"),
                    "arguments": [{"role": "Place", "ref": "T4"}],
                },
                {
                    "id": "E3",
                    "type": "Justice.Arrest-Jail",
                    "trigger": at(ATTACK, "arrested"),
                    "arguments": [
                        {"role": "Agent", "ref": "T6"},
                        {"role": "Person", "ref": "T7"},
                        {"role": "Crime", "ref": "E1"},
                    ],
                },
                {"id": "E4", "type": "Conflict.Attack", "trigger": at(ATTACK, "attack", after=70)},
            ],
            "relations": [
                {"id": "R1", "type": "PHYS.Located", "head": "T1", "tail": "T4", "note": "said"}
            ],
        },
        {
            "id": "nyt-1",
            "text": TIMES,
            "entities": [{"id": "T1", **at(TIMES, "New York\nTimes"), "label": "ORG"}],
        },
    ]


def items(layer: Annotation, *, key=lambda label: label) -> dict[str, list]:
    """Everything a layer holds, by offsets, with labels through `key`."""

    def trigger(event) -> tuple:
        return (event.trigger_start, event.trigger_end, key(event.event_type.key))

    def arguments(event) -> list:
        return sorted(
            (
                key(argument.role.key),
                argument.index,
                (argument.span.start, argument.span.end)
                if argument.span_id
                else trigger(argument.target_event),
            )
            for argument in event.arguments.select_related("role", "span", "target_event")
        )

    attributes = lambda item: json.dumps(item.attributes, sort_keys=True)  # noqa: E731
    return {
        "spans": sorted(
            (span.start, span.end, key(span.entity_type.key), attributes(span), span.note)
            for span in layer.spans.select_related("entity_type")
        ),
        "events": sorted(
            (*trigger(event), attributes(event), event.note, tuple(arguments(event)))
            for event in layer.events.select_related("event_type")
        ),
        "relations": sorted(
            (
                key(relation.relation_type.key),
                (relation.head.start, relation.head.end, relation.tail.start, relation.tail.end),
                attributes(relation),
                relation.note,
            )
            for relation in layer.relations.select_related("relation_type", "head", "tail")
        ),
    }


def assert_same(before: str, after: str, *, key=lambda label: label) -> None:
    """The gold layers of corpus `after` hold what those of `before` hold, document by document."""
    layers = Annotation.objects.filter(kind=Annotation.Kind.GOLD).select_related("document")
    again = {
        layer.document.external_id: layer for layer in layers.filter(document__corpus__slug=after)
    }
    originals = list(layers.filter(document__corpus__slug=before))
    assert sorted(again) == sorted(layer.document.external_id for layer in originals)
    for layer in originals:
        copy = again[layer.document.external_id]
        assert copy.document.text == layer.document.text
        assert items(copy, key=key) == items(layer, key=key)


def test_brat_tutorial_exported_as_brat_and_imported_again_is_the_same(testdata, tmp_path, owner):
    tutorial = testdata / "brat-news-tutorial"
    command("import_documents", "news", str(tutorial), "--as", "gold", "--user", owner.username)
    out = tmp_path / "news"
    assert "13 documents written" in command(
        "export_corpus", "news", "--format", "brat", "--out", str(out)
    )

    intro = Document.objects.get(corpus__slug="news", external_id="000-introduction")
    assert (out / "000-introduction.txt").read_bytes() == intro.text.encode("utf-8")
    ann = (out / "000-introduction.ann").read_text("utf-8").splitlines()
    assert (
        "E1\tTransfer-money:T7 Giver-Arg:T1 Recipient-Arg:T5 Beneficiary-Arg:T3 Money-Arg:T2" in ann
    )
    assert "N1\tReference T4 Wikipedia:64488\tCarlos Salinas de Gortari" in ann
    assert {
        "A1\tMention T3 Name",
        "A2\tIndividual T3",
        "#1\tAnnotatorNotes T2\t100000000 USD",
    } <= set(ann)

    # The annotation.conf beside the files is the new corpus's schema.
    command("import_documents", "again", str(out), "--as", "gold")
    assert_same("news", "again")
    for layer in Annotation.objects.filter(document__corpus__slug="again"):
        original = Annotation.objects.get(
            document__corpus__slug="news", document__external_id=layer.document.external_id
        )
        assert spans_of(layer) == spans_of(original)
        assert events_of(layer) == events_of(original)

    archive = tmp_path / "news.zip"
    command("export_corpus", "news", "--format", "brat", "--out", str(archive))
    with zipfile.ZipFile(archive) as opened:
        written = {name: opened.read(name) for name in opened.namelist() if name != "report.json"}
    folder = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*")}
    assert written == folder
    command(
        "import_documents",
        "zipped",
        str(archive),
        "--as",
        "gold",
        "--schema",
        str(out / "annotation.conf"),
    )
    assert_same("news", "zipped")


def test_ace_events_exported_as_brat_and_imported_again_are_the_same(tmp_path, owner):
    fixture = write_jsonl(tmp_path / "ace.jsonl", ace_records())
    command("import_documents", "ace", fixture, "--as", "gold", "--user", owner.username)
    out = tmp_path / "ace"
    command(
        "export_corpus",
        "ace",
        "--format",
        "brat",
        "--out",
        str(out),
        "--split",
        "0.5,0.5",
        "--seed",
        "3",
    )

    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.*"))
    assert files[0] == "annotation.conf"
    assert {name.split("/")[0] for name in files[1:]} <= {"train", "dev"}
    [kabul] = out.glob("*/kabul-1.ann")
    lines = kabul.read_text("utf-8").splitlines()
    # One trigger for the two attacks on "attacked"; repeated Target numbered; event filler by E id.
    assert "T8\tConflict_Attack 7 15\tattacked" in lines
    assert (
        "E1\tConflict_Attack:T8 Attacker:T1 Target:T2 Target2:T3 Place:T4 Time-Within:T5" in lines
    )
    assert "E2\tConflict_Attack:T8 Place:T4" in lines
    assert "E3\tJustice_Arrest-Jail:T9 Person:T7 Agent:T6 Crime:E1" in lines
    assert "R1\tPHYS_Located Arg1:T1 Arg2:T4" in lines
    assert {"A1\tMention T1 NOM", "A3\tPolarity E1 Positive", "A4\tTense E1 Past"} <= set(lines)
    assert lines[-5:-2] == [
        "#1\tAnnotatorNotes T4\tspelling?",
        "#2\tAnnotatorNotes T4\t",
        "#3\tAnnotatorNotes T4\tok",
    ]
    [times] = out.glob("*/nyt-1.ann")
    assert times.read_text("utf-8") == "T1\tORG 4 12;13 18\tNew York Times\n"

    command("import_documents", "ace-again", str(out), "--as", "gold", "--schema", "ace2005")
    assert_same("ace", "ace-again")
    # With the exported annotation.conf as schema, the types are brat's names for ours.
    command("import_documents", "ace-conf", str(out), "--as", "gold")
    assert_same("ace", "ace-conf", key=fold)


def test_annotation_conf_keeps_the_ace_schema_in_names_brat_accepts():
    schema = schema_data_dump(schema_get_or_create(name_or_path="ace2005"))
    conf = annotation_conf(schema, warn=pytest.fail)

    sections = re.findall(r"^\[(\w+)\]$", conf, flags=re.MULTILINE)
    assert sections == ["entities", "relations", "events", "attributes"]
    for line in conf.splitlines():
        if not line or line.startswith(("#", "[")):
            continue
        name, _, arguments = line.strip().removeprefix("!").partition("\t")
        assert BRAT_NAME.match(name), line
        for argument in filter(None, arguments.split(", ")):
            role, types = argument.split(":")
            assert BRAT_NAME.match(role.rstrip("*")), line
            assert all(BRAT_NAME.match(t) or t in ("<ENTITY>", "<EVENT>") for t in types.split("|"))
    assert "!Conflict\n\tConflict_Attack\tAttacker*:PER|ORG|GPE|<EVENT>, Target*:" in conf
    assert "Mention\tArg:<ENTITY>, Value:NAM|NOM|PRO\n" in conf

    read = schema_data_from_conf(conf, key="ace", name="ACE")

    def folded(data: dict) -> dict:
        return {
            "entities": [fold(item["key"]) for item in data["entity_types"]],
            "events": {
                fold(item["key"]): (
                    item["group"],
                    {fold(role["key"]): role["entity_types"] for role in item["roles"]},
                )
                for item in data["event_types"]
            },
            "relations": {
                fold(item["key"]): (item["group"], item["arg1_types"], item["arg2_types"])
                for item in data["relation_types"]
            },
            "attributes": {
                (item["key"], item["applies_to"]): item["values"]
                for item in data["attribute_types"]
            },
        }

    assert folded(read) == folded(schema)


def test_document_keys_become_safe_unique_file_names(tmp_path, owner):
    assert file_stem("AFP/2003 04:Ñandú 👨🏻‍🚒.txt") == "AFP_2003_04_Ñandú_.txt"
    assert file_stem("../../etc/passwd") == "_.._etc_passwd"
    assert file_stem("..") == "document"
    assert len(file_stem("é" * 300).encode("utf-8")) <= 200

    keys = ["AFP/2003 04", "AFP 2003/04", "afp_2003_04", "Ñandú: 👨🏻‍🚒 report", ".hidden"]
    entity = [{"start": 0, "end": 4, "label": "ORG"}]
    records = [{"id": key, "text": f"Text of {key}.", "entities": entity} for key in keys]
    fixture = write_jsonl(tmp_path / "keys.jsonl", records)
    command("import_documents", "keys", fixture, "--as", "gold", "--user", owner.username)
    archive, report = tmp_path / "keys.zip", tmp_path / "report.json"
    command(
        "export_corpus", "keys", "--format", "brat", "--out", str(archive), "--report", str(report)
    )

    with zipfile.ZipFile(archive) as opened:
        names = sorted(name[:-4] for name in opened.namelist() if name.endswith(".txt"))
    stems = ["AFP_2003_04", "AFP_2003_04-2", "afp_2003_04-3", "hidden", "Ñandú_report"]
    assert names == stems
    renamed = [
        w for w in json.loads(report.read_text("utf-8"))["warnings"] if w["kind"] == "renamed"
    ]
    assert len(renamed) == 5

    command("import_documents", "keys-again", str(archive), "--as", "gold")
    again = Annotation.objects.filter(document__corpus__slug="keys-again")
    assert sorted(layer.document.external_id for layer in again) == stems
