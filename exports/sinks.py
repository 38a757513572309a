"""Where an export's files go: one file, a folder, a zip (a path or a stream), or nowhere.

A zip written to a stream is written in order, entry after entry, so a download can send
each piece as soon as it is ready.
"""

import io
import zipfile
from pathlib import Path
from typing import BinaryIO


class Sink:
    """Opens the export's files by name (`train.spacy`, `dev/AFP-1.ann`, ...), one at a time."""

    single = False

    def open(self, name: str) -> BinaryIO:
        raise NotImplementedError

    def close(self) -> None:
        """Finish writing (a zip writes its directory)."""


class FileSink(Sink):
    """Everything goes to one file: formats with a single file and no split."""

    single = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = False

    def open(self, name: str) -> BinaryIO:
        if self.opened:
            raise ValueError(f"{self.path} is one file; {name} needs a folder or a .zip")
        self.opened = True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.open("wb")


class DirectorySink(Sink):
    def __init__(self, root: Path) -> None:
        self.root = root

    def open(self, name: str) -> BinaryIO:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("wb")


class ZipSink(Sink):
    def __init__(self, target: Path | BinaryIO) -> None:
        self.archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self._member: BinaryIO | None = None  # a zip is written one file at a time

    def open(self, name: str) -> BinaryIO:
        self._member = self.archive.open(name, "w", force_zip64=True)
        return self._member

    def close(self) -> None:
        self.archive.close()

    def abandon(self) -> None:
        """Close the file being written and the zip, for an export nobody will read (a
        download given up): left to the garbage collector, they wrote to a stream it had
        already closed, and every such download logged a traceback."""
        if self._member is not None:
            self._member.close()
        self.archive.close()


class NullSink(Sink):
    """Discards what is written: a dry run that only fills the report."""

    def open(self, name: str) -> BinaryIO:
        return _Discard()


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


class ChunkBuffer(io.RawIOBase):
    """A write-only stream whose contents are taken away in chunks (for a streamed response)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks = []
        self.size = 0
        return data
