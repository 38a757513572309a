"""A streamed export download: given up midway, it stops cleanly."""

import functools
import gc
import sys

import pytest

from formats.registry import export_choices
from formats.spacy import writer as spacy_writer
from tests.exports.conftest import download_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format", export_choices())
def test_a_download_given_up_after_its_first_bytes_leaves_no_error_behind(
    api, owner, gold, format, monkeypatch
):
    # One document per spaCy file: its first file is sent before the export is done.
    folder = functools.partial(spacy_writer.DocBinFolder, docs_per_file=1)
    monkeypatch.setattr(spacy_writer, "DocBinFolder", folder)
    api.force_authenticate(owner)
    problems = []
    previous, sys.unraisablehook = sys.unraisablehook, problems.append
    try:
        response = api.get(download_url(gold), {"format": format})
        assert next(iter(response.streaming_content)).startswith(b"PK")  # the zip has begun
        response.close()  # as the server does when the client goes away
        del response
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert [str(problem.exc_value) for problem in problems] == []
