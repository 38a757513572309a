"""Read plain-text articles: one article per .txt file, in a file, a folder or a zip."""

from collections.abc import Iterator

from formats.decoding import DecodeError, decode_text
from formats.files import ImportSource, InputFile
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem


def read_plaintext(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield one record per text file, or a problem saying why a file cannot be read."""
    for file in source.with_suffix(".txt"):
        yield article_from_file(file, source.read_bytes(file))


def article_from_file(file: InputFile, content: bytes) -> ArticleRecord | Problem:
    """Decode one file as an article, named by its file stem."""
    try:
        text = decode_text(content)
    except DecodeError as exc:
        return Problem(file.name, exc.message, line=exc.line)
    if not text.strip():
        return Problem(file.name, "the file is empty")
    return ArticleRecord(text=text, source=file.name, external_id=file.stem)
