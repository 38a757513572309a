"""CoNLL-2003 BIO export: spaCy and our own importer read back the gold entities."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from annotations.models import Annotation
from corpus.models import Document
from formats.tokens import Tokenized, tokenized
from tests.commands import command

pytestmark = [pytest.mark.django_db]

TALKS = "Russia Ukraine talks began in Geneva on Monday. Peter Blackburn led them. It ended."


def at(text: str, phrase: str, label: str, **more) -> dict:
    """Return the entity `label` on the first `phrase` in `text`."""
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label, **more}


def import_gold(tmp_path: Path, owner, *records: dict, corpus: str = "news") -> None:
    path = tmp_path / f"{corpus}.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    command("import_documents", corpus, str(path), "--as", "gold", "--user", owner.username)


def export(tmp_path: Path, corpus: str = "news") -> tuple[Path, dict]:
    out, report = tmp_path / f"{corpus}.conll", tmp_path / f"{corpus}-report.json"
    command(
        "export_corpus", corpus, "--format", "conll", "--out", str(out), "--report", str(report)
    )
    return out, json.loads(report.read_text(encoding="utf-8"))


def spacy_docs(path: Path, tmp_path: Path) -> list:
    """Convert `path` with `spacy convert -c ner`, as a user would, and load the DocBin."""
    folder = tmp_path / "spacy"
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(path), str(folder), "-c", "ner"],
        check=True,
        capture_output=True,
    )
    (converted,) = folder.glob("*.spacy")
    return list(DocBin().from_disk(converted).get_docs(spacy.blank("en").vocab))


def gold_entities(corpus: str) -> list[list[tuple[str, str]]]:
    """Each gold layer's entities as (their words joined by spaces, label), in export order."""
    layers = Annotation.objects.filter(document__corpus__slug=corpus, kind="gold")
    found = []
    for layer in layers.order_by("document_id").select_related("document"):
        document = layer.document
        tokens = tokenized(document.text, document.tokens, document.sentences)
        spans = layer.spans.select_related("entity_type").order_by("start", "end")
        found.append([(words_in(tokens, s.start, s.end), s.entity_type.key) for s in spans])
    return found


def words_in(tokens: Tokenized, start: int, end: int) -> str:
    return " ".join(tokens.text[a:b] for a, b in tokens.tokens if start <= a and b <= end)


def tags(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (line.split()[0], line.split()[-1]) for line in lines if line and "DOCSTART" not in line
    ]


@pytest.mark.slow
def test_spacy_convert_reads_every_brat_tutorial_document_with_its_gold_entities(
    testdata, tmp_path, owner
):
    folder = testdata / "brat-news-tutorial"
    command("import_documents", "news", str(folder), "--as", "gold", "--user", owner.username)
    out, report = export(tmp_path)

    docs = spacy_docs(out, tmp_path)
    assert len(docs) == report["total_documents"] == 13
    entities = [[(ent.text, ent.label_) for ent in doc.ents] for doc in docs]
    assert entities == gold_entities("news")
    assert sum(len(doc_entities) for doc_entities in entities) == 96
    assert set(report["warning_counts"]) == {"unsupported"}


def test_our_conll_importer_reads_back_the_brat_tutorial_entities(testdata, tmp_path, owner):
    folder = testdata / "brat-news-tutorial"
    command("import_documents", "news", str(folder), "--as", "gold", "--user", owner.username)
    out, _ = export(tmp_path)

    schema = str(folder / "annotation.conf")
    options = ["--format", "conll", "--as", "gold", "--schema", schema]
    command("import_documents", "again", str(out), *options)
    again = Annotation.objects.filter(document__corpus__slug="again")
    assert again.count() == 13
    # The importer numbers the documents of one file `<stem>-1`, `<stem>-2`, ... in file order.
    by_number = sorted(again, key=lambda layer: int(layer.document.external_id.rsplit("-")[-1]))
    reread = [
        [
            (layer.document.text[s.start : s.end], s.entity_type.key)
            for s in layer.spans.select_related("entity_type").order_by("start", "end")
        ]
        for layer in by_number
    ]
    assert reread == gold_entities("news")


@pytest.mark.slow
def test_sentences_become_blocks_and_every_entity_starts_with_b(tmp_path, owner):
    record = {
        "id": "talks",
        "text": TALKS,
        "entities": [
            at(TALKS, "Russia", "GPE"),
            at(TALKS, "Ukraine", "GPE"),
            at(TALKS, "Geneva", "GPE"),
            at(TALKS, "Monday", "TIMEX2"),
            at(TALKS, "Peter Blackburn", "PER"),
        ],
    }
    quiet = "Nothing happened on Friday. Really."
    import_gold(
        tmp_path,
        owner,
        record,
        {"id": "quiet", "text": quiet, "entities": [at(quiet, "Friday", "TIMEX2")]},
    )
    out, report = export(tmp_path)

    blocks = out.read_text(encoding="utf-8").split("\n\n")
    assert blocks[0] == "-DOCSTART- -X- O O"
    assert blocks[1].splitlines()[:3] == ["Russia _ _ B-GPE", "Ukraine _ _ B-GPE", "talks _ _ O"]
    assert ("Blackburn", "I-PER") in tags(out)
    assert report["warning_counts"] == {}

    docs = spacy_docs(out, tmp_path)
    assert [len(list(doc.sents)) for doc in docs] == [3, 2]
    assert [(ent.text, ent.label_) for ent in docs[0].ents] == [
        ("Russia", "GPE"),
        ("Ukraine", "GPE"),
        ("Geneva", "GPE"),
        ("Monday", "TIMEX2"),
        ("Peter Blackburn", "PER"),
    ]
    assert [(ent.text, ent.label_) for ent in docs[1].ents] == [("Friday", "TIMEX2")]


