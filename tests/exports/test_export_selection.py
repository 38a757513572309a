"""Export a selection of the corpus's documents: the corpus page's bulk action, API and command."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from tests.exports.conftest import download_url, preview_url
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_the_preview_and_the_zip_hold_only_the_selected_documents(gold, owner):
    api = APIClient()
    api.force_authenticate(owner)
    report = api.get(preview_url(gold), {"documents": "q=Damascus"}).json()
    assert report["total_documents"] == 2
    assert report["entities"] == {"PER": 2, "GPE": 2}
    homs = gold.documents.get(external_id="homs")
    response = api.get(download_url(gold), {"format": "jsonl", "documents": f"ids={homs.pk}"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    lines = archive.read(f"{gold.slug}.jsonl").decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["homs"]


def test_a_selection_naming_another_corpus_s_document_is_a_400(gold, owner):
    elsewhere = DocumentFactory(text="Elsewhere.")
    api = APIClient()
    api.force_authenticate(owner)
    response = api.get(preview_url(gold), {"documents": f"ids={elsewhere.pk}"})
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"documents: no document {elsewhere.pk}")
    response = api.get(preview_url(gold), {"documents": "shape=round"})
    assert response.status_code == 400
    assert "unknown filter 'shape'" in response.json()["message"]


def test_the_export_page_says_it_exports_a_selection(client, gold, owner):
    client.force_login(owner)
    page = client.get(reverse("corpus-export", args=[gold.slug]), {"documents": "q=Damascus"})
    assert b"Only the <strong>2</strong> documents of the selection" in page.content
    assert b'<input type="hidden" name="documents" value="q=Damascus">' in page.content
    whole = client.get(reverse("corpus-export", args=[gold.slug]))
    assert b"of the selection" not in whole.content


def test_the_command_exports_a_selection(gold, tmp_path):
    out = tmp_path / "out.jsonl"
    call_command(
        "export_corpus", gold.slug, "--format", "jsonl", "--out", str(out),
        "--documents", "q=Homs", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["homs"]
    with pytest.raises(CommandError, match="documents: unknown filter 'x'"):
        call_command(
            "export_corpus", gold.slug, "--out", str(out), "--documents", "x=1",
            stdout=io.StringIO(),
        )  # fmt: skip
