"""Read CSV and TSV files: one article per row, with the columns the user chose.

The header names the columns. Which column holds the text, id, title, date and url is
taken from `ReadOptions.columns`, or guessed from common names; other columns become
metadata. A row with bytes that are not UTF-8 is reported and skipped, the rest read on.
"""

import csv
import datetime
import sys
from collections.abc import Iterator

from formats.decoding import looks_utf16
from formats.files import ImportSource, InputFile, decoded_lines
from formats.options import CSV_FIELDS, ReadOptions
from formats.records import ArticleRecord, Problem
from formats.sniffing import TABLE_SUFFIXES

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

GUESSES = {
    "text": ("text", "body", "content", "article", "story", "full_text"),
    "id": ("id", "external_id", "doc_id", "document_id", "guid", "article_id"),
    "title": ("title", "headline", "heading"),
    "date": ("date", "published", "published_at", "publication_date", "pubdate"),
    "url": ("url", "link", "href", "source_url"),
}
SNIFF_DELIMITERS = ",;\t|"


def read_csv(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield one record per data row of every .csv/.tsv file."""
    for file in source.with_suffix(*TABLE_SUFFIXES):
        yield from _read_table(source, file, options)


def _read_table(
    source: ImportSource, file: InputFile, options: ReadOptions
) -> Iterator[ArticleRecord | Problem]:
    with file.opener() as stream:
        head = stream.read(64 * 1024)
    if not head.strip():
        yield Problem(file.name, "the file is empty")
        return
    if looks_utf16(head):
        yield Problem(file.name, "the file is UTF-16; save it as UTF-8", line=1)
        return
    bad_lines: dict[int, str] = {}
    reader = csv.reader(_csv_lines(source, file, bad_lines), _dialect(file, head))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    columns = _columns(header, options.columns)
    if isinstance(columns, str):
        yield Problem(file.name, columns, line=1)
        return
    previous_end = reader.line_num
    for row in reader:
        start, previous_end = previous_end + 1, reader.line_num
        broken = [line for line in range(start, reader.line_num + 1) if line in bad_lines]
        if broken:
            yield Problem(file.name, bad_lines[broken[0]], line=broken[0])
        elif any(cell.strip() for cell in row):
            yield _record(file.name, start, header, row, columns)


def _csv_lines(source: ImportSource, file: InputFile, bad_lines: dict[int, str]) -> Iterator[str]:
    """Yield text lines for the csv module; note the lines that cannot be read as text."""
    for item in decoded_lines(source, file):
        if isinstance(item, Problem):
            bad_lines[item.line or 0] = f"{item.message}; row skipped"
            yield "\n"
        else:
            yield item[1] + "\n"


def _dialect(file: InputFile, head: bytes) -> type[csv.Dialect]:
    if file.suffix == ".tsv":
        return csv.excel_tab
    sample = head.decode("utf-8", errors="replace")
    try:
        return csv.Sniffer().sniff(sample.split("\n", 20)[0], delimiters=SNIFF_DELIMITERS)
    except csv.Error:
        return csv.excel


def _columns(header: list[str], chosen: dict[str, str]) -> dict[str, int] | str:
    """Return the column index of each field, or a message saying what is missing."""
    lowered = {name.lower(): index for index, name in enumerate(header)}
    columns: dict[str, int] = {}
    for name in CSV_FIELDS:
        if chosen.get(name):
            if chosen[name].lower() not in lowered:
                return (
                    f"there is no column {chosen[name]!r} for the {name};"
                    f" the header has {', '.join(header)}"
                )
            columns[name] = lowered[chosen[name].lower()]
            continue
        for guess in GUESSES[name]:
            if guess in lowered:
                columns[name] = lowered[guess]
                break
    if "text" not in columns:
        return (
            f"no text column: the header has {', '.join(header)};"
            " choose the column that holds the article text"
        )
    return columns


def _record(
    file: str, line: int, header: list[str], row: list[str], columns: dict[str, int]
) -> ArticleRecord | Problem:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    text_index = columns["text"]
    text = row[text_index] if text_index < len(row) else ""
    if not text.strip():
        return Problem(file, f"the row has no text (column {header[text_index]!r})", line=line)
    used = set(columns.values())
    metadata = {
        header[index] if index < len(header) else f"column {index + 1}": value
        for index, value in enumerate(row)
        if index not in used and value != ""
    }
    record = ArticleRecord(
        text=text.replace("\r\n", "\n"),
        source=file,
        line=line,
        external_id=cell("id"),
        title=cell("title"),
        url=cell("url"),
        metadata=metadata,
    )
    if len(row) != len(header):
        record.warn(f"the row has {len(row)} fields, the header {len(header)}")
    date = cell("date")
    if date:
        try:
            record.published = datetime.date.fromisoformat(date[:10])
        except ValueError:
            record.warn(f"date {date!r} is not an ISO date (YYYY-MM-DD); left out")
    return record