@pytest.mark.slow
def test_overlapping_entities_keep_the_longest_then_the_earliest(tmp_path, owner):
    text = "Crowds filled New York City today. Crowds left New York City."
    second = text.index("New York City", 20)
    record = {
        "id": "nested",
        "text": text,
        "entities": [
            at(text, "New York", "GPE"),
            at(text, "New York City", "GPE"),
            at(text, "City", "FAC"),
            {"start": second, "end": second + 8, "label": "GPE"},
            {"start": second + 4, "end": second + 13, "label": "LOC"},
        ],
    }
    import_gold(tmp_path, owner, record)
    out, report = export(tmp_path)

    assert tags(out)[2:5] == [("New", "B-GPE"), ("York", "I-GPE"), ("City", "I-GPE")]
    assert tags(out)[9:12] == [("New", "B-GPE"), ("York", "I-GPE"), ("City", "O")]
    assert report["warning_counts"]["overlap"]["count"] == 3
    left_out = [w["message"] for w in report["warnings"] if w["kind"] == "overlap"]
    assert "GPE 'New York' left out: it overlaps GPE 'New York City'" in left_out
    assert "LOC 'York City' left out: it overlaps GPE 'New York'" in left_out
    written = [(ent.text, ent.label_) for ent in spacy_docs(out, tmp_path)[0].ents]
    assert written == [("New York City", "GPE"), ("New York", "GPE")]


def test_events_and_relations_give_one_warning_per_document_that_has_them(tmp_path, owner):
    text = "Rebels attacked a convoy and shelled Homs."
    record = {
        "id": "attack",
        "text": text,
        "entities": [at(text, "Rebels", "PER", id="T1"), at(text, "Homs", "GPE", id="T2")],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": at(text, "attacked", ""),
                "arguments": [{"role": "Attacker", "ref": "T1"}],
            },
            {
                "id": "E2",
                "type": "Conflict.Attack",
                "trigger": at(text, "shelled", ""),
                "arguments": [{"role": "Place", "ref": "T2"}],
            },
        ],
    }
    import_gold(tmp_path, owner, record, {"id": "calm", "text": "Homs was calm."})
    out, report = export(tmp_path)

    (warning,) = report["warnings"]
    assert warning["kind"] == "unsupported"
    assert (warning["document"], warning["events"], warning["relations"]) == ("attack", 2, 0)
    assert warning["message"] == "2 events left out: CoNLL holds entities only"
    assert ("attacked", "O") in tags(out)


@pytest.mark.slow
def test_a_non_breaking_space_never_makes_extra_columns(tmp_path, owner):
    text = "Prices in Paris\u00a0France rose by 10\u00a0000 euros."
    import_gold(
        tmp_path,
        owner,
        {"id": "nbsp", "text": text, "entities": [at(text, "Paris\u00a0France", "GPE")]},
    )
    out, report = export(tmp_path)

    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if line]
    assert all(len(line.split()) == 4 for line in lines)
    assert ("Paris", "B-GPE") in tags(out)
    assert ("France", "I-GPE") in tags(out)
    assert report["warning_counts"] == {}
    assert [(e.text, e.label_) for e in spacy_docs(out, tmp_path)[0].ents] == [
        ("Paris France", "GPE")
    ]


def test_a_stored_token_holding_a_space_is_written_as_several_words(tmp_path, owner):
    text = "Prices in Paris\u00a0France rose."
    import_gold(
        tmp_path,
        owner,
        {"id": "nbsp", "text": text, "entities": [at(text, "Paris\u00a0France", "GPE")]},
    )
    # Tokens a pre-annotation model stored, one of which keeps the no-break space inside.
    Document.objects.update(
        tokens=[[0, 6], [7, 9], [10, 22], [23, 27], [27, 28]], sentences=[[0, 28]]
    )
    out, report = export(tmp_path)

    assert tags(out)[2:4] == [("Paris", "B-GPE"), ("France", "I-GPE")]
    assert report["warning_counts"]["token-split"]["count"] == 1
    assert report["warnings"][0]["message"] == (
        "token 'Paris\\xa0France' holds a space character: written as 'Paris France'"
    )


@pytest.mark.slow
def test_an_entity_across_a_sentence_boundary_joins_the_two_sentences(tmp_path, owner):
    text = "He works for Yahoo! Inc. in Sunnyvale. Police came."
    import_gold(
        tmp_path, owner, {"id": "yahoo", "text": text, "entities": [at(text, "Yahoo! Inc.", "ORG")]}
    )
    out, report = export(tmp_path)

    docs = spacy_docs(out, tmp_path)
    assert [sent.text for sent in docs[0].sents] == [
        "He works for Yahoo ! Inc. in Sunnyvale .",
        "Police came .",
    ]
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Yahoo ! Inc.", "ORG")]
    assert report["warning_counts"]["sentences-joined"]["count"] == 1
