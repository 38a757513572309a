"""An owner uploads a brat zip from the corpus page, a worker imports it, the page follows."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from imports.models import ImportJob
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def brat_zip(testdata, tmp_path):
    """The brat tutorial's news folder (texts, .ann files and confs) as one zip."""
    folder = testdata / "brat-news-tutorial"
    archive = tmp_path / "brat-news-tutorial.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.iterdir()):
            zipped.write(path, f"brat-news-tutorial/{path.name}")
    return archive


def test_owner_uploads_a_brat_zip_and_watches_the_import_finish(
    page: Page, live_server, corpus, owner, brat_zip, settings, tmp_path
):
    settings.IMPORT_DIR = tmp_path / "imports"
    sign_in(page, live_server.url, owner.username, PASSWORD)
    page.get_by_role("link", name=corpus.name).click()
    page.get_by_role("link", name="Import articles").click()
    expect(page.get_by_role("heading", name=f"Import articles into {corpus.name}")).to_be_visible()

    page.get_by_label("Files").set_input_files(brat_zip)
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("status").first).to_contain_text("queued: 1 file(s)")
    expect(page.locator("#import-status")).to_have_text("queued")
    expect(page.locator(".files")).to_contain_text("brat-news-tutorial.zip")
    expect(page.get_by_label("Files read")).to_have_attribute("value", "0")

    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())

    expect(page.locator("#import-status")).to_have_text("done", timeout=20_000)
    job = ImportJob.objects.get()
    assert (job.format_detected, job.created) == ("brat", 13)
    expect(page.locator("#import-created")).to_have_text("13")
    expect(page.locator("#import-layers")).to_have_text(str(job.layers))
    expect(page.locator("#import-warnings")).to_have_text(str(job.warnings))
    expect(page.get_by_label("Files read")).to_have_attribute("value", "100")
    expect(page.locator(".settings")).to_contain_text("read as brat")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download problems (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert rows[0] == ["file", "line", "severity", "message"]
    assert len(rows) == 1 + job.problems.count()

    page.get_by_role("link", name="See the documents").click()
    expect(page.locator("#documents")).to_contain_text("000-introduction")
