"""Deterministic splits: a document's part depends only on its id and the seed.

Adding documents never moves the ones already there, so a dev set stays a dev set.
"""

import hashlib


def split_of(key: str, *, seed: int, parts: tuple[float, ...], names: tuple[str, ...]) -> str:
    """Return the name of the part `key` falls in, from a hash of the seed and the key."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    bound = 0.0
    for name, part in zip(names, parts, strict=True):
        bound += part
        if point < bound:
            return name
    return names[-1]
