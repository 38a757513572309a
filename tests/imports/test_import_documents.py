"""`import_documents` reads plain-text files, folders and zips, skips duplicates, reports errors."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from corpus.models import Corpus, Document

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_documents", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_folder_import_creates_corpus_and_documents(tmp_path):
    (tmp_path / "a.txt").write_text("First article about Homs.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Second article about Idlib.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    output = run("news", str(tmp_path))
    corpus = Corpus.objects.get(slug="news")
    assert corpus.schema.key == "ace2005"
    assert sorted(corpus.documents.values_list("external_id", flat=True)) == ["a", "b"]
    assert "2 new, 0 duplicate, 0 failed" in output


def test_importing_the_same_files_again_adds_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    run("news", str(tmp_path))
    (tmp_path / "copy.txt").write_text("An article.", encoding="utf-8")
    output = run("news", str(tmp_path))
    assert Document.objects.count() == 1
    assert "0 new, 2 duplicate, 0 failed" in output


def test_zip_archive_is_imported(tmp_path):
    archive = tmp_path / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("one.txt", "One.")
        zipped.writestr("dir/two.txt", "Two.")
    run("news", str(archive))
    assert Document.objects.count() == 2


def test_zip_with_a_path_outside_the_archive_is_refused_before_writing(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("ok.txt", "Fine.")
        zipped.writestr("../escape.txt", "Bad.")
    with pytest.raises(CommandError, match=r"unsafe member path '\.\./escape\.txt'"):
        run("news", str(archive))
    assert Document.objects.count() == 0


def test_bad_files_are_reported_and_the_rest_imported(tmp_path):
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in Aleppo.".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "utf16.txt").write_bytes("Hello".encode("utf-16"))
    (tmp_path / "binary.txt").write_bytes(b"GIF89a\x00\x01")
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 record"):
        call_command("import_documents", "news", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert Document.objects.get().text == "A good article."
    report = err.getvalue()
    assert "empty.txt: the file is empty" in report
    assert "utf16.txt: the file is UTF-16; save it as UTF-8" in report
    assert "latin1.txt, line 1: not valid UTF-8" in report
    assert "binary.txt, line 1: NUL byte at byte 6" in report


def test_problem_report_names_file_and_line(tmp_path):
    (tmp_path / "latin1.txt").write_bytes(b"Line one.\nCaf\xe9.")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_documents", "news", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert f"{tmp_path.name}/latin1.txt, line 2: not valid UTF-8" in err.getvalue()


def test_bom_and_crlf_are_normalised(tmp_path):
    (tmp_path / "win.txt").write_bytes("\ufeffLine one.\r\nLine two.".encode())
    run("news", str(tmp_path))
    assert Document.objects.get().text == "Line one.\nLine two."


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run("news", str(tmp_path / "nope"))
