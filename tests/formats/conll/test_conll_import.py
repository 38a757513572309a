"""The CoNLL/IOB reader: tag schemes, documents, rebuilt text, bad lines, spaCy's sample files."""

from pathlib import Path

import pytest
from spacy.training import iob_to_biluo, tags_to_entities

from formats.conll.reader import read_conll
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem


def read(path: Path):
    """Return the records and the problems the CoNLL reader finds in `path`."""
    items = list(read_conll(ImportSource([path]), ReadOptions()))
    records = [item for item in items if isinstance(item, ArticleRecord)]
    return records, [item for item in items if isinstance(item, Problem)]


def write(tmp_path: Path, content: str, name: str = "news.conll") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def entities_of(record: ArticleRecord) -> list[tuple[str, str]]:
    return [(record.text[span.start : span.end], span.label) for span in record.annotations.spans]


def tagged(*sentences: str) -> str:
    """Write `word/TAG word/TAG` sentences as token-per-line CoNLL, a blank line after each."""
    return "".join(
        "".join(f"{token.replace('/', ' ')}\n" for token in sentence.split()) + "\n"
        for sentence in sentences
    )


def test_text_is_rebuilt_with_spaces_and_newlines_and_entities_point_into_it(tmp_path):
    path = write(
        tmp_path, tagged("EU/B-ORG rejects/O German/B-MISC call/O", "Peter/B-PER Blackburn/I-PER")
    )
    [record], problems = read(path)
    assert problems == []
    assert record.text == "EU rejects German call\nPeter Blackburn"
    assert entities_of(record) == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]
    assert record.metadata == {"lines": [1, 7], "sentences": [[0, 22], [23, 38]]}
    assert (record.external_id, record.line) == ("news", 1)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # IOB1: I- opens an entity; B- only between two entities of the same type.
        ("I-PER I-PER B-PER O I-LOC", [("w0 w1", "PER"), ("w2", "PER"), ("w4", "LOC")]),
        # An I- after another label opens a new entity.
        ("B-PER I-LOC I-LOC", [("w0", "PER"), ("w1 w2", "LOC")]),
        # IOB2
        ("B-ORG I-ORG O B-ORG", [("w0 w1", "ORG"), ("w3", "ORG")]),
        # BIOES
        ("B-ORG E-ORG S-ORG S-LOC O B-LOC I-LOC E-LOC", [
            ("w0 w1", "ORG"), ("w2", "ORG"), ("w3", "LOC"), ("w5 w6 w7", "LOC"),
        ]),
        # BILOU
        ("U-PER B-GPE L-GPE O", [("w0", "PER"), ("w1 w2", "GPE")]),
        # An I- after an E- starts again; an E- with nothing open is a one-token entity.
        ("B-X E-X I-X E-Y", [("w0 w1", "X"), ("w2", "X"), ("w3", "Y")]),
    ],
)  # fmt: skip
def test_tag_schemes_are_decoded(tmp_path, tags, expected):
    tokens = " ".join(f"w{index}/{tag}" for index, tag in enumerate(tags.split()))
    [record], _ = read(write(tmp_path, tagged(tokens)))
    assert entities_of(record) == expected


def test_an_entity_ends_with_its_sentence(tmp_path):
    [record], _ = read(write(tmp_path, tagged("in/O New/B-GPE York/I-GPE", "City/I-GPE hall/O")))
    assert entities_of(record) == [("New York", "GPE"), ("City", "GPE")]


def test_columns_may_be_tabs_or_spaces_and_the_last_is_the_tag(tmp_path):
    content = "EU\tNNP\tB-NP\tB-ORG\nrejects  VBZ B-VP  O\nBonn NNP I-NP I-LOC\n"
    [record], _ = read(write(tmp_path, content))
    assert record.text == "EU rejects Bonn"
    assert entities_of(record) == [("EU", "ORG"), ("Bonn", "LOC")]
    assert record.warnings == []


def test_invalid_tags_and_lone_words_are_warnings_and_read_as_outside(tmp_path):
    content = "Kofi B-PER\nAnnan\nvisited PER\nHoms B-\nat 1 2 3 4 5 B-TIME\n"
    [record], problems = read(write(tmp_path, content))
    assert problems == []
    assert record.text == "Kofi Annan visited Homs at"
    assert entities_of(record) == [("Kofi", "PER"), ("at", "TIME")]
    assert [(warning.line, warning.severity, warning.message) for warning in record.warnings] == [
        (2, "warning", "'Annan' has no tag; read as O"),
        (3, "warning", "tag 'PER' is not O or B-, I-, E-, S-, L-, U- + label; read as O"),
        (4, "warning", "tag 'B-' is not O or B-, I-, E-, S-, L-, U- + label; read as O"),
        (5, "warning", "7 columns, more than 5; the last is the tag"),
    ]


def test_docstart_lines_separate_documents_numbered_after_the_file(tmp_path):
    content = (
        "-DOCSTART- -X- -X- O\n\nHoms I-LOC\n\n"
        "-DOCSTART- -X- O O\n\nIdlib B-LOC\nfell O\n\n"
        "-DOCSTART-\n\n-DOCSTART-\tO\n\nAleppo B-LOC\n\n\n"
    )
    records, problems = read(write(tmp_path, content, name="ner.iob"))
    assert problems == []
    assert [(record.external_id, record.text, record.line) for record in records] == [
        ("ner-1", "Homs", 3),
        ("ner-2", "Idlib fell", 7),
        ("ner-3", "Aleppo", 14),
    ]
    assert records[1].metadata == {"lines": [7, 8], "sentences": [[0, 10]]}


