"""The Prodigy reader: accepted tasks only, spans checked against tokens, relations by span."""

import json
from pathlib import Path

from formats.files import ImportSource
from formats.options import ReadOptions
from formats.prodigy.reader import read_prodigy
from formats.records import ArticleRecord, Problem

TEXT = "Rebels attacked Homs on Friday."
TOKENS = [
    {"text": "Rebels", "start": 0, "end": 6, "id": 0, "ws": True},
    {"text": "attacked", "start": 7, "end": 15, "id": 1, "ws": True},
    {"text": "Homs", "start": 16, "end": 20, "id": 2, "ws": True},
    {"text": "on", "start": 21, "end": 23, "id": 3, "ws": True},
    {"text": "Friday", "start": 24, "end": 30, "id": 4, "ws": False},
    {"text": ".", "start": 30, "end": 31, "id": 5, "ws": False},
]


def span(start: int, end: int, label: str | None, first: int, last: int) -> dict:
    return {"start": start, "end": end, "token_start": first, "token_end": last, "label": label}


ATTACK = span(7, 15, "Conflict.Attack", 1, 1)
REBELS = span(0, 6, "ORG", 0, 0)
HOMS = span(16, 20, "GPE", 2, 2)


def task(answer: str | None = "accept", **fields) -> dict:
    result = {"text": TEXT, "tokens": TOKENS, "spans": [REBELS, ATTACK, HOMS], **fields}
    if answer is not None:
        result["answer"] = answer
    return result


def read(path: Path):
    """Return the records and the problems the Prodigy reader finds in `path`."""
    items = list(read_prodigy(ImportSource([path]), ReadOptions()))
    records = [item for item in items if isinstance(item, ArticleRecord)]
    return records, [item for item in items if isinstance(item, Problem)]


def write_jsonl(tmp_path: Path, *tasks: dict) -> Path:
    path = tmp_path / "db-out.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in tasks), encoding="utf-8")
    return path


def spans_of(record: ArticleRecord) -> list[tuple[str, str, str]]:
    return [
        (span.ref, record.text[span.start : span.end], span.label)
        for span in record.annotations.spans
    ]


def test_accepted_and_unanswered_tasks_are_imported_with_their_spans(tmp_path):
    records, problems = read(write_jsonl(tmp_path, task("accept"), task(None)))
    assert problems == []
    assert [record.line for record in records] == [1, 2]
    assert spans_of(records[0]) == [
        ("s0", "Rebels", "ORG"),
        ("s1", "attacked", "Conflict.Attack"),
        ("s2", "Homs", "GPE"),
    ]
    assert records[0].warnings == []


def test_rejected_and_ignored_tasks_are_counted_in_one_warning_per_answer(tmp_path):
    path = write_jsonl(
        tmp_path,
        task("accept"),
        task("reject"),
        task("ignore"),
        task("reject"),
        task("reject", _is_binary=True),
    )
    records, problems = read(path)
    assert len(records) == 1
    assert [(problem.line, problem.severity, problem.message) for problem in problems] == [
        (2, "warning", "2 tasks answered 'reject' not imported (lines 2, 4)"),
        (3, "warning", "1 task answered 'ignore' not imported (lines 3)"),
        (
            5,
            "warning",
            "1 task answered 'reject' (binary negative examples) not imported (lines 5)",
        ),
    ]


def test_many_rejected_tasks_show_the_first_lines_and_a_count(tmp_path):
    path = write_jsonl(tmp_path, *[task("reject") for _ in range(15)])
    records, [problem] = read(path)
    assert records == []
    assert problem.message == (
        "15 tasks answered 'reject' not imported (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 5 more)"
    )


def test_task_keys_go_into_metadata_and_meta_id_is_the_external_id(tmp_path):
    fields = {
        "meta": {"id": "afp-17", "source": "AFP"},
        "_input_hash": 123,
        "_task_hash": -456,
        "_view_id": "ner_manual",
        "_session_id": "news-ana",
        "_annotator_id": "news-ana",
        "_timestamp": 1633999979,
        "custom": [1, 2],
    }
    [with_meta, with_hash], _ = read(write_jsonl(tmp_path, task(**fields), task(_input_hash=-789)))
    assert with_meta.external_id == "afp-17"
    assert with_meta.metadata == fields
    assert with_hash.external_id == "-789"


def test_span_that_disagrees_with_its_tokens_is_kept_with_a_warning(tmp_path):
    shifted = span(16, 21, "GPE", 2, 2)
    past_tokens = span(24, 30, "DATE", 4, 9)
    path = write_jsonl(tmp_path, task(spans=[shifted, past_tokens]))
    [record], _ = read(path)
    assert spans_of(record) == [("s0", "Homs ", "GPE"), ("s1", "Friday", "DATE")]
    assert [warning.message for warning in record.warnings] == [
        "span s0 [16, 21, 'GPE']: its tokens 2..2 cover characters 16..20;"
        " its character offsets are kept",
        "span s1 [24, 30, 'DATE']: tokens 4..9 are not among the task's 6 tokens;"
        " its character offsets are kept",
    ]


