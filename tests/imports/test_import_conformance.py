"""The real files others wrote come into the database with exactly their annotations.

Each test imports a folder of ../shared/testdata with `import_documents`, as a user would,
and compares what the layers hold with the source file, read here independently.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from corpus.models import Corpus
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_documents", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"\n{exc}")
    return out.getvalue(), err.getvalue()


def layer_of(corpus_slug: str, external_id: str) -> Annotation:
    corpus = Corpus.objects.get(slug=corpus_slug)
    return Annotation.objects.get(document__corpus=corpus, document__external_id=external_id)


def brat_expected(ann: Path, text: str) -> tuple[set, set]:
    """Spans and events of a .ann file, read with nothing but `split`."""
    lines = [line.split("\t") for line in ann.read_text(encoding="utf-8").splitlines() if line]
    textbound = {}
    for line in lines:
        if line[0].startswith("T"):
            label, start, end = line[1].split(" ")
            textbound[line[0]] = (int(start), int(end), label)
    events, triggers, confidence = {}, set(), {}
    for line in lines:
        if line[0].startswith("A") and line[1].startswith("Confidence"):
            _, target, value = line[1].split(" ")
            confidence[target] = value
    for line in lines:
        if line[0].startswith("E"):
            head, *arguments = line[1].split(" ")
            label, trigger = head.split(":")
            triggers.add(trigger)
            events[line[0]] = (label, trigger, arguments)

    def filler(ref: str) -> str:
        if ref.startswith("E"):
            return events[ref][0]
        start, end, _ = textbound[ref]
        return text[start:end]

    expected_events = set()
    for ref, (label, trigger, arguments) in events.items():
        start, end, _ = textbound[trigger]
        roles = []
        for argument in arguments:
            role, target = argument.split(":")
            name, number = re.fullmatch(r"(.*?)(\d*)", role).groups()
            roles.append((name, int(number or 1), filler(target)))
        expected_events.add((label, text[start:end], confidence.get(ref), tuple(sorted(roles))))
    spans = {
        (start, end, label, text[start:end])
        for ref, (start, end, label) in textbound.items()
        if ref not in triggers
    }
    return spans, expected_events


def test_brat_news_tutorial_comes_in_with_its_entities_events_roles_and_attributes(testdata):
    folder = testdata / "brat-news-tutorial"
    out, err = run("news", str(folder), "--keep", "id_line", "--keep", "captions")
    assert "13 new, 0 duplicate, 0 failed" in out
    assert "schema news-tutorial" not in err
    annotated = 0
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans, events = brat_expected(ann, text)
        if not spans and not events:
            assert not Annotation.objects.filter(document__external_id=ann.stem).exists()
            continue
        layer = layer_of("news", ann.stem)
        assert layer.kind == "prediction"
        assert layer.origin["format"] == "brat"
        assert layer.origin["file"].endswith(f"{ann.stem}.txt")
        assert spans_of(layer) == spans, ann.name
        assert events_of(layer) == events, ann.name
        annotated += 1
    assert annotated == 9


def test_brat_notes_relations_and_equivalences_are_kept_or_reported(testdata):
    _, err = run("news", str(testdata / "brat-news-tutorial"))
    layer = layer_of("news", "110-note_annotation")
    notes = dict(layer.spans.values_list("note", "entity_type__key").exclude(note=""))
    assert notes == {"Should fictional places be annotated?": "GPE"}
    relation = layer.relations.select_related("relation_type", "head", "tail").first()
    assert relation.relation_type.key == "Family"
    assert relation.note == "Should this be marked? It's not explicitly stated."
    text = layer.document.text
    assert text[relation.head.start : relation.head.end] == "Orville Wright"
    assert "060-relation_annotation.ann, line 6: equivalence line 6 not imported" in err


def test_brat_as_gold_with_a_mapping_onto_ace(testdata, owner):
    _, err = run(
        "news-ace",
        str(testdata / "brat-news-tutorial"),
        "--schema", "ace2005", "--as", "gold", "--user", owner.username,
        "--map", "Person=PER", "--map", "Organization=ORG", "--map", "Merge-org=Business.Merge-Org",
        "--map", "Org-Arg=Org",
    )  # fmt: skip
    layer = layer_of("news-ace", "080-event-annotation")
    assert layer.kind == "gold"
    assert layer.revisions.get().user == owner
    assert {span[2] for span in spans_of(layer)} <= {"PER", "ORG"}
    merges = layer.events.filter(event_type__key="Business.Merge-Org")
    assert merges.count() == 4
    merge = merges.get(trigger_start=382)  # E3: Org-Arg, Org-Arg2, Org-Arg3, Org-Arg4
    assert sorted(merge.arguments.values_list("role__key", "index")) == [
        ("Org", 1),
        ("Org", 2),
        ("Org", 3),
        ("Org", 4),
    ]
    assert "event type 'Report' is not in the schema" in err
    assert "Not in the schema: event type 'Report'" in err


def test_doccano_sequence_labelling_with_its_record_without_text(testdata):
    path = testdata / "doccano" / "import-tests-sequence_labeling" / "example.jsonl"
    out, err = run("doccano", str(path), "--format", "doccano", "--add-labels")
    assert "2 new, 0 duplicate, 1 failed" in out
    assert "example.jsonl, line 3: " in err
    corpus = Corpus.objects.get(slug="doccano")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "text" not in record:
            continue
        document = corpus.documents.get(text=record["text"])
        assert document.metadata["meta"] == record["meta"]
        layer = document.annotations.filter(kind="prediction").first()
        expected = {(s, e, label, record["text"][s:e]) for s, e, label in record["label"]}
        assert (spans_of(layer) if layer else set()) == expected


def test_doccano_relations_become_relations(testdata):
    path = testdata / "doccano" / "import-tests-relation_extraction" / "example.jsonl"
    run("rel", str(path), "--add-labels")
    corpus = Corpus.objects.get(slug="rel")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        layer = corpus.documents.get(text=record["text"]).annotations.get()
        text = record["text"]
        by_id = {e["id"]: text[e["start_offset"] : e["end_offset"]] for e in record["entities"]}
        expected = {
            (by_id[r["from_id"]], r["type"], by_id[r["to_id"]]) for r in record["relations"]
        }
        found = {
            (text[r.head.start : r.head.end], r.relation_type.key, text[r.tail.start : r.tail.end])
            for r in layer.relations.select_related("head", "tail", "relation_type")
        }
        assert found == expected


def test_prodigy_accepted_spans_come_in_exactly(testdata):
    path = testdata / "prodigy" / "ner_tweets" / "demo.jsonl"
    out, _ = run("tweets", str(path), "--schema", "ontonotes")
    assert " 0 failed" in out
    corpus = Corpus.objects.get(slug="tweets")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    accepted = [record for record in records if record.get("answer") == "accept"]
    assert corpus.documents.count() == len({record["text"] for record in accepted})
    for record in accepted:
        document = corpus.documents.get(text=record["text"])
        expected = {
            (s["start"], s["end"], s["label"], record["text"][s["start"] : s["end"]])
            for s in record.get("spans", [])
        }
        layer = document.annotations.first()
        assert (spans_of(layer) if layer else set()) == expected
        assert document.metadata["_input_hash"] == record["_input_hash"]


@pytest.mark.parametrize(
    "name", ["ner-token-per-line-conll2003.iob", "ner-sent-per-line.iob", "ner-token-per-line.iob"]
)
def test_conll_and_iob_entities_match_spacys_own_reading(testdata, name):
    from spacy.training.iob_utils import iob_to_biluo, tags_to_entities

    path = testdata / "spacy-example-data" / "ner_example_data" / name
    out, _ = run("iob", str(path), "--format", "conll", "--add-labels")
    assert " 0 failed" in out
    words, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            continue
        for token in line.split() if "|" in line else [line]:
            parts = token.split("|") if "|" in token else token.split()
            words.append(parts[0])
            tags.append(parts[-1])
    expected = sorted(
        (label, " ".join(words[start : end + 1]))
        for label, start, end in tags_to_entities(iob_to_biluo(tags))
    )
    found = sorted(
        (span[2], span[3])
        for layer in Annotation.objects.filter(document__corpus__slug="iob")
        for span in spans_of(layer)
    )
    assert found == expected
