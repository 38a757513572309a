"""Run an import: read records, clean and deduplicate them, write documents and layers."""

from collections.abc import Callable

from corpus.importers.files import ImportSource
from corpus.importers.records import Problem
from corpus.models import Corpus
from imports.services.summary import ImportOptions, ImportSummary


def import_run(
    *,
    corpus: Corpus,
    source: ImportSource,
    options: ImportOptions,
    on_progress: Callable[[ImportSummary], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> ImportSummary:
    """Import every valid record of `source` into `corpus`; report every bad one.

    `on_progress` is called after every batch and at the end (`source.bytes_read` of
    `source.total_bytes` is the fraction done); `on_problem` with each problem as met.
    """
    raise NotImplementedError
