"""DyGIE++ export: every record keeps the format's index rules, and each cut is reported."""

import json
import re
from pathlib import Path

import pytest

from annotations.models import Annotation
from corpus.models import Document
from formats.tokens import Tokenized, tokenized
from tests.commands import command

pytestmark = [pytest.mark.django_db]

# Keys DyGIE++ reads per document; every other key holds one entry per sentence (dygiepp
# `Document.from_json` and `fields_to_batches`), and keys must match ALLOWED_KEY there.
DOCUMENT_KEYS = {
    "doc_key",
    "dataset",
    "clusters",
    "predicted_clusters",
    "weight",
    "event_clusters",
    "predicted_event_clusters",
}
ALLOWED_KEY = re.compile(
    r"doc_key|dataset|sentences|weight|.*ner$|.*relations$|.*clusters$|.*events$|^_.*"
)
WRITTEN_KEYS = ("doc_key", "dataset", "sentences", "ner", "relations", "events")


def dygiepp_problems(record: dict) -> list[str]:
    """Return how `record` breaks the rules of FORMATS.md §7.1; empty when it keeps them."""
    problems = [f"missing {key}" for key in WRITTEN_KEYS if key not in record]
    problems += [f"unexpected key {key}" for key in record if not ALLOWED_KEY.match(key)]
    if problems:
        return problems
    sentences = record["sentences"]
    if not sentences:
        return ["no sentences"]
    problems = [
        f"{key} has {len(record[key])} entries for {len(sentences)} sentences"
        for key in sorted(set(record) - DOCUMENT_KEYS)
        if len(record[key]) != len(sentences)
    ]
    if problems:
        return problems
    first = 0
    for number, words in enumerate(sentences):
        where = f"sentence {number}"
        last = first + len(words) - 1  # inclusive, counted from the document's first token
        if not words:
            problems.append(f"{where} is empty")
        problems += [f"{where}: token {w!r}" for w in words if not isinstance(w, str) or not w]
        spans, labels = _spans_and_labels(record, number)
        problems += [
            f"{where}: {what} {span} not in [{first}, {last}]"
            for what, span in spans
            if not (all(type(i) is int for i in span) and first <= span[0] <= span[1] <= last)
        ]
        problems += [
            f"{where}: {what} label {label!r}"
            for what, label in labels
            if not isinstance(label, str) or not label
        ]
        first = last + 1
    return problems


def _spans_and_labels(record: dict, number: int) -> tuple[list, list]:
    """Return sentence `number`'s spans `(what, [start, end])` and labels `(what, label)`."""
    spans, labels = [], []
    for start, end, label in record["ner"][number]:
        spans.append(("entity", [start, end]))
        labels.append(("entity", label))
    for start1, end1, start2, end2, label in record["relations"][number]:
        spans += [("relation head", [start1, end1]), ("relation tail", [start2, end2])]
        labels.append(("relation", label))
    for (trigger, kind), *arguments in record["events"][number]:
        # A trigger is one token: one int, which must lie in the sentence like a span would.
        spans.append(("trigger", [trigger, trigger]))
        labels.append(("event", kind))
        for start, end, role in arguments:
            spans.append(("argument", [start, end]))
            labels.append(("argument", role))
    return spans, labels


def export(tmp_path: Path, corpus: str = "news") -> tuple[list[dict], dict]:
    out, report = tmp_path / f"{corpus}.json", tmp_path / f"{corpus}-report.json"
    command(
        "export_corpus", corpus, "--format", "dygiepp", "--out", str(out), "--report", str(report)
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in records:
        assert dygiepp_problems(record) == [], record["doc_key"]
    return records, json.loads(report.read_text(encoding="utf-8"))


def at(text: str, phrase: str, **more) -> dict:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), **more}


def words_in(tokens: Tokenized, start: int, end: int) -> list[str]:
    return [tokens.text[a:b] for a, b in tokens.tokens if start <= a and b <= end]


def words(record: dict, start: int, end: int) -> str:
    tokens = [token for sentence in record["sentences"] for token in sentence]
    return " ".join(tokens[start : end + 1])


