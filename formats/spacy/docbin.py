"""A `.spacy` file written one Doc at a time, byte for byte what `DocBin.to_bytes()` gives.

A `DocBin` holds every document's token arrays until `to_bytes()`, so its memory grows
with the corpus. `DocBinFile` keeps each part of the msgpack map (token rows, spaces,
lengths, cats, flags, span groups, user data) in its own temporary file on disk and holds
only the set of strings, which grows with the vocabulary, not with the documents. At the
end it writes the map, `{"version", "attrs", "tokens", "spaces", "lengths", "strings",
"cats", "flags", "span_groups", "user_data"}`, through zlib in chunks
(`spacy/tokens/_serialize.py`, spaCy 3.8).
"""

import struct
import tempfile
import zlib
from collections.abc import Callable
from functools import cache
from typing import BinaryIO

import numpy
import srsly
from spacy.tokens import Doc, DocBin

CHUNK = 1024 * 1024


@cache
def msgpack_encoders_fixed() -> None:
    """Make srsly look up its msgpack encoders once per process instead of at every dumps.

    `srsly.msgpack_dumps` asks catalogue for the encoders each time, and catalogue scans its
    whole registry and every installed package's entry points: about 1 ms a call, and a
    Doc takes several calls (user data, span groups), more than the rest of its export.
    The encoders do not change while a process runs, so the first answer is kept.
    """
    registry = srsly.msgpack.msgpack_encoders
    encoders = registry.get_all()
    registry.get_all = lambda: encoders


# Parts of the map as raw bytes (one msgpack `bin`) or as one msgpack value per document
# (one msgpack `array`), in the order `DocBin.to_bytes()` writes them.
BINARY_PARTS = ("tokens", "spaces", "lengths")
LISTED_PARTS = ("cats", "flags", "span_groups", "user_data")


class DocBinFile:
    """Collect Docs on disk and write them as a `DocBin(store_user_data=True)` would."""

    def __init__(self) -> None:
        msgpack_encoders_fixed()
        self.attrs = DocBin().attrs
        self.strings: set[str] = set()
        self.count = 0
        # The files outlive any `with` block: they are open from the first add() to close().
        self._parts = {
            name: tempfile.TemporaryFile()  # noqa: SIM115
            for name in (*BINARY_PARTS, *LISTED_PARTS)
        }

    def add(self, doc: Doc) -> None:
        """Append `doc`; nothing of it stays in memory but its new strings."""
        # A one-document DocBin reads the Doc exactly as the real one would.
        single = DocBin(attrs=self.attrs, store_user_data=True, docs=[doc])
        tokens = single.tokens[0]
        self._parts["tokens"].write(tokens.tobytes("C"))
        self._parts["spaces"].write(single.spaces[0].tobytes("C"))
        self._parts["lengths"].write(numpy.asarray([len(tokens)], dtype="int32").tobytes("C"))
        self._parts["cats"].write(srsly.msgpack_dumps(single.cats[0]))
        self._parts["flags"].write(srsly.msgpack_dumps(single.flags[0]))
        self._parts["span_groups"].write(srsly.msgpack_dumps(single.span_groups[0]))
        self._parts["user_data"].write(srsly.msgpack_dumps(single.user_data[0]))
        self.strings.update(single.strings)
        self.count += 1

    def write_to(self, stream: BinaryIO) -> None:
        """Write the compressed file to `stream`, a chunk at a time."""
        compressor = zlib.compressobj()

        def put(data: bytes) -> None:
            stream.write(compressor.compress(data))

        put(_map_header(len(BINARY_PARTS) + len(LISTED_PARTS) + 3))  # + version, attrs, strings
        put(srsly.msgpack_dumps("version") + srsly.msgpack_dumps(DocBin().version))
        put(srsly.msgpack_dumps("attrs") + srsly.msgpack_dumps(self.attrs))
        for name in BINARY_PARTS:
            part = self._parts[name]
            put(srsly.msgpack_dumps(name) + _bin_header(part.tell(), name))
            self._copy(part, put)
        put(srsly.msgpack_dumps("strings") + _array_header(len(self.strings)))
        for string in sorted(self.strings):
            put(srsly.msgpack_dumps(string))
        for name in LISTED_PARTS:
            put(srsly.msgpack_dumps(name) + _array_header(self.count))
            self._copy(self._parts[name], put)
        stream.write(compressor.flush())

    def close(self) -> None:
        """Delete the temporary files."""
        for part in self._parts.values():
            part.close()

    @staticmethod
    def _copy(part: BinaryIO, put: Callable[[bytes], None]) -> None:
        part.seek(0)
        while chunk := part.read(CHUNK):
            put(chunk)


def _map_header(size: int) -> bytes:
    return bytes([0x80 | size])  # a fixmap: the map has at most 15 keys


def _array_header(size: int) -> bytes:
    if size < 16:
        return bytes([0x90 | size])
    if size < 2**16:
        return b"\xdc" + struct.pack(">H", size)
    return b"\xdd" + struct.pack(">I", size)


def _bin_header(size: int, name: str) -> bytes:
    if size < 2**8:
        return b"\xc4" + struct.pack(">B", size)
    if size < 2**16:
        return b"\xc5" + struct.pack(">H", size)
    if size < 2**32:
        return b"\xc6" + struct.pack(">I", size)
    # msgpack cannot hold more; DocBin.to_bytes() fails here too.
    raise ValueError(f"the {name} of this part are {size:,} bytes, over msgpack's 4 GiB")
