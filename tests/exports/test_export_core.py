"""What every export shares: options, deterministic splits, sources, filters, alignment, outputs."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from exports.layers import source_counts
from exports.options import ExportOptions, ExportOptionsError, split_parse
from exports.report import ExportReport
from exports.run import export_preview, export_zip_stream
from exports.splits import split_of
from formats.aligned import aligned_document
from formats.tokens import tokenized
from formats.writing import ExportDocument
from tests.factories import AnnotationFactory, DocumentFactory, span_create

NAMES = ("train", "dev", "test")


def split_counts(keys, seed=0):
    parts = [split_of(key, seed=seed, parts=(0.8, 0.1, 0.1), names=NAMES) for key in keys]
    return {name: parts.count(name) for name in NAMES}, parts


def test_a_split_depends_only_on_the_document_id_and_the_seed():
    keys = [f"AFP-{number}" for number in range(2000)]
    counts, parts = split_counts(keys)
    assert 1500 < counts["train"] < 1700
    assert 120 < counts["dev"] < 280
    _, with_new = split_counts(keys + [f"new-{number}" for number in range(500)])
    assert with_new[:2000] == parts  # adding documents moves none of the old ones
    _, reseeded = split_counts(keys, seed=1)
    assert reseeded != parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [("0.8,0.1,0.1", (0.8, 0.1, 0.1)), ("80,10,10", (0.8, 0.1, 0.1)), ("0.9 0.1", (0.9, 0.1))],
)
def test_split_fractions_or_percentages_are_read(text, parts):
    assert split_parse(text) == pytest.approx(parts)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5,0.2", "add up to 0.7, not 1"),
        ("a,b", "write fractions such as 0.8,0.1,0.1"),
        ("0.2,0.2,0.2,0.4", "two or three parts"),
    ],
)
def test_a_bad_split_says_what_is_wrong(text, message):
    with pytest.raises(ExportOptionsError, match=message):
        split_parse(text)


def test_an_annotator_needs_the_submitted_source():
    with pytest.raises(ExportOptionsError, match="only be chosen with source 'submitted'"):
        ExportOptions(source="gold", annotator="ana")


TEXT = "Rebels attacked a convoy in Kabul on Monday.\n\nThe UN condemned it."
TOKENS = [(0, 6), (7, 15), (16, 17), (18, 24), (25, 27), (28, 33), (34, 36), (37, 43), (43, 44)]
TOKENS += [(46, 49), (50, 52), (53, 62), (63, 65), (65, 66)]


def test_stored_tokens_and_sentences_become_token_ranges():
    tokens = tokenized(TEXT, TOKENS, [(0, 44), (46, 66)])
    assert tokens.sentences == [(0, 9), (9, 14)]
    assert tokens.sentence_of(8) == 0
    assert tokens.sentence_of(9) == 1
    assert tokens.words()[9:11] == ["The", "UN"]


def test_a_document_never_pre_annotated_is_tokenised_with_sentences():
    tokens = tokenized(TEXT, None, None)
    assert tokens.tokens == TOKENS
    assert tokens.sentences == [(0, 9), (9, 14)]


@pytest.mark.parametrize(
    ("start", "end", "snap", "expected"),
    [
        (7, 15, "none", (1, 1, 7, 15)),
        (28, 36, "none", (5, 6, 28, 36)),
        (9, 15, "none", None),  # "tacked": starts inside a token
        (9, 15, "expand", (1, 1, 7, 15)),
        (9, 15, "contract", None),
        (5, 24, "contract", (1, 3, 7, 24)),
        (5, 24, "expand", (0, 3, 0, 24)),
        (44, 46, "expand", None),  # only whitespace
    ],
)
def test_spans_align_to_tokens_strictly_or_snapped(start, end, snap, expected):
    span = tokenized(TEXT, TOKENS, [(0, 44), (46, 66)]).align(start, end, snap)
    assert (span and (span.first, span.last, span.start, span.end)) == expected


def record(**items):
    return {"id": "doc-1", "text": TEXT, "entities": [], "events": [], "relations": [], **items}


def test_a_misaligned_span_is_listed_and_snapped_or_left_out():
    entities = [
        {"id": "T1", "start": 0, "end": 6, "label": "PER"},
        {"id": "T2", "start": 28, "end": 31, "label": "GPE"},  # "Kab"
    ]
    events = [
        {
            "id": "E1",
            "type": "Conflict.Attack",
            "trigger": {"start": 7, "end": 15},
            "arguments": [
                {"role": "Attacker", "ref": "T1", "index": 1},
                {"role": "Place", "ref": "T2", "index": 1},
            ],
        }
    ]
    document = ExportDocument(record(entities=entities, events=events), "train", TOKENS, None)
    report = ExportReport(format="conll", source="gold")
    left_out = aligned_document(document, snap="none", report=report)
    assert [entity.id for entity in left_out.entities] == ["T1"]
    assert [argument.role for argument in left_out.events[0].arguments] == ["Attacker"]
    assert dict(report.warning_counts) == {"misaligned": 1, "dropped-argument": 1}
    assert report.warnings[0] | {"message": ""} == {
        "kind": "misaligned", "document": "doc-1", "split": "train", "message": "",
        "label": "GPE", "start": 28, "end": 31, "text": "Kab", "outcome": "dropped",
    }  # fmt: skip

    report = ExportReport(format="conll", source="gold")
    expanded = aligned_document(document, snap="expand", report=report)
    assert expanded.entities[1].span.end == 33
    assert dict(report.warning_counts) == {"misaligned": 1}
    assert "expanded to 'Kabul'" in report.warnings[0]["message"]


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("export_corpus", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def layers(corpus, annotator, reviewer):
    """Three documents: gold on two, submitted layers by two annotators, a draft, predictions."""
    first, second, third = (
        DocumentFactory(corpus=corpus, external_id=f"doc-{n}", text=f"Ann died in Homs ({n}).")
        for n in range(3)
    )
    for document in (first, second):
        gold = AnnotationFactory(document=document, kind="gold", model_name="", status="reviewed")
        span_create(gold, 0, 3, "PER")
        span_create(gold, 12, 16, "GPE")
    for user, document in ((annotator, first), (reviewer, first), (annotator, third)):
        layer = AnnotationFactory(
            document=document, kind="annotator", user=user, model_name="", status="submitted"
        )
        span_create(layer, 0, 3, "PER")
    draft = AnnotationFactory(document=second, kind="annotator", user=annotator, model_name="")
    span_create(draft, 0, 3, "PER")
    AnnotationFactory(document=third)
    return corpus


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "documents"),
    [
        ({}, 2),
        ({"source": "submitted"}, 2),  # the newest submitted layer of the first, the third
        ({"source": "submitted", "annotator": "rita-reviewer"}, 1),
        ({"source": "predictions"}, 1),
        ({"statuses": frozenset({"draft"})}, 0),
    ],
)
def test_the_source_chooses_one_layer_per_document(layers, options, documents):
    report = export_preview(layers, ExportOptions(**options))
    assert report.total_documents == documents


@pytest.mark.django_db
def test_a_label_filter_keeps_only_those_labels(layers):
    report = export_preview(layers, ExportOptions(labels=frozenset({"GPE"})))
    assert dict(report.entities) == {"GPE": 2}


@pytest.mark.django_db
def test_the_command_writes_one_file_a_folder_per_split_or_a_zip(layers, tmp_path):
    slug = layers.slug
    out = command(slug, "--out", str(tmp_path / "gold.jsonl"))
    assert "2 documents (gold): all 2" in out
    assert "entities: 4 (PER 2, GPE 2)" in out
    assert len((tmp_path / "gold.jsonl").read_text().splitlines()) == 2

    out = command(slug, "--out", str(tmp_path / "parts"), "--split", "0.5,0.5", "--seed", "3")
    parts = {path.name: path.read_text().count("\n") for path in (tmp_path / "parts").iterdir()}
    assert sorted(parts) == ["dev.jsonl", "train.jsonl"]
    assert sum(parts.values()) == 2

    command(slug, "--out", str(tmp_path / "gold.zip"), "--report", str(tmp_path / "r.json"))
    with zipfile.ZipFile(tmp_path / "gold.zip") as archive:
        assert archive.namelist() == [f"{slug}.jsonl", "report.json"]
        assert json.loads(archive.read("report.json"))["total_documents"] == 2
    assert json.loads((tmp_path / "r.json").read_text())["entities"] == {"PER": 2, "GPE": 2}


@pytest.mark.django_db
def test_the_command_refuses_bad_options_with_a_message(layers, tmp_path):
    with pytest.raises(CommandError, match=r"add up to 1\.1"):
        command(layers.slug, "--out", str(tmp_path / "x"), "--split", "0.8,0.2,0.1")
    out = command(layers.slug, "--out", str(tmp_path / "x"), "--status", "draft")
    assert "No gold layers to export; try --source submitted (2 documents)" in out
    with pytest.raises(CommandError, match="No corpus 'nope'"):
        command("nope", "--out", str(tmp_path / "x"))


@pytest.mark.django_db
def test_an_empty_part_of_the_split_is_a_warning(layers):
    report = export_preview(layers, ExportOptions(split=(0.999999, 0.000001)))
    assert report.warning_counts["empty-split"] == 1


@pytest.mark.django_db
def test_the_streamed_zip_holds_every_part_and_the_report(layers):
    options = ExportOptions(split=(0.5, 0.5), seed=3)
    data = b"".join(export_zip_stream(layers, options))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["train.jsonl", "dev.jsonl", "report.json"]
        lines = archive.read("train.jsonl").splitlines() + archive.read("dev.jsonl").splitlines()
        assert sorted(json.loads(line)["id"] for line in lines) == ["doc-0", "doc-1"]
    assert Annotation.objects.filter(document__corpus=layers).count() == 7


@pytest.mark.django_db
def test_each_source_says_how_many_documents_it_would_export(layers):
    assert source_counts(layers) == {
        "gold": 2,
        "submitted": 2,
        "predictions": 1,
        "annotators": {"ana-annotator": 2, "rita-reviewer": 1},
    }