def test_brat_tutorial_records_keep_the_index_rules_and_every_entity_and_event(
    testdata, tmp_path, owner
):
    folder = testdata / "brat-news-tutorial"
    command("import_documents", "news", str(folder), "--as", "gold", "--user", owner.username)
    records, report = export(tmp_path)

    assert len(records) == report["total_documents"] == 13
    assert {record["dataset"] for record in records} == {"brat-news-tutorial"}
    layers = {
        layer.document.external_id: layer
        for layer in Annotation.objects.filter(kind="gold").select_related("document")
    }
    for record in records:
        layer = layers[record["doc_key"]]
        document = layer.document
        tokens = tokenized(document.text, document.tokens, document.sentences)
        ner = sorted(
            (words(record, s, e), label) for sentence in record["ner"] for s, e, label in sentence
        )
        gold = sorted(
            (" ".join(words_in(tokens, span.start, span.end)), span.entity_type.key)
            for span in layer.spans.select_related("entity_type")
        )
        assert ner == gold
        events = [event for sentence in record["events"] for event in sentence]
        assert len(events) == layer.events.count()
        relations = [relation for sentence in record["relations"] for relation in sentence]
        assert len(relations) == layer.relations.count()
    # Nested "X reported that Y merged" events: the inner event cannot be an argument.
    assert report["warning_counts"] == {
        "event-argument": {"count": 8, "meaning": "arguments filled by another event"}
    }

    intro = next(record for record in records if record["doc_key"] == "000-introduction")
    (event,) = [event for sentence in intro["events"] for event in sentence]
    (trigger, _), *arguments = event
    assert words(intro, trigger, trigger) == "moving"
    assert sorted((words(intro, s, e), role) for s, e, role in arguments) == [
        ("$ 100 million", "Money-Arg"),
        ("Citibank", "Giver-Arg"),
        ("Raul Salinas de Gortari", "Beneficiary-Arg"),
        ("banks", "Recipient-Arg"),
    ]


ATTACK = (
    "Rebels blew up a convoy in Kabul. It happened on Monday. "
    "Officials in Kabul condemned the suicide bombing. He works for Yahoo! Inc. in Sunnyvale."
)


