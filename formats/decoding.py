"""Turn file bytes into text, or say clearly why they are not UTF-8 text."""

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


class DecodeError(ValueError):
    """Bytes that are not UTF-8 text; `line` is where the first bad byte is (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def looks_utf16(head: bytes) -> bool:
    """Whether the first bytes of a file say UTF-16: a BOM, or NULs between ASCII bytes."""
    if head.startswith(UTF16_BOMS):
        return True
    sample = head[:200]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)


def decode_text(content: bytes, *, first_line: int = 1) -> str:
    """Decode UTF-8 (a leading BOM dropped, CRLF and CR made LF); raise DecodeError otherwise.

    `first_line` is the line number of the first byte, for content taken from a file's middle.
    """
    if first_line == 1 and looks_utf16(content):
        raise DecodeError("the file is UTF-16; save it as UTF-8")
    if b"\x00" in content:
        position = content.index(b"\x00")
        line = first_line + content[:position].count(b"\n")
        raise DecodeError(f"NUL byte at byte {position}; not a text file", line)
    try:
        text = content.decode("utf-8-sig" if first_line == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + content[: exc.start].count(b"\n")
        raise DecodeError(_not_utf8(content, exc), line) from exc
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _not_utf8(content: bytes, exc: UnicodeDecodeError) -> str:
    bad = content[exc.start : exc.start + 1]
    message = f"not valid UTF-8 (byte {exc.start}: {bad!r})"
    try:
        content.decode("cp1252")
    except UnicodeDecodeError:
        return f"{message}; save it as UTF-8"
    return f"{message}; it looks like Latin-1 or Windows-1252: save it as UTF-8"
