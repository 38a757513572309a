"""Read plain-text articles: one article per .txt file, in a file, a folder or a zip."""

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from corpus.importers.files import NamedContent, iter_files
from corpus.importers.records import ArticleRecord, Problem


def read_plaintext(paths: list[Path]) -> Iterator[ArticleRecord | Problem]:
    """Yield one record per text file, or a problem saying why a file cannot be read."""
    for named in iter_files(paths, suffixes=(".txt",)):
        yield decode_article(named)


def decode_article(named: NamedContent) -> ArticleRecord | Problem:
    """Decode one file as UTF-8 (a BOM is dropped, CRLF becomes LF)."""
    content = named.content
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(named.name, "the file is UTF-16; save it as UTF-8")
    if b"\x00" in content:
        position = content.index(b"\x00")
        return Problem(named.name, f"NUL byte at byte {position}; not a text file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return Problem(
            named.name,
            f"not valid UTF-8 (byte {exc.start}: {content[exc.start : exc.start + 1]!r});"
            " save it as UTF-8",
            line=line,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Problem(named.name, "the file is empty")
    stem = PurePosixPath(named.name.rsplit(":", 1)[-1]).stem
    return ArticleRecord(text=text, source=named.name, external_id=stem)