def test_triggers_arguments_and_relations_are_cut_to_the_format_and_each_cut_reported(
    tmp_path, owner
):
    text = ATTACK
    second_kabul = text.index("Kabul", text.index("Officials"))
    record = {
        "id": "attack",
        "text": text,
        "entities": [
            at(text, "Rebels", id="T1", label="PER"),
            at(text, "convoy", id="T2", label="VEH"),
            at(text, "Kabul", id="T3", label="GPE"),
            at(text, "Monday", id="T4", label="TIMEX2"),
            at(text, "Officials", id="T5", label="PER"),
            {"id": "T6", "start": second_kabul, "end": second_kabul + 5, "label": "GPE"},
            at(text, "Yahoo! Inc.", id="T7", label="ORG"),
            at(text, "Sunnyvale", id="T8", label="GPE"),
            at(text, "He", id="T9", label="PER"),
            at(text, "Sunny", id="T10", label="GPE"),  # not a whole token: left out
        ],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": at(text, "blew up"),
                "arguments": [
                    {"role": "Attacker", "ref": "T1"},
                    {"role": "Target", "ref": "T2"},
                    {"role": "Place", "ref": "T3"},
                    {"role": "Time-Within", "ref": "T4"},
                ],
            },
            {
                "id": "E2",
                "type": "Conflict.Attack",
                "trigger": at(text, "suicide bombing"),
                "arguments": [{"role": "Target", "ref": "E1"}, {"role": "Place", "ref": "T6"}],
            },
        ],
        "relations": [
            {"type": "PHYS.Located", "head": "T5", "tail": "T6"},
            {"type": "PHYS.Located", "head": "T1", "tail": "T6"},
            {"type": "ORG-AFF.Employment", "head": "T9", "tail": "T7"},
            {"type": "PHYS.Located", "head": "T9", "tail": "T10"},
        ],
    }
    path = tmp_path / "attack.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    command("import_documents", "news", str(path), "--as", "gold", "--user", owner.username)
    (written,), report = export(tmp_path)

    counts = {kind: value["count"] for kind, value in report["warning_counts"].items()}
    assert counts == {
        "trigger-reduced": 2,
        "cross-sentence": 2,
        "event-argument": 1,
        "sentences-joined": 1,
        "misaligned": 1,
        "dropped-argument": 1,
    }
    assert written["dataset"] == "ace2005"
    # "Yahoo! Inc." would be cut by the sentence break after "!": those sentences are one.
    assert [len(sentence) for sentence in written["sentences"]] == [8, 5, 8, 9]
    attack, bombing = [event for sentence in written["events"] for event in sentence]
    # The head of "blew up" is "blew" (a particle follows it), of "suicide bombing" "bombing".
    assert words(written, attack[0][0], attack[0][0]) == "blew"
    assert [(words(written, s, e), role) for s, e, role in attack[1:]] == [
        ("Rebels", "Attacker"),
        ("convoy", "Target"),
        ("Kabul", "Place"),
    ]
    assert words(written, bombing[0][0], bombing[0][0]) == "bombing"
    assert [(words(written, s, e), role) for s, e, role in bombing[1:]] == [("Kabul", "Place")]
    relations = [
        (words(written, s1, e1), words(written, s2, e2), label)
        for sentence in written["relations"]
        for s1, e1, s2, e2, label in sentence
    ]
    assert relations == [
        ("Officials", "Kabul", "PHYS.Located"),
        ("He", "Yahoo ! Inc.", "ORG-AFF.Employment"),
    ]
    messages = {warning["message"] for warning in report["warnings"]}
    assert "Conflict.Attack trigger 'blew up' reduced to 'blew'" in messages
    assert (
        "Conflict.Attack 'suicide bombing' Target left out: it is the Conflict.Attack 'blew up'"
        in messages
    )
    assert (
        "Conflict.Attack 'blew up' Time-Within 'Monday' left out: it is in another sentence"
        in messages
    )
    assert (
        "relation PHYS.Located left out: 'Rebels' and 'Kabul' are in different sentences"
        in messages
    )
    assert "relation PHYS.Located left out: T10 was" in messages


def test_the_validator_finds_what_breaks_the_index_rules():
    record = {
        "doc_key": "bad",
        "dataset": "ace2005",
        "sentences": [["Rebels", "attacked"], ["", "fled"]],
        "ner": [[[0, 0, "PER"]], [[1, 2, "PER"]]],
        "relations": [[], []],
        "events": [[[[2, "Conflict.Attack"], [0, 0, "Attacker"]]], []],
        "weight": 1.0,
    }
    assert dygiepp_problems(record) == [
        "sentence 0: trigger [2, 2] not in [0, 1]",
        "sentence 1: token ''",
        "sentence 1: entity [1, 2] not in [2, 3]",
    ]
    two_token_trigger = [[[[[0, 1], "Conflict.Attack"]]], []]
    assert dygiepp_problems({**record, "events": two_token_trigger}) == [
        "sentence 0: trigger [[0, 1], [0, 1]] not in [0, 1]",
        "sentence 1: token ''",
        "sentence 1: entity [1, 2] not in [2, 3]",
    ]
    assert dygiepp_problems({**record, "ner": [[]]}) == ["ner has 1 entries for 2 sentences"]
    assert dygiepp_problems({"sentences": [], "title": "x"}) == [
        "missing doc_key",
        "missing dataset",
        "missing ner",
        "missing relations",
        "missing events",
        "unexpected key title",
    ]


def test_a_document_without_tokens_is_left_out_and_reported(tmp_path, owner):
    text = "Homs was shelled."
    path = tmp_path / "homs.jsonl"
    record = {"id": "homs", "text": text, "entities": [at(text, "Homs", label="GPE")]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    command("import_documents", "news", str(path), "--as", "gold", "--user", owner.username)
    # A tokenizer that found no words: DyGIE++ cannot read a document without sentences.
    Document.objects.update(tokens=[], sentences=[])
    records, report = export(tmp_path)

    assert records == []
    assert [(w["kind"], w["document"]) for w in report["warnings"]] == [
        ("misaligned", "homs"),
        ("empty-document", "homs"),
    ]