def test_span_whose_text_differs_from_the_task_text_is_kept_with_a_warning(tmp_path):
    quoted = {**HOMS, "text": "Hama"}
    [record], _ = read(write_jsonl(tmp_path, task(spans=[quoted])))
    assert spans_of(record) == [("s0", "Homs", "GPE")]
    [warning] = record.warnings
    assert (
        warning.message
        == "span s0 [16, 20, 'GPE']: its text 'Hama' is not the text there, 'Homs'; kept"
    )


def test_bad_spans_are_left_out_with_a_warning_and_refs_stay_positional(tmp_path):
    bad = [span(20, 16, "GPE", 2, 2), span(0, 99, "ORG", 0, 0), {"start": 0, "end": 6}, "x"]
    [record], problems = read(write_jsonl(tmp_path, task(spans=[*bad, HOMS])))
    assert problems == []
    assert spans_of(record) == [("s4", "Homs", "GPE")]
    assert [warning.message for warning in record.warnings] == [
        "span s0 [20, 16, 'GPE'] is not a stretch of the text (31 characters); left out",
        "span s1 [0, 99, 'ORG'] is not a stretch of the text (31 characters); left out",
        "span s2 [0, 6, None] has no label; left out",
        "span s3 is not an object; left out",
    ]


def test_task_without_text_is_an_error(tmp_path):
    records, [problem] = read(write_jsonl(tmp_path, {"answer": "accept"}, task()))
    assert len(records) == 1
    assert (problem.line, problem.severity, problem.message) == (1, "error", "the task has no text")


def test_relations_point_at_spans_by_head_span_and_child_span(tmp_path):
    relations = [
        {"head": 1, "child": 0, "head_span": ATTACK, "child_span": REBELS, "label": "Attacker"},
        {"head": 1, "child": 2, "label": "Place", "color": "#ffd882"},
    ]
    [record], _ = read(write_jsonl(tmp_path, task(relations=relations)))
    assert record.warnings == []
    found = [
        (relation.label, relation.head, relation.tail, relation.attributes)
        for relation in record.annotations.relations
    ]
    assert found == [
        ("Attacker", "s1", "s0", {}),
        ("Place", "s1", "s2", {"color": "#ffd882"}),
    ]


def test_relation_to_a_span_the_task_does_not_have_is_left_out_with_a_warning(tmp_path):
    on = span(21, 23, None, 3, 3)
    relations = [
        {"head": 1, "child": 3, "head_span": ATTACK, "child_span": on, "label": "Time"},
        {"head": 1, "child": 5, "label": "Place"},
        {"head": 1, "child": 2},
    ]
    [record], _ = read(write_jsonl(tmp_path, task(relations=relations)))
    assert record.annotations.relations == []
    assert [warning.message for warning in record.warnings] == [
        "relation 0 (Time): its child is not one of the task's spans; left out",
        "relation 1 (Place): its child is not one of the task's spans; left out",
        "relation 2 has no label; left out",
    ]


def test_overlapping_spans_with_the_same_offsets_are_told_apart_by_label(tmp_path):
    place = span(16, 20, "Place", 2, 2)
    relations = [{"head": 1, "child": 2, "head_span": ATTACK, "child_span": HOMS, "label": "In"}]
    [record], _ = read(
        write_jsonl(tmp_path, task(spans=[ATTACK, place, HOMS], relations=relations))
    )
    [relation] = record.annotations.relations
    assert (relation.head, relation.tail) == ("s0", "s2")


PRODIGY_FILES = {
    "nel_emerson/emerson_annotated_text.jsonl": (30, 0),
    "ner_tweets/demo.jsonl": (1, 0),
}


def test_every_prodigy_file_is_read_as_prodigy_wrote_it(testdata):
    folder = testdata / "prodigy"
    names = {str(path.relative_to(folder)) for path in folder.rglob("*.jsonl")}
    assert names == set(PRODIGY_FILES)
    for name, (accepted, rejected) in PRODIGY_FILES.items():
        path = folder / name
        tasks = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        kept = [item for item in tasks if item.get("answer", "accept") == "accept"]
        assert (len(kept), len(tasks) - len(kept)) == (accepted, rejected)
        records, problems = read(path)
        assert problems == []
        assert len(records) == accepted
        for record, source in zip(records, kept, strict=True):
            assert record.text == source["text"]
            assert record.warnings == []
            assert record.external_id == str(source["_input_hash"])
            expected = [(item["text"], item["label"]) for item in source["spans"]]
            found = [
                (record.text[span.start : span.end], span.label)
                for span in record.annotations.spans
            ]
            assert found == expected, name
            offsets = [(item["start"], item["end"]) for item in source["spans"]]
            assert [(span.start, span.end) for span in record.annotations.spans] == offsets
            assert set(record.metadata) == set(source) - {"text", "spans", "tokens", "answer"}
