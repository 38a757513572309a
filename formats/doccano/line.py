"""What a doccano JSONL line is made of, for its reader and its writer: its keys and offsets.

doccano counts offsets in UTF-16 code units, as JavaScript does; Goldset counts code points.
"""

import re
from bisect import bisect_left, bisect_right

ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def line_keys(*, text_key: str = "text", label_key: str = "label") -> frozenset[str]:
    """Return the keys a line holds for itself; every other key is the document's metadata.

    An import may name the text and label keys otherwise (`ReadOptions`).
    """
    return frozenset(("id", text_key, label_key, "entities", "relations"))


class Utf16Offsets:
    """Convert one text's offsets between UTF-16 code units and code points, both ways.

    Only characters outside the Basic Multilingual Plane (emoji, many CJK extensions) take two
    units, so a text without any converts for free.
    """

    def __init__(self, text: str) -> None:
        self._astral = [match.start() for match in ASTRAL.finditer(text)]  # in code points
        # Where each astral character starts, in UTF-16 units: its index plus the pairs before.
        self._pairs = [index + count for count, index in enumerate(self._astral)]
        self.length = len(text) + len(self._pairs)

    def code_point(self, unit: int) -> int | None:
        """Return the code-point offset of `unit`, or None when it splits a surrogate pair."""
        if not self._pairs:
            return unit
        before = bisect_right(self._pairs, unit - 2)
        if before < len(self._pairs) and self._pairs[before] == unit - 1:
            return None
        return unit - before

    def unit(self, point: int) -> int:
        """Return the UTF-16 offset of `point`: each astral character before it takes two."""
        return point + bisect_left(self._astral, point)
