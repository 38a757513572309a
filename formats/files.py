"""The files of an import (files, folders, zip archives), checked before anything is read.

`ImportSource` lists every file up front, refusing unsafe archives, and counts the bytes
readers consume, so progress can be shown as a fraction of the total.
"""

import io
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from config.errors import InvalidInput
from formats.decoding import DecodeError, decode_text, looks_utf16
from formats.records import Problem

MAX_ARCHIVE_MEMBERS = 100_000
MAX_COMPRESSION_RATIO = 200
MAX_MEMBER_BYTES = 2 * 1024 * 1024 * 1024
SMALL_MEMBER_BYTES = 1024 * 1024
BUFFER_BYTES = 1024 * 1024
HEAD_BYTES = 200  # enough to tell UTF-16 from UTF-8


@dataclass(frozen=True)
class InputFile:
    """One file to read: its report name (`dir/a.txt`, `x.zip:a.txt`), size and opener."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.rsplit(":", 1)[-1]).suffix.lower()

    @property
    def stem(self) -> str:
        """The name without folder and suffix: `news/000-intro.txt` → `000-intro`."""
        return PurePosixPath(self.name.rsplit(":", 1)[-1]).stem

    @property
    def base(self) -> str:
        """The name without suffix, to pair files such as `a.txt` and `a.ann`."""
        return self.name[: len(self.name) - len(self.suffix)] if self.suffix else self.name


class ImportSource:
    """Every file under the given paths, with a running count of the bytes read."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = list(paths)
        self.bytes_read = 0
        self.files: list[InputFile] = []
        self._archives: list[zipfile.ZipFile] = []
        for path in self.paths:
            self.files.extend(self._list(path))
        self.total_bytes = sum(file.size for file in self.files)

    def close(self) -> None:
        for archive in self._archives:
            archive.close()

    def __enter__(self) -> "ImportSource":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def with_suffix(self, *suffixes: str) -> list[InputFile]:
        """Return the files whose suffix is one of `suffixes` (lower case, with the dot)."""
        return [file for file in self.files if file.suffix in suffixes]

    def open(self, file: InputFile) -> BinaryIO:
        """Open `file` for reading; what is read from it counts towards `bytes_read`."""
        return _CountingReader(file.opener(), self)

    def read_bytes(self, file: InputFile) -> bytes:
        with self.open(file) as stream:
            return stream.read()

    def _list(self, path: Path) -> Iterator[InputFile]:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_symlink():
                    raise InvalidInput(f"{child}: symbolic links are not followed")
                if child.is_file():
                    yield _disk_file(child, str(child.relative_to(path.parent)))
        elif path.is_file() and path.suffix.lower() == ".zip":
            yield from self._list_zip(path)
        elif path.is_file():
            yield _disk_file(path, str(path))
        else:
            raise InvalidInput(f"{path}: no such file or folder", extra={"file": str(path)})

    def _list_zip(self, path: Path) -> Iterator[InputFile]:
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise InvalidInput(f"{path}: not a valid zip archive ({exc})") from exc
        self._archives.append(archive)
        for member in archive_check(archive, name=str(path)):
            yield InputFile(
                f"{path.name}:{member.filename}",
                member.file_size,
                lambda member=member: archive.open(member),
            )


def _disk_file(path: Path, name: str) -> InputFile:
    return InputFile(name, path.stat().st_size, lambda: path.open("rb"))


def archive_check(archive: zipfile.ZipFile, *, name: str) -> list[zipfile.ZipInfo]:
    """Refuse archives with unsafe paths, links, too many members or bomb-like ratios."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InvalidInput(f"{name}: {len(members)} members, more than {MAX_ARCHIVE_MEMBERS}")
    for info in members:
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InvalidInput(f"{name}: unsafe member path {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InvalidInput(f"{name}: member {info.filename!r} is a symbolic link")
        if info.file_size > MAX_MEMBER_BYTES:
            raise InvalidInput(f"{name}: member {info.filename!r} is larger than allowed")
        if info.file_size > SMALL_MEMBER_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise InvalidInput(
                f"{name}: member {info.filename!r} has a suspicious compression ratio"
                f" ({info.file_size} bytes from {info.compress_size})"
            )
    return members


class _CountingReader(io.RawIOBase):
    """A read-only stream that adds what it reads to the source's `bytes_read`."""

    def __init__(self, raw: BinaryIO, source: ImportSource) -> None:
        self._raw = raw
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._source.bytes_read += len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def decoded_lines(source: ImportSource, file: InputFile) -> Iterator[tuple[int, str] | Problem]:
    """Yield `(line number, text without line end)` per line, streaming, or a Problem.

    A line that is not UTF-8 is an error Problem with its line number, and the next line is
    read; a UTF-16 file is one Problem without a line number, and nothing else.
    """
    with io.BufferedReader(source.open(file), buffer_size=BUFFER_BYTES) as stream:
        if looks_utf16(stream.peek(HEAD_BYTES)[:HEAD_BYTES]):
            yield Problem(file.name, "the file is UTF-16; save it as UTF-8")
            return
        for number, raw in enumerate(stream, start=1):
            try:
                yield number, decode_text(raw.rstrip(b"\r\n"), first_line=number)
            except DecodeError as exc:
                yield Problem(file.name, exc.message, number)
