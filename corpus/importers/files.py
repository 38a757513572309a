"""Walk import paths (files, folders, zip archives) safely, yielding named byte contents."""

import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from corpus.errors import InvalidInput

MAX_ARCHIVE_MEMBERS = 100_000
MAX_COMPRESSION_RATIO = 200
MAX_MEMBER_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class NamedContent:
    """The bytes of one file, with the name to report it by."""

    name: str
    content: bytes


def iter_files(paths: list[Path], *, suffixes: tuple[str, ...]) -> Iterator[NamedContent]:
    """Yield every file with one of `suffixes` under `paths`, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes:
                    yield NamedContent(str(child.relative_to(path.parent)), child.read_bytes())
        elif path.suffix.lower() == ".zip":
            yield from iter_zip(path, suffixes=suffixes)
        elif path.is_file():
            yield NamedContent(str(path), path.read_bytes())
        else:
            raise InvalidInput(f"{path}: no such file or folder", extra={"file": str(path)})


def iter_zip(path: Path, *, suffixes: tuple[str, ...]) -> Iterator[NamedContent]:
    """Yield the matching members of a zip archive after checking the whole archive."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{path}: not a valid zip archive ({exc})") from exc
    with archive:
        members = archive_check(archive, name=str(path))
        for member in members:
            if PurePosixPath(member.filename).suffix.lower() in suffixes:
                yield NamedContent(f"{path}:{member.filename}", archive.read(member))


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
        if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise InvalidInput(
                f"{name}: member {info.filename!r} has a suspicious compression ratio"
            )
    return members