def test_a_file_with_one_docstart_is_one_document_named_after_the_file(tmp_path):
    [record], _ = read(write(tmp_path, "-DOCSTART- -X- O O\n\nHoms B-LOC\n", name="homs.bio"))
    assert record.external_id == "homs"


def test_sentence_per_line_iob_is_detected_by_its_bars(tmp_path):
    content = "Kofi|NNP|B-PER Annan|NNP|I-PER left|VBD|O\n\nHoms|B-LOC fell|O .|O\n"
    [record], _ = read(write(tmp_path, content, name="sents.iob"))
    assert record.text == "Kofi Annan left\nHoms fell ."
    assert entities_of(record) == [("Kofi Annan", "PER"), ("Homs", "LOC")]
    assert record.metadata["sentences"] == [[0, 15], [16, 27]]


def test_a_line_that_is_not_utf8_is_a_warning_and_left_out(tmp_path):
    path = tmp_path / "latin1.conll"
    path.write_bytes(b"Homs B-LOC\nCaf\xe9 O\nfell O\n")
    [record], problems = read(path)
    assert problems == []
    assert record.text == "Homs fell"
    [warning] = record.warnings
    assert (warning.line, warning.severity) == (2, "warning")
    assert warning.message.startswith("not valid UTF-8")
    assert warning.message.endswith("; line left out")


def test_a_utf16_file_is_one_problem(tmp_path):
    path = tmp_path / "utf16.conll"
    path.write_bytes("Homs\tB-LOC\n".encode("utf-16"))
    records, [problem] = read(path)
    assert records == []
    assert problem.message == "the file is UTF-16; save it as UTF-8"


def test_a_file_without_tokens_is_a_problem(tmp_path):
    records, [problem] = read(write(tmp_path, "-DOCSTART- -X- O O\n\n\n"))
    assert records == []
    assert (problem.severity, problem.message) == ("error", "the file holds no tokens")


def test_documents_are_yielded_as_they_end(tmp_path):
    document = "-DOCSTART- -X- O O\n\n" + tagged("Fighting/O in/O Homs/B-LOC ./O") * 50
    path = write(tmp_path, document * 2000)
    source = ImportSource([path])
    first = next(read_conll(source, ReadOptions()))
    assert first.external_id == "news-1"
    assert source.bytes_read < source.total_bytes / 2


# Real files: spaCy's sample data and doccano's CoNLL sample


def independent_entities(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    """Decode an IOB file with spaCy's own helpers: the rebuilt text and its entities."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if "|" in lines[0]:
        sentences = [[token.split("|") for token in line.split()] for line in lines if line]
    else:
        sentences, current = [], []
        for line in [*lines, ""]:
            if line.strip() and not line.startswith("-DOCSTART-"):
                current.append(line.split())
            elif current:
                sentences.append(current)
                current = []
    text, entities = "", []
    for sentence in sentences:
        words, tags = [token[0] for token in sentence], [token[-1] for token in sentence]
        starts, offset = [], len(text)
        for word in words:
            starts.append(offset)
            offset += len(word) + 1
        for label, first, last in tags_to_entities(iob_to_biluo(tags)):
            entities.append((starts[first], starts[last] + len(words[last]), label))
        text += " ".join(words) + "\n"
    return text.rstrip("\n"), entities


SPACY_FILES = [
    "ner-sent-per-line.iob",
    "ner-token-per-line-conll2003.iob",
    "ner-token-per-line-with-pos.iob",
    "ner-token-per-line.iob",
]


@pytest.mark.parametrize("name", SPACY_FILES)
def test_spacy_example_iob_files_match_spacys_own_decoding(testdata, name):
    path = testdata / "spacy-example-data/ner_example_data" / name
    text, entities = independent_entities(path)
    [record], problems = read(path)
    assert problems == []
    assert record.warnings == []
    assert record.text == text
    found = [(span.start, span.end, span.label) for span in record.annotations.spans]
    assert found == entities
    assert entities_of(record)[:3] == [
        ("Sebastian Thrun", "PERSON"),
        ("Google", "ORG"),
        ("2007", "DATE"),
    ]
    assert len(found) == 7


def test_every_spacy_iob_file_is_covered(testdata):
    folder = testdata / "spacy-example-data/ner_example_data"
    assert sorted(path.name for path in folder.glob("*.iob")) == SPACY_FILES


def test_doccanos_space_separated_conll_sample_is_read(testdata):
    path = testdata / "doccano/import-examples-sequence_labeling/example.txt"
    text, entities = independent_entities(path)
    [record], problems = read(path)
    assert problems == []
    assert (
        record.text == text == "EU rejects German call to boycott British lamb .\nPeter Blackburn"
    )
    assert [(span.start, span.end, span.label) for span in record.annotations.spans] == entities
    assert entities_of(record) == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("British", "MISC"),
        ("Peter Blackburn", "PER"),
    ]
