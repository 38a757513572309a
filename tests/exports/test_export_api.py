"""Export API and page: only owners export; the preview counts what the streamed zip holds."""

import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from annotations.models import Annotation
from formats.registry import export_formats
from tests.exports.conftest import download_url, preview_url
from tests.factories import span_create

pytestmark = pytest.mark.django_db


def test_only_owners_export_members_get_403_outsiders_404(
    api, gold, owner, annotator, reviewer, outsider
):
    for url in (preview_url(gold), download_url(gold), reverse("corpus-export", args=[gold.slug])):
        assert api.get(url).status_code in {302, 401, 403}, url  # signed out
        for user, status in ((outsider, 404), (annotator, 403), (reviewer, 403), (owner, 200)):
            api.force_login(user)
            assert api.get(url).status_code == status, (url, user.username)
        api.logout()


def test_download_answers_any_accept_header_and_errors_in_json(api, gold, owner, annotator):
    api.force_authenticate(annotator)
    response = api.get(download_url(gold), HTTP_ACCEPT="application/zip")
    assert response.status_code == 403
    assert response.json() == {"message": "Only a corpus owner can do this.", "extra": {}}
    api.force_authenticate(owner)
    response = api.get(download_url(gold), {"format": "jsonl"}, HTTP_ACCEPT="application/zip")
    assert (response.status_code, response["Content-Type"]) == (200, "application/zip")


def test_preview_counts_documents_entities_and_events_of_the_gold(api, gold, owner):
    api.force_authenticate(owner)
    report = api.get(preview_url(gold)).json()
    assert report["source"] == "gold"
    assert (report["documents"], report["total_documents"]) == ({"all": 3}, 3)
    assert report["entities"] == {"PER": 3, "GPE": 3}
    assert report["events"] == {"Life.Die": 1}
    assert report["arguments"] == {"Victim": 1, "Place": 1}
    assert (report["warnings_total"], report["warnings"]) == (0, [])
    assert report["files"] == [f"{gold.slug}.jsonl"]


def test_preview_applies_split_and_label_filter_and_reports_an_empty_part(api, gold, owner):
    api.force_authenticate(owner)
    query = {"format": "jsonl", "split": "1,0", "label": ["GPE"]}
    report = api.get(preview_url(gold), query).json()
    assert report["documents"] == {"train": 3}
    assert (report["entities"], report["events"]) == ({"GPE": 3}, {})
    assert report["warning_counts"] == {
        "empty-split": {"count": 1, "meaning": "parts of the split with no documents"}
    }
    assert report["warnings"][0]["message"] == "the dev part has no documents"
    assert report["files"] == ["train.jsonl", "dev.jsonl"]


def test_submitted_source_takes_one_annotators_latest_layer(api, gold, owner, annotator):
    document = gold.documents.get(external_id="annan")
    layer = Annotation.objects.create(
        document=document, kind="annotator", user=annotator, status="submitted"
    )
    span_create(layer, 0, 10, "PER")
    api.force_authenticate(owner)
    query = {"source": "submitted", "annotator": annotator.username}
    report = api.get(preview_url(gold), query).json()
    assert (report["total_documents"], report["entities"]) == (1, {"PER": 1})
    response = api.get(download_url(gold), query)
    expected = f'attachment; filename="{gold.slug}-jsonl-submitted.zip"'
    assert response["Content-Disposition"] == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"format": "xml"}, 'format: "xml" is not one of spacy, jsonl, doccano, conll, brat'),
        ({"split": "0.5,0.2"}, "split: the parts add up to 0.7, not 1."),
        ({"split": "most"}, "split 'most': write fractions such as 0.8,0.1,0.1."),
        ({"status": ["draft", "done"]}, 'status: "done" is not one of draft, submitted'),
        ({"label": "ORG"}, "label: 'ORG' is not an entity or event type of this corpus's schema."),
        ({"annotator": "ana-annotator"}, "annotator: an annotator can only be chosen with source"),
        ({"source": "submitted", "annotator": "nobody"}, "annotator: 'nobody' has not annotated"),
        ({"seed": "x"}, "seed: A valid integer is required."),
        ({"snap": "round"}, 'snap: "round" is not one of none, expand, contract.'),
    ],
)
def test_bad_options_are_a_400_whose_message_names_the_field(api, gold, owner, query, message):
    api.force_authenticate(owner)
    for url in (preview_url(gold), download_url(gold)):
        response = api.get(url, query)
        assert response.status_code == 400, url
        body = response.json()
        assert body["message"].startswith(message), body
        assert set(body["extra"]["fields"]) == {message.split(":")[0].split(" ")[0]}


