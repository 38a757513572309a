"""The format registry: every format once, resolvable, and the README naming exactly its formats."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.errors import InvalidInput
from formats.registry import (
    EXPORT_ORDER,
    FORMATS,
    export_choices,
    export_formats,
    format_get,
    import_choices,
    import_formats,
    reader_for,
    writer_for,
)
from formats.writing import Writer

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_keys(header: str) -> list[str]:
    """Return the backticked key starting each row of the README table under `header`."""
    lines = README.split("\n")
    start = lines.index(header) + 2  # the header and its |---| line
    keys = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        keys.append(re.match(r"\| `([^`]+)`", line).group(1))
    return keys


def command_choices(command: str) -> list[str]:
    """Return the `--format a|b|c` choices of `command` in the README's command-line block."""
    start = f"python manage.py {command} "
    line = next(line for line in README.split("\n") if line.startswith(start))
    return re.search(r"--format ([\w|]+)", line).group(1).split("|")


def test_readme_import_table_names_exactly_the_formats_goldset_reads():
    keys = [format.key for format in import_formats()]
    assert table_keys("| format | what is read |") == keys
    assert command_choices("import_documents") == list(import_choices())


def test_readme_export_table_names_exactly_the_formats_goldset_writes():
    keys = [format.key for format in export_formats()]
    assert table_keys("| format | files | what it holds |") == keys
    assert command_choices("export_corpus") == list(export_choices())
    exporting = README.split("\n## Exporting\n")[1].split("\n## ")[0]
    option = next(line for line in exporting.split("\n") if line.startswith("| `--format` |"))
    assert re.findall(r"`(\w+)`", option.split("|")[2]) == keys


def test_every_format_is_listed_once_and_reads_or_writes():
    keys = [format.key for format in FORMATS]
    assert len(keys) == len(set(keys))
    assert all(format.reader or format.writer for format in FORMATS)
    assert sorted(EXPORT_ORDER) == sorted(format.key for format in FORMATS if format.writer)
    assert all(format.name and format.import_hint for format in import_formats())
    assert all(format.name and format.export_hint for format in export_formats())


def test_choices_keep_their_order():
    # The ImportJob constraint's migration holds this tuple: a new order is a new migration.
    readable = ("txt", "jsonl", "csv", "brat", "doccano", "prodigy", "conll")
    assert import_choices() == ("auto", *readable)
    assert export_choices() == ("spacy", "jsonl", "doccano", "conll", "brat", "dygiepp")


def test_every_reader_and_writer_path_resolves():
    for format in import_formats():
        assert callable(reader_for(format.key))
    for format in export_formats():
        writer = writer_for(format.key)
        assert issubclass(writer, Writer)
        assert writer.format == format.key


def test_unknown_formats_are_refused_naming_the_choices():
    with pytest.raises(InvalidInput, match="Unknown format 'xml': use one of auto, txt, jsonl,"):
        reader_for("xml")
    with pytest.raises(InvalidInput, match="format 'prodigy': use one of spacy, jsonl,"):
        writer_for("prodigy")
    with pytest.raises(KeyError):
        format_get("xml")


@pytest.mark.slow
def test_spacy_is_imported_only_for_the_docbin_writer():
    probe = (
        "import sys; from formats.registry import *;"
        "[reader_for(f.key) for f in import_formats()];"
        "[writer_for(f.key) for f in export_formats() if f.key != 'spacy'];"
        "print('spacy' in sys.modules, end=' '); writer_for('spacy'); print('spacy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout == "False True\n"
