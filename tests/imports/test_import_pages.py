"""Import pages: only owners upload; uploads are size-limited and checked before they are queued."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from formats.registry import import_formats
from imports.forms import ImportForm
from imports.models import ImportJob, ImportProblem
from imports.services.mapping import label_map_parse
from imports.uploads import upload_name

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARTICLE = b"Kofi Annan arrived in Damascus on Saturday.\n"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


def upload(name: str, content: bytes = ARTICLE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def form_data(**overrides) -> dict:
    data = {
        "format": "auto",
        "layer": "prediction",
        "label_map": "",
        "rule_id_line": "on",
        "rule_captions": "on",
        "rule_trailers": "on",
    }
    return {**data, **overrides}


def import_url(corpus) -> str:
    return reverse("corpus-import", args=[corpus.slug])


def finished_job(corpus, owner, **fields) -> ImportJob:
    values = {
        "status": "done",
        "format": "jsonl",
        "format_detected": "jsonl",
        "file_names": ["news.jsonl"],
        "total_bytes": 400,
        "bytes_read": 400,
        "created": 2,
        "duplicates": 1,
        "failed": 1,
        "warnings": 1,
        "options": {"layer": "prediction", "label_map": {"Person": "PER"}, "cleaning": {}},
        "finished_at": timezone.now(),
    }
    return ImportJob.objects.create(corpus=corpus, created_by=owner, **{**values, **fields})


def test_owner_sees_the_form_with_the_corpus_boilerplate_rules(client, owner, corpus):
    corpus.cleaning = {"rules": {"captions": False}}
    corpus.save()
    client.force_login(owner)
    response = client.get(import_url(corpus))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file" name="files"' in page
    assert "multiple" in page
    assert 'accept=".txt,.zip,.jsonl,.json,.csv,.tsv,.ann,.conf,.conll,.iob,.bio"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "csrfmiddlewaretoken" in page
    form = response.context["form"]
    assert form["rule_id_line"].initial is True
    assert form["rule_captions"].initial is False
    assert form["rule_trailers"].initial is True
    assert "Image Credit" in page  # the rules are explained
    assert "brat standoff" in page  # and the formats


def test_the_format_choices_are_auto_then_every_readable_format_with_its_hint(owner, corpus):
    choices = ImportForm(corpus=corpus).fields["format"].choices
    assert choices[0] == ("auto", "auto: detect from the files' names and contents")
    assert choices[1:] == [
        (format.key, f"{format.key}: {format.import_hint}") for format in import_formats()
    ]


def test_only_owners_reach_imports(client, owner, annotator, reviewer, outsider, corpus):
    job = finished_job(corpus, owner)
    urls = [
        import_url(corpus),
        job.get_absolute_url(),
        reverse("import-job-problems", args=[corpus.slug, job.pk]),
        reverse("api-import-job-detail", args=[job.pk]),
    ]
    for user, status in [(outsider, 404), (annotator, 403), (reviewer, 403), (owner, 200)]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status] * 4, user
    client.force_login(annotator)
    response = client.post(import_url(corpus), {**form_data(), "files": [upload("a.txt")]})
    assert response.status_code == 403
    assert not ImportJob.objects.exclude(pk=job.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_refuses_them(client, owner, corpus):
    job = finished_job(corpus, owner)
    response = client.get(import_url(corpus))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    api = client.get(reverse("api-import-job-detail", args=[job.pk]))
    assert api.status_code in {401, 403}
    assert "message" in api.json()


def test_a_job_of_another_corpus_is_404_even_for_its_owner(client, owner, corpus):
    from tests.factories import CorpusFactory

    other = CorpusFactory()
    job = finished_job(corpus, owner)
    client.force_login(owner)
    url = reverse("import-job-detail", args=[other.slug, job.pk])
    assert client.get(url).status_code == 404


def test_upload_saves_the_files_queues_the_job_and_shows_its_status(
    client, owner, corpus, import_dir, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            import_url(corpus),
            {
                **form_data(
                    label_map="Person=PER\n# a comment\n\nOrganization = ORG", add_labels="on"
                ),
                "rule_captions": "",
                "column_text": "body",
                "files": [upload("first.txt"), upload("first.txt", b"Another article.\n")],
            },
        )
        assert not DBTaskResult.objects.exists()  # not before the job is committed
    assert len(queued) == 1
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert (job.status, job.created_by, job.format, job.format_detected) == (
        "queued", owner, "auto", "txt",
    )  # fmt: skip
    assert job.file_names == ["first.txt", "first-2.txt"]
    assert sorted(path.name for path in (import_dir / str(job.pk)).iterdir()) == sorted(
        job.file_names
    )
    assert job.total_bytes == len(ARTICLE) + len(b"Another article.\n")
    assert job.options == {
        "layer": "prediction",
        "label_map": {"Person": "PER", "Organization": "ORG"},
        "add_labels": True,
        "columns": {"text": "body"},
        "cleaning": {"id_line": True, "captions": False, "trailers": True},
    }
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}

    page = client.get(response.url).content.decode()
    assert "Import 1 queued: 2 file(s)." in page.replace(f"Import {job.pk} ", "Import 1 ")
    assert "first-2.txt" in page
    assert 'id="import-status" class="status status-queued">queued' in page
    assert "waiting for a worker" in page
    assert f'data-status-url="{reverse("api-import-job-detail", args=[job.pk])}"' in page


def test_files_larger_than_the_limit_in_total_are_refused_before_saving(
    client, owner, corpus, settings, import_dir
):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(owner)
    files = [upload("a.txt", b"x" * 60), upload("b.txt", b"y" * 60)]
    response = client.post(import_url(corpus), {**form_data(), "files": files})
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "The files add up to more than the upload limit of 100\xa0bytes."
        " Upload fewer at a time, or import them with manage.py import_documents."
    ]
    assert not ImportJob.objects.exists()
    assert not import_dir.exists()


def test_the_form_checks_the_total_size_too(owner, corpus, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    files = {"files": [upload("a.txt", b"x" * 1500), upload("b.txt", b"y" * 1500)]}
    form = ImportForm(form_data(), files, corpus=corpus)
    assert not form.is_valid()
    assert "upload limit of 2.0\xa0KB" in form.errors["files"][0]


def test_an_unsafe_zip_is_refused_and_nothing_is_kept(
    client, owner, corpus, import_dir, django_capture_on_commit_callbacks
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("news/a.txt", "A fine article.")
        zipped.writestr("../../evil.txt", "Out of the folder.")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(corpus), {**form_data(), "files": [upload("news.zip", archive.getvalue())]}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "news.zip: unsafe member path '../../evil.txt'"
    ]  # the server's folder is not shown
    assert not ImportJob.objects.exists()
    assert list(import_dir.iterdir()) == []
    assert not DBTaskResult.objects.exists()
    assert corpus.documents.count() == 0


def test_a_file_that_is_not_a_zip_is_refused_on_the_form(client, owner, corpus):
    client.force_login(owner)
    response = client.post(
        import_url(corpus), {**form_data(), "files": [upload("news.zip", b"not a zip")]}
    )
    [error] = response.context["form"].errors["files"]
    assert error.startswith("news.zip: not a valid zip archive")
    assert not ImportJob.objects.exists()


def test_files_of_no_known_format_are_refused_on_the_form(client, owner, corpus):
    client.force_login(owner)
    response = client.post(import_url(corpus), {**form_data(), "files": [upload("notes.md")]})
    assert response.context["form"].errors["files"] == [
        "Not a file Goldset imports: notes.md. Use .txt .zip .jsonl .json .csv .tsv .ann .conf"
        " .conll .iob .bio files."
    ]
    response = client.post(import_url(corpus), {**form_data(), "files": [upload("visual.conf")]})
    assert "Cannot tell the format" in response.context["form"].errors["files"][0]
    assert not ImportJob.objects.exists()


def test_label_mapping_errors_name_every_bad_line(client, owner, corpus):
    client.force_login(owner)
    label_map = "Person=PER\nnot a mapping\n=ORG\nPerson=ORG\nA=B=C"
    response = client.post(
        import_url(corpus), {**form_data(label_map=label_map), "files": [upload("a.txt")]}
    )
    assert response.context["form"].errors["label_map"] == [
        "Line 2: “not a mapping” is not SOURCE=TARGET.",
        "Line 3: “=ORG” is not SOURCE=TARGET.",
        "Line 4: Person is already mapped to PER on line 1.",
        "Line 5: “A=B=C” is not SOURCE=TARGET.",
    ]
    assert "Line 2: “not a mapping” is not SOURCE=TARGET." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_label_mapping_ignores_blank_lines_comments_and_spaces():
    text = "# brat to ACE\n\n  Person = PER \nGeo-political entity=GPE\nPerson=PER\n"
    assert label_map_parse(text) == {"Person": "PER", "Geo-political entity": "GPE"}


def test_uploaded_names_are_reduced_to_safe_base_names():
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name("C:\\Users\\ana\\news.txt") == "news.txt"
    assert upload_name("..") == "upload"
    assert upload_name(".hidden.txt") == "hidden.txt"
    assert upload_name("a:b\x00.txt") == "a_b_.txt"
    assert upload_name("x" * 300 + ".txt") == "x" * 196 + ".txt"


def test_too_many_files_at_once_is_a_form_error_not_a_crash(client, owner, corpus, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(owner)
    files = [upload(f"{n}.txt") for n in range(3)]
    response = client.post(import_url(corpus), {**form_data(), "files": files})
    assert response.status_code == 200
    assert "upload them as one zip archive" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused(owner, corpus):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(import_url(corpus), {**form_data(), "files": [upload("a.txt")]})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_status_page_shows_progress_counts_settings_and_problems(
    client, owner, corpus, django_assert_max_num_queries
):
    job = finished_job(corpus, owner, status="running", bytes_read=100, finished_at=None)
    ImportProblem.objects.create(job=job, file="news.jsonl", line=2, message="not JSON")
    ImportProblem.objects.create(
        job=job, file="news.jsonl", line=3, severity="warning", message="label Foo unknown"
    )
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        response = client.get(job.get_absolute_url())
    page = response.content.decode()
    assert '<progress id="import-bar" max="100" value="25">' in page
    assert '<label for="import-bar">Files read: <span id="import-percent">25</span> %' in page
    for name, value in [("created", 2), ("duplicates", 1), ("failed", 1), ("layers", 0)]:
        assert f'<dd id="import-{name}">{value}</dd>' in page
    assert "<code>Person=PER</code>" in page
    assert "predictions to correct" in page
    assert '<td>news.jsonl</td><td class="num">2</td><td>error</td><td>not JSON</td>' in page
    assert "label Foo unknown" in page
    assert reverse("import-job-problems", args=[corpus.slug, job.pk]) in page
    assert f'href="{corpus.get_absolute_url()}#documents"' in page


def test_status_page_shows_the_first_500_problems_and_says_so(client, owner, corpus):
    job = finished_job(corpus, owner)
    ImportProblem.objects.bulk_create(
        ImportProblem(job=job, file="big.csv", line=n, message="no text") for n in range(1, 502)
    )
    client.force_login(owner)
    response = client.get(job.get_absolute_url())
    assert len(response.context["problems"]) == 500
    assert "the first 500 are shown below; the CSV has all 501" in response.content.decode()


def test_a_failed_job_shows_why(client, owner, corpus):
    job = finished_job(corpus, owner, status="failed", message="news.zip: unsafe member path")
    client.force_login(owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="alert">news.zip: unsafe member path</p>' in page


def test_problems_download_as_csv_for_spreadsheets(client, owner, corpus):
    job = finished_job(corpus, owner)
    ImportProblem.objects.create(job=job, file="news.jsonl", line=2, message='bad "quote", comma')
    ImportProblem.objects.create(job=job, file="a.txt", message="=HYPERLINK(1)", severity="warning")
    client.force_login(owner)
    response = client.get(reverse("import-job-problems", args=[corpus.slug, job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{corpus.slug}-import-{job.pk}-problems.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["file", "line", "severity", "message"],
        ["news.jsonl", "2", "error", 'bad "quote", comma'],
        ["a.txt", "", "warning", "'=HYPERLINK(1)"],
    ]


def test_the_api_reports_status_counts_and_bytes(client, owner, corpus, django_assert_num_queries):
    job = finished_job(corpus, owner, status="running", bytes_read=100, finished_at=None)
    ImportProblem.objects.create(job=job, file="news.jsonl", line=2, message="not JSON")
    client.force_login(owner)
    url = reverse("api-import-job-detail", args=[job.pk])
    with django_assert_num_queries(4):  # session, user, job with its problem count, roles
        body = client.get(url).json()
    assert {key: body[key] for key in ["status", "finished", "bytes_read", "total_bytes"]} == {
        "status": "running", "finished": False, "bytes_read": 100, "total_bytes": 400,
    }  # fmt: skip
    assert (body["created"], body["duplicates"], body["failed"], body["warnings"]) == (2, 1, 1, 1)
    assert (body["problems_count"], body["percent_read"], body["message"]) == (1, 25, "")
    assert body["corpus"] == corpus.slug


def test_import_page_lists_recent_imports(client, owner, corpus, django_assert_num_queries):
    job = finished_job(corpus, owner, file_names=["news.jsonl", "more.jsonl"])
    for _ in range(3):
        finished_job(corpus, owner)
    client.force_login(owner)
    with django_assert_num_queries(5):  # session, user, corpus, roles, jobs with their users
        page = client.get(import_url(corpus)).content.decode()
    assert f'<a href="{job.get_absolute_url()}">Import {job.pk}</a>' in page
    assert "news.jsonl, more.jsonl" in page
    assert '<span class="status status-done">done</span>' in page


def test_corpus_page_offers_import_to_owners_only(client, owner, annotator, corpus):
    link = f'href="{import_url(corpus)}">Import articles</a>'
    client.force_login(owner)
    assert link in client.get(corpus.get_absolute_url()).content.decode()
    client.force_login(annotator)
    assert link not in client.get(corpus.get_absolute_url()).content.decode()


def test_a_brat_folder_can_be_uploaded_as_its_files(client, owner, corpus, testdata):
    folder = testdata / "brat-news-tutorial"
    names = ["000-introduction.txt", "000-introduction.ann", "annotation.conf"]
    files = [upload(name, (folder / name).read_bytes()) for name in names]
    names.append("empty.ann")
    files.append(upload("empty.ann", b""))  # an article without annotations
    client.force_login(owner)
    response = client.post(import_url(corpus), {**form_data(), "files": files})
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.format_detected, job.file_names) == ("brat", names)