def test_download_is_a_streamed_zip_of_the_files_and_the_report(api, gold, owner):
    api.force_authenticate(owner)
    query = {"split": "0.5,0.5", "seed": "7"}
    preview = api.get(preview_url(gold), query).json()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(download_url(gold), query)
    assert response.status_code == 200
    assert response.streaming is True
    # Nothing of the export is read before the response starts.
    assert not [query for query in queries if "annotations_annotation" in query["sql"]]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{gold.slug}-jsonl.zip"'

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["train.jsonl", "dev.jsonl", "report.json"]
    report = json.loads(archive.read("report.json"))
    assert report == preview
    ids = {
        part: [json.loads(line)["id"] for line in archive.read(f"{part}.jsonl").splitlines()]
        for part in ("train", "dev")
    }
    assert sorted(ids["train"] + ids["dev"]) == ["annan", "homs", "left"]
    assert {part: len(ids[part]) for part in ids} == report["documents"]


def test_export_page_is_a_form_that_downloads_without_javascript(client, gold, owner):
    client.force_login(owner)
    corpus_page = client.get(gold.get_absolute_url()).content.decode()
    export_page = reverse("corpus-export", args=[gold.slug])
    assert f'href="{export_page}">Export</a>' in corpus_page
    page = client.get(export_page).content.decode()
    assert f'method="get" action="{download_url(gold)}"' in page
    assert f'data-preview-url="{preview_url(gold)}"' in page
    assert '<option value="ana-annotator">by ana-annotator (0)</option>' in page
    assert "each document's gold layer: 3 documents" in page
    for name in ("format", "source", "split", "seed", "snap", "status", "label"):
        assert f'name="{name}"' in page
    assert 'value="Life.Die"' in page


def test_export_page_offers_every_format_of_the_registry_with_its_name_and_hint(
    client, gold, owner
):
    client.force_login(owner)
    page = client.get(reverse("corpus-export", args=[gold.slug])).content.decode()
    values = re.findall(r'name="format" value="([^"]+)"', page)
    assert values == [format.key for format in export_formats()]
    assert 'name="format" value="jsonl" checked' in page
    for format in export_formats():
        assert f"<strong>{escape(format.name)}</strong>" in page
        assert escape(format.export_hint) in page


def test_before_review_the_page_chooses_the_submitted_layers(client, corpus, owner, annotator):
    """Annotators have corrected documents but nobody adjudicated: export what they submitted."""
    client.force_login(owner)
    export_page = reverse("corpus-export", args=[corpus.slug])
    assert 'value="gold" checked' in client.get(export_page).content.decode()
    document = corpus.documents.create(text="Ann died.", sha256="x" * 64)
    layer = Annotation.objects.create(
        document=document, kind="annotator", user=annotator, status="submitted"
    )
    span_create(layer, 0, 3, "PER")
    page = client.get(export_page).content.decode()
    assert 'value="submitted" id="export-source-submitted" checked' in page
    assert "No gold layers yet" in page


def test_corpus_page_shows_export_only_to_owners(client, gold, annotator):
    client.force_login(annotator)
    assert (
        reverse("corpus-export", args=[gold.slug])
        not in client.get(gold.get_absolute_url()).content.decode()
    )


def test_openapi_schema_documents_both_export_endpoints(api, owner):
    api.force_authenticate(owner)
    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/corpora/{slug}/export/preview/" in schema
    assert "/api/corpora/{slug}/export/:" in schema
    assert "corpora_export_preview" in schema
