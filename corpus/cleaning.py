"""Strip news-site boilerplate from article text: id lines, photo captions, site trailers.

Only whole lines at the top or bottom of an article are removed, so the text that stays is
exactly a slice of what the file held (non-breaking spaces included): `start` says where it
begins, so offsets into the original shift by a constant. What is removed is kept.
"""

import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_RULES = {"id_line": True, "captions": True, "trailers": True}
RULE_HELP = {
    "id_line": "A first line that is only an id (such as 1.992211-557874215) becomes the id.",
    "captions": "Leading photo-caption lines ending in “Image Credit: …” are moved out.",
    "trailers": "Trailing site lines starting “More In: …” are moved out.",
}

ID_LINE = re.compile(r"[0-9][0-9A-Za-z._:\-]{3,63}")
CAPTION_LINE = re.compile(r".*\bImage Credit:\s*\S.*")
TRAILER_LINE = re.compile(r"More In:\s*\S.*")
EDGE_WHITESPACE = " \t\r\n"  # not str.strip(): that would eat non-breaking spaces


@dataclass
class CleanedArticle:
    """Article text after cleaning: `text == original[start:start + len(text)]`."""

    text: str
    start: int = 0
    external_id: str = ""
    removed: dict[str, Any] = field(default_factory=dict)


def clean_article(text: str, rules: dict[str, bool] | None = None) -> CleanedArticle:
    """Apply the boilerplate rules (DEFAULT_RULES overridden by `rules`) to one article."""
    rules = {**DEFAULT_RULES, **(rules or {})}
    lines = _Lines(text)
    result = CleanedArticle(text="")
    if rules["id_line"] and lines and ID_LINE.fullmatch(lines.first.strip()):
        result.external_id = lines.pop_first().strip()
    if rules["captions"]:
        captions = []
        while lines and _is_caption(lines.first):
            captions.append(lines.pop_first().strip())
        if captions:
            result.removed["captions"] = captions
    if rules["trailers"]:
        trailers = []
        while lines and _is_trailer(lines.last):
            trailers.insert(0, lines.pop_last().strip())
        if trailers:
            result.removed["trailers"] = trailers
    result.start, end = lines.bounds()
    result.text = text[result.start : end]
    return result


def _is_caption(line: str) -> bool:
    return "Image Credit:" in line and CAPTION_LINE.fullmatch(line.strip()) is not None


def _is_trailer(line: str) -> bool:
    return "More In:" in line and TRAILER_LINE.fullmatch(line.strip()) is not None


class _Lines:
    """The lines of `text[head:tail]`, read from either end only as far as needed.

    Blank lines at either end are always dropped; nothing in the middle is ever split.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.head, self.tail = 0, len(text)
        self._drop_blank_edges()

    def __bool__(self) -> bool:
        return self.head < self.tail

    @property
    def first(self) -> str:
        return self.text[self.head : self._first_end()]

    @property
    def last(self) -> str:
        return self.text[self._last_start() : self.tail]

    def pop_first(self) -> str:
        line, end = self.first, self._first_end()
        self.head = min(end + 1, self.tail)
        self._drop_blank_edges()
        return line

    def pop_last(self) -> str:
        line, start = self.last, self._last_start()
        self.tail = max(start - 1, self.head)
        self._drop_blank_edges()
        return line

    def bounds(self) -> tuple[int, int]:
        """Return `(start, end)` of the remaining lines, edge whitespace left out."""
        if not self:
            return 0, 0
        kept = self.text[self.head : self.tail]
        start = self.head + len(kept) - len(kept.lstrip(EDGE_WHITESPACE))
        end = self.tail - (len(kept) - len(kept.rstrip(EDGE_WHITESPACE)))
        return start, max(start, end)

    def _first_end(self) -> int:
        end = self.text.find("\n", self.head, self.tail)
        return self.tail if end < 0 else end

    def _last_start(self) -> int:
        return self.text.rfind("\n", self.head, self.tail) + 1 or self.head

    def _drop_blank_edges(self) -> None:
        while self and not self.first.strip(EDGE_WHITESPACE):
            self.head = min(self._first_end() + 1, self.tail)
        while self and not self.last.strip(EDGE_WHITESPACE):
            self.tail = max(self._last_start() - 1, self.head)
