"""Strip news-site boilerplate from article text: id lines, photo captions, site trailers.

Only whole lines at the top or bottom of an article are removed, so the text that stays is
byte-for-byte what the file held (non-breaking spaces included). What is removed is kept.
"""

import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_RULES = {"id_line": True, "captions": True, "trailers": True}

ID_LINE = re.compile(r"[0-9][0-9A-Za-z._:\-]{3,63}")
CAPTION_LINE = re.compile(r".*\bImage Credit:\s*\S.*")
TRAILER_LINE = re.compile(r"More In:\s*\S.*")
EDGE_WHITESPACE = " \t\r\n"  # not str.strip(): that would eat non-breaking spaces


@dataclass
class CleanedArticle:
    """Article text after cleaning, with what the rules took out."""

    text: str
    external_id: str = ""
    removed: dict[str, Any] = field(default_factory=dict)


def clean_article(text: str, rules: dict[str, bool] | None = None) -> CleanedArticle:
    """Apply the boilerplate rules (DEFAULT_RULES overridden by `rules`) to one article."""
    rules = {**DEFAULT_RULES, **(rules or {})}
    lines = text.split("\n")
    result = CleanedArticle(text="")
    _drop_blank_edges(lines)
    if rules["id_line"] and lines and ID_LINE.fullmatch(lines[0].strip()):
        result.external_id = lines.pop(0).strip()
        _drop_blank_edges(lines)
    if rules["captions"]:
        captions = []
        while lines and CAPTION_LINE.fullmatch(lines[0].strip()):
            captions.append(lines.pop(0).strip())
            _drop_blank_edges(lines)
        if captions:
            result.removed["captions"] = captions
    if rules["trailers"]:
        trailers = []
        while lines and TRAILER_LINE.fullmatch(lines[-1].strip()):
            trailers.insert(0, lines.pop().strip())
            _drop_blank_edges(lines)
        if trailers:
            result.removed["trailers"] = trailers
    result.text = "\n".join(lines).strip(EDGE_WHITESPACE)
    return result


def _drop_blank_edges(lines: list[str]) -> None:
    while lines and not lines[0].strip(EDGE_WHITESPACE):
        lines.pop(0)
    while lines and not lines[-1].strip(EDGE_WHITESPACE):
        lines.pop()
