"""The doccano reader: UTF-16 offsets, bad spans as warnings, relations, doccano's own files.

Also the JSON Lines layer every JSONL reader shares (`formats.jsonlines`).
"""

import json
import math
from pathlib import Path

import pytest

from formats.doccano.line import Utf16Offsets
from formats.doccano.reader import read_doccano
from formats.files import ImportSource
from formats.jsonlines import json_records
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem

FIREMEN = "👨🏻‍🚒 firemen drive firetrucks"


def read(path: Path, options: ReadOptions | None = None):
    """Return the records and the problems doccano's reader finds in `path`."""
    items = list(read_doccano(ImportSource([path]), options or ReadOptions()))
    records = [item for item in items if isinstance(item, ArticleRecord)]
    return records, [item for item in items if isinstance(item, Problem)]


def write_jsonl(tmp_path: Path, *objects, name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    lines = "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects)
    path.write_text(lines, encoding="utf-8")
    return path


def spans_of(record: ArticleRecord) -> list[tuple[int, int, str]]:
    return [(span.start, span.end, span.label) for span in record.annotations.spans]


def texts_of(record: ArticleRecord) -> list[str]:
    return [record.text[span.start : span.end] for span in record.annotations.spans]


# UTF-16 offsets


def test_offsets_after_emoji_are_converted_from_utf16_units(tmp_path):
    path = write_jsonl(tmp_path, {"text": FIREMEN, "label": [[22, 32, "VEHICLE"], [0, 7, "PER"]]})
    [record], problems = read(path)
    assert problems == []
    assert spans_of(record) == [(19, 29, "VEHICLE"), (0, 4, "PER")]
    assert texts_of(record) == ["firetrucks", "👨🏻‍🚒"]


def test_combining_marks_count_the_same_in_utf16_and_code_points(tmp_path):
    text = "Jose\u0301 visited Sa\u0303o Paulo"
    path = write_jsonl(tmp_path, {"text": text, "label": [[0, 5, "PER"], [14, 24, "LOC"]]})
    [record], _ = read(path)
    assert texts_of(record) == ["Jose\u0301", "Sa\u0303o Paulo"]


def test_offset_inside_a_surrogate_pair_is_a_warning_and_the_span_left_out(tmp_path):
    path = write_jsonl(tmp_path, {"text": "🚒 in Homs", "label": [[1, 10, "LOC"], [6, 10, "LOC"]]})
    [record], problems = read(path)
    assert problems == []
    assert texts_of(record) == ["Homs"]
    [warning] = record.warnings
    assert warning.severity == "warning"
    assert str(warning) == (
        f'{path}, line 1: span [1, 10, "LOC"] splits a character outside the BMP'
        " (an emoji?) in the middle; left out"
    )


@pytest.mark.parametrize(
    ("text", "units", "code_points"),
    [
        ("plain ascii", [0, 5, 11], [0, 5, 11]),
        (FIREMEN, [0, 2, 4, 5, 7, 22, 32], [0, 1, 2, 3, 4, 19, 29]),
        ("a😀b😀c", [0, 1, 3, 4, 6, 7], [0, 1, 2, 3, 4, 5]),
        ("a😀b😀c", [2, 5], [None, None]),
    ],
)
def test_utf16_offsets_map_units_to_code_points(text, units, code_points):
    offsets = Utf16Offsets(text)
    assert [offsets.code_point(unit) for unit in units] == code_points
    assert offsets.length == len(text.encode("utf-16-le")) // 2


def test_utf16_offsets_map_code_points_back_to_units_for_the_writer():
    text = "a😀b😀c"
    offsets = Utf16Offsets(text)
    assert [offsets.unit(point) for point in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [offsets.code_point(offsets.unit(point)) for point in range(len(text) + 1)] == list(
        range(len(text) + 1)
    )


# Spans and records


def test_each_bad_span_is_a_warning_naming_line_and_span_and_the_rest_is_kept(tmp_path):
    text = "Kofi Annan arrived in Damascus."
    labels = [
        [0, 10, "PER"],
        [-1, 4, "PER"],
        [5, 5, "PER"],
        [8, 3, "PER"],
        [0, 99, "PER"],
        [0.5, 4, "PER"],
        ["0", "4", "PER"],
        [22, 30, ""],
        "Damascus",
        {"start_offset": 22, "end_offset": 30, "label": "LOC"},
    ]
    path = write_jsonl(tmp_path, {"text": "Other."}, {"text": text, "label": labels})
    records, problems = read(path)
    assert problems == []
    assert spans_of(records[1]) == [(0, 10, "PER"), (22, 30, "LOC")]
    assert [str(warning).split(": ", 1)[1] for warning in records[1].warnings] == [
        'span [-1, 4, "PER"] has a negative offset; left out',
        'span [5, 5, "PER"] does not start before it ends; left out',
        'span [8, 3, "PER"] does not start before it ends; left out',
        'span [0, 99, "PER"] ends past the text (31 UTF-16 units); left out',
        'span [0.5, 4, "PER"] has offsets that are not whole numbers; left out',
        'span ["0", "4", "PER"] has offsets that are not whole numbers; left out',
        'span [22, 30, ""] has no label; left out',
        'span "Damascus" is not [start, end, label] or an object; left out',
    ]
    assert {warning.line for warning in records[1].warnings} == {2}


def test_a_record_without_text_is_an_error_and_the_others_are_read(tmp_path):
    path = write_jsonl(
        tmp_path, {"text": "One."}, {"label": [[0, 1, "PER"]]}, {"text": ""}, {"text": "Four."}
    )
    records, problems = read(path)
    assert [record.text for record in records] == ["One.", "Four."]
    assert [record.line for record in records] == [1, 4]
    assert [(problem.line, problem.severity) for problem in problems] == [
        (2, "error"),
        (3, "error"),
    ]
    assert problems[0].message.startswith("the record has no text (key 'text'")


def test_renamed_text_and_label_keys_come_from_the_options(tmp_path):
    path = write_jsonl(tmp_path, {"body": "Homs again.", "tags": [[0, 4, "LOC"]], "text": "x"})
    [record], _ = read(path, ReadOptions(text_key="body", label_key="tags"))
    assert record.text == "Homs again."
    assert spans_of(record) == [(0, 4, "LOC")]
    assert record.metadata == {"text": "x"}


def test_export_id_is_the_external_id_and_other_keys_are_metadata(tmp_path):
    exported = {
        "id": 12,
        "text": "EU rejects German call.",
        "label": [[0, 2, "ORG"]],
        "Comments": ["check the label"],
        "meta": {"source": "AP"},
        "wikiPageID": 7,
    }
    [record], _ = read(write_jsonl(tmp_path, exported))
    assert record.external_id == "12"
    assert record.metadata == {
        "doccano_id": 12,
        "Comments": ["check the label"],
        "meta": {"source": "AP"},
        "wikiPageID": 7,
    }


def test_a_record_without_spans_has_empty_annotations(tmp_path):
    [record], _ = read(write_jsonl(tmp_path, {"text": "Nothing here."}))
    assert record.annotations is not None
    assert len(record.annotations) == 0


def test_entities_carry_their_ids_and_relations_refer_to_them(tmp_path):
    text = "Google was founded by Larry Page."
    entities = [
        {"id": 10, "start_offset": 0, "end_offset": 6, "label": "ORG"},
        {"id": 11, "start_offset": 22, "end_offset": 32, "label": "PERSON"},
    ]
    relations = [{"id": 5, "from_id": 10, "to_id": 11, "type": "foundedBy"}]
    path = write_jsonl(tmp_path, {"text": text, "entities": entities, "relations": relations})
    [record], _ = read(path)
    assert [(span.ref, span.label) for span in record.annotations.spans] == [
        ("10", "ORG"),
        ("11", "PERSON"),
    ]
    [relation] = record.annotations.relations
    assert (relation.label, relation.head, relation.tail, relation.ref) == (
        "foundedBy",
        "10",
        "11",
        "5",
    )


def test_relation_to_a_missing_or_dropped_entity_is_a_warning(tmp_path):
    entities = [
        {"id": 1, "start_offset": 0, "end_offset": 6, "label": "ORG"},
        {"id": 2, "start_offset": 50, "end_offset": 60, "label": "PERSON"},
        {"id": 1, "start_offset": 7, "end_offset": 10, "label": "MISC"},
    ]
    relations = [
        {"from_id": 1, "to_id": 9, "type": "foundedBy"},
        {"from_id": 1, "to_id": 2, "type": "foundedBy"},
        {"from_id": 1, "to_id": 1},
    ]
    record_in = {"text": "Google was founded.", "entities": entities, "relations": relations}
    [record], _ = read(write_jsonl(tmp_path, record_in))
    assert [(span.ref, span.label) for span in record.annotations.spans] == [
        ("1", "ORG"),
        ("", "MISC"),
    ]
    assert record.annotations.relations == []
    assert [warning.message for warning in record.warnings] == [
        'span [50, 60, "PERSON"] (entity 2) ends past the text (19 UTF-16 units); left out',
        "entity id 1 appears twice; the second is kept without its id",
        'relation {"from_id": 1, "to_id": 9, "type": "foundedBy"} names entity 9, which is'
        " not in the record; left out",
        'relation {"from_id": 1, "to_id": 2, "type": "foundedBy"} names entity 2, which was'
        " left out; left out",
        'relation {"from_id": 1, "to_id": 1} has no type; left out',
    ]


def test_overlapping_and_duplicate_spans_are_all_kept(tmp_path):
    labels = [[0, 4, "LOC"], [0, 4, "LOC"], [0, 11, "GPE"], [5, 11, "LOC"]]
    [record], _ = read(write_jsonl(tmp_path, {"text": "Homs Governorate", "label": labels}))
    assert spans_of(record) == [(0, 4, "LOC"), (0, 4, "LOC"), (0, 11, "GPE"), (5, 11, "LOC")]


def test_reading_streams_a_large_file(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Fighting continued in Homs. " * 4, "label": [[22, 26, "LOC"]]})
    path.write_text((line + "\n") * 30_000, encoding="utf-8")
    source = ImportSource([path])
    records = read_doccano(source, ReadOptions())
    first = next(records)
    assert first.line == 1
    assert source.bytes_read < source.total_bytes / 2


# The JSON Lines layer


def records_and_problems(path: Path) -> list:
    source = ImportSource([path])
    return [
        item if isinstance(item, tuple) else (item.line, item.severity, item.message)
        for item in json_records(source, source.files[0])
    ]


def test_json_lines_report_each_bad_line_and_read_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"text": "a"}\n'
        b"\n"
        b"{broken\n"
        b'"a string"\n'
        b'{"text": "caf\xe9"}\n'
        b'[{"text": "b"}, 3]\n'
        b'{"text": "c"}\r\n'
    )
    assert records_and_problems(path) == [
        (1, {"text": "a"}),
        (3, "error", "invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (4, "error", "expected a JSON object, found a string"),
        (
            5,
            "error",
            "not valid UTF-8 (byte 13: b'\\xe9'); it looks like Latin-1 or Windows-1252:"
            " save it as UTF-8",
        ),
        (6, {"text": "b"}),
        (6, "error", "item 2 of the array is a number, not a JSON object"),
        (7, {"text": "c"}),
    ]


def test_a_utf16_file_is_one_problem(tmp_path):
    path = tmp_path / "utf16.jsonl"
    path.write_bytes('{"text": "a"}\n{"text": "b"}\n'.encode("utf-16"))
    assert records_and_problems(path) == [(None, "error", "the file is UTF-16; save it as UTF-8")]


def test_a_pretty_printed_array_is_read_whole_with_a_warning(tmp_path):
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps([{"text": "a"}, 5, {"text": "b"}], indent=2), encoding="utf-8")
    assert records_and_problems(path) == [
        (
            1,
            "warning",
            "not JSON Lines: the file is pretty-printed JSON over several lines; read as a whole",
        ),
        (2, {"text": "a"}),
        (5, "error", "expected a JSON object, found a number"),
        (6, {"text": "b"}),
    ]


def test_pretty_printed_objects_one_after_another_are_read(tmp_path):
    path = tmp_path / "jq.json"
    path.write_text('\n{\n "text": "a"\n}\n{\n "text": "b"\n}\n{\n "text": \n', encoding="utf-8")
    assert records_and_problems(path)[1:] == [
        (2, {"text": "a"}),
        (5, {"text": "b"}),
        (9, "error", "invalid JSON: Expecting value (column 10)"),
    ]


# doccano's own files


def expected_doccano(path: Path, options: ReadOptions) -> tuple[list[dict], list[int]]:
    """Decode a doccano file without the reader: the objects with text, and the lines without."""
    content = path.read_text(encoding="utf-8")
    if content.lstrip().startswith("{\n"):
        objects = [(1, json.loads(content))]
    else:
        objects = [(n, json.loads(line)) for n, line in enumerate(content.splitlines(), 1)]
    with_text = [(line, obj) for line, obj in objects if options.text_key in obj]
    return with_text, [line for line, obj in objects if options.text_key not in obj]


def test_every_doccano_jsonl_file_is_read_as_doccano_wrote_it(testdata):
    files = sorted((testdata / "doccano").rglob("*.jsonl"))
    assert len(files) == 7
    for path in files:
        renamed = "column_data" in path.read_text(encoding="utf-8")
        options = ReadOptions(text_key="column_data", label_key="column_label") if renamed else None
        options = options or ReadOptions()
        records, problems = read(path, options)
        expected, missing_text = expected_doccano(path, options)
        errors = [problem for problem in problems if problem.severity == "error"]
        assert [problem.line for problem in errors] == missing_text, path
        assert [record.line for record in records] == [line for line, _ in expected], path
        for record, (_, source) in zip(records, expected, strict=True):
            assert record.text == source[options.text_key]
            assert record.warnings == []
            labels = [tuple(span) for span in source.get(options.label_key, [])]
            entities = [
                (entity["start_offset"], entity["end_offset"], entity["label"])
                for entity in source.get("entities", [])
            ]
            assert spans_of(record) == labels + entities, path
            refs = [str(entity["id"]) for entity in source.get("entities", [])]
            assert [span.ref for span in record.annotations.spans] == [""] * len(labels) + refs
            relations = [
                (relation["type"], str(relation["from_id"]), str(relation["to_id"]))
                for relation in source.get("relations", [])
            ]
            found = [(rel.label, rel.head, rel.tail) for rel in record.annotations.relations]
            assert found == relations, path


def test_doccano_fixture_without_text_on_line_3_is_an_error(testdata):
    records, problems = read(testdata / "doccano/import-tests-sequence_labeling/example.jsonl")
    assert [(record.text, spans_of(record)) for record in records] == [
        ("exampleA", [(0, 1, "LOC")]),
        ("exampleB", []),
    ]
    assert records[0].metadata == {"meta": {"wikiPageID": 1}}
    assert [(problem.line, problem.severity) for problem in problems] == [(3, "error")]


def test_doccano_overlapping_fixture_keeps_both_spans(testdata):
    path = testdata / "doccano/import-tests-sequence_labeling/example_overlapping.jsonl"
    [record], problems = read(path)
    assert problems == []
    assert spans_of(record) == [(0, 1, "LOC"), (0, 1, "LOC")]


def test_doccano_pretty_printed_export_example_is_read_with_a_warning(testdata):
    path = testdata / "doccano/export-examples-relation_extraction/example.jsonl"
    [record], [problem] = read(path)
    assert (problem.line, problem.severity) == (1, "warning")
    assert "not JSON Lines" in problem.message
    assert texts_of(record) == ["Google", "September 4, 1998", "Larry Page", "Sergey Brin"]
    assert [(rel.ref, rel.label, rel.head, rel.tail) for rel in record.annotations.relations] == [
        ("0", "foundedAt", "0", "1"),
        ("1", "foundedBy", "0", "2"),
        ("2", "foundedBy", "0", "3"),
    ]


CONLL_FILES = {
    "import-tests-sequence_labeling/example.conll": (
        "JAPAN GET\nNadim Ladki",
        ["JAPAN", "Nadim Ladki"],
        [],
    ),
    "import-tests-sequence_labeling/labeling.trailing.conll": (
        "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .",
        ["JAPAN", "CHINA"],
        [],
    ),
    "import-tests-sequence_labeling/labeling.invalid.conll": (
        "SOCCERO - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\nNadim Ladki\n"
        "AL-AIN , United Arab Emirates 1996-12-06",
        ["JAPAN", "CHINA", "Nadim Ladki", "AL-AIN", "United Arab Emirates"],
        [1],
    ),
}


@pytest.mark.parametrize("name", sorted(CONLL_FILES))
def test_doccano_conll_files_are_read_as_conll(testdata, name):
    text, entities, warning_lines = CONLL_FILES[name]
    [record], problems = read(testdata / "doccano" / name)
    assert problems == []
    assert record.text == text
    assert texts_of(record) == entities
    assert [warning.line for warning in record.warnings] == warning_lines


def test_every_doccano_file_is_covered(testdata):
    folder = testdata / "doccano"
    names = {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}
    jsonl = {name for name in names if name.endswith(".jsonl")}
    # example.txt (doccano's CoNLL sample, space-separated) is read in test_import_conll.py.
    assert names - jsonl - set(CONLL_FILES) == {"import-examples-sequence_labeling/example.txt"}


def test_json_lines_read_what_python_reads_beyond_strict_json(tmp_path):
    # NaN and integers past 64 bits are not strict JSON; Python reads them, and so does Goldset.
    path = tmp_path / "loose.jsonl"
    path.write_text(
        '{"text": "a", "score": NaN}\n{"text": "b", "id": 123456789012345678901234567890}\n',
        encoding="utf-8",
    )

    first, second = records_and_problems(path)

    assert (first[0], first[1]["text"]) == (1, "a")
    assert math.isnan(first[1]["score"])
    assert second == (2, {"text": "b", "id": 123456789012345678901234567890})
