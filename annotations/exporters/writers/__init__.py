"""One writer per export format."""

from annotations.exporters.writers.base import Writer
from annotations.exporters.writers.jsonl import JsonlWriter

WRITERS: dict[str, type[Writer]] = {writer.format: writer for writer in (JsonlWriter,)}
