"""Uploaded files of an import job: size-limited, saved under IMPORT_DIR/<job id>/, then removed.

Files keep the name the browser gave them, reduced to a safe base name and made unique,
so problems name them as the user knows them (`news.txt`, `brat.zip:doc1.ann`).
"""

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from config.errors import InvalidInput
from config.middleware import request_body_discard
from formats.files import ImportSource

MAX_NAME_LENGTH = 200
UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def upload_too_large(request: HttpRequest, limit: int) -> bool:
    """Tell from Content-Length alone that a request's files exceed `limit`.

    The form's other fields come on top of the files, up to DATA_UPLOAD_MAX_MEMORY_SIZE;
    a body larger than both together cannot hold files within the limit.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django reads no body of an unreadable length
    return length > limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class UploadLimitHandler(FileUploadHandler):
    """Stop receiving files once their sizes add up to more than UPLOAD_MAX_BYTES.

    Installed before the request body is parsed, it reads the rest of an oversized
    request in fixed-size chunks without storing it (Django's own way, line by line,
    holds a body without newlines in memory) and sets `request.upload_limit_exceeded`,
    so the form can say so; nothing beyond the limit reaches the disk or stays in memory.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        request.upload_limit_exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_limit_exceeded = True
            request_body_discard(self.request)
            raise StopUpload(connection_reset=False)  # nothing is left to read
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers store the file


def upload_name(raw: str) -> str:
    """Return a safe base name for an uploaded file: no folders, no control characters."""
    name = PurePosixPath(raw.replace("\\", "/")).name
    name = UNSAFE_CHARACTERS.sub("_", name).strip(" .")
    return name[-MAX_NAME_LENGTH:] or "upload"


def upload_folder(job_id: int) -> Path:
    return Path(settings.IMPORT_DIR) / str(job_id)


def uploads_save(files: Iterable[UploadedFile], folder: Path) -> list[str]:
    """Write `files` into a new `folder` under unique safe names; return the names."""
    if folder.exists():
        shutil.rmtree(folder)  # left by a job of an earlier database with the same id
    folder.mkdir(parents=True)
    names: list[str] = []
    taken: set[str] = set()
    for upload in files:
        name = _unique(upload_name(upload.name or ""), taken)
        taken.add(name.casefold())
        with (folder / name).open("xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        names.append(name)
    return names


def _unique(name: str, taken: set[str]) -> str:
    path = PurePosixPath(name)
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate = f"{path.stem}-{number}{path.suffix}"
        number += 1
    return candidate


def upload_source(folder: Path) -> ImportSource:
    """Return the files of `folder` as an ImportSource (which refuses unsafe archives).

    Files are named relative to the folder, so neither problems, errors nor documents'
    sources show where the server keeps uploads.
    """
    prefix = f"{folder}{os.sep}"
    try:
        source = ImportSource(sorted(folder.iterdir()))
    except InvalidInput as error:
        raise InvalidInput(error.message.replace(prefix, "")) from error
    source.files = [replace(file, name=file.name.removeprefix(prefix)) for file in source.files]
    return source


def uploads_remove(job_id: int) -> None:
    """Delete a job's uploaded files, if any are left."""
    shutil.rmtree(upload_folder(job_id), ignore_errors=True)
