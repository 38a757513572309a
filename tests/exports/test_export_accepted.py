"""Accepted only: an export can leave out the predictions nobody accepted, and says how many."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Annotation, Argument, Event, Span
from exports.options import ExportOptions
from exports.run import export_preview
from tests.factories import event_create, span_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(corpus, annotator):
    """A submitted layer: Kofi Annan (PER, accepted), Damascus (GPE, pending), and a pending
    Life.Die on "arrived" whose Victim is Annan and Place is Damascus; plus an accepted
    Life.Die on "Saturday" (a stand-in trigger) whose Place is pending Damascus."""
    document = corpus.documents.create(
        text="Kofi Annan arrived in Damascus on Saturday.", sha256="a" * 64, external_id="annan"
    )
    layer = Annotation.objects.create(
        document=document, kind="annotator", user=annotator, status="submitted"
    )
    annan = span_create(layer, 0, 10, "PER")
    damascus = span_create(layer, 22, 30, "GPE")
    pending = event_create(layer, 11, 18, "Life.Die", Victim=annan, Place=damascus)
    kept = event_create(layer, 34, 42, "Life.Die", Victim=annan, Place=damascus)
    Span.objects.filter(pk=annan.pk).update(accepted=True)
    Event.objects.filter(pk=kept.pk).update(accepted=True)
    Span.objects.filter(pk=damascus.pk).update(source="model", score=0.9)
    Event.objects.filter(pk=pending.pk).update(source="model", score=0.8)
    return corpus


def test_the_default_export_keeps_every_item(submitted):
    report = export_preview(submitted, ExportOptions(source="submitted"))
    assert (dict(report.entities), dict(report.events)) == ({"PER": 1, "GPE": 1}, {"Life.Die": 2})
    assert "not-accepted" not in report.warning_counts


def test_accepted_only_leaves_out_pending_items_and_what_refers_to_them(submitted):
    report = export_preview(submitted, ExportOptions(source="submitted", accepted_only=True))
    assert (dict(report.entities), dict(report.events)) == ({"PER": 1}, {"Life.Die": 1})
    assert dict(report.arguments) == {"Victim": 1}  # Place was the pending Damascus
    assert report.warning_counts["not-accepted"] == 2
    messages = [warning["message"] for warning in report.warnings]
    assert messages == [
        "entity GPE “Damascus” not accepted: left out",
        "event Life.Die “arrived” not accepted: left out with its 2 arguments",
    ]
    assert report.warnings[0]["document"] == "annan"
    assert Argument.objects.count() == 4  # the export changes nothing stored


def test_the_api_takes_accepted_only_and_the_page_offers_it(client, api_owner, submitted):
    url = reverse("api-corpus-export-preview", kwargs={"slug": submitted.slug})
    query = {"source": "submitted", "accepted_only": "true"}
    report = api_owner.get(url, query).json()
    assert report["warning_counts"]["not-accepted"] == {
        "count": 2,
        "meaning": "predictions nobody accepted, left out (accepted only)",
    }
    assert report["entities"] == {"PER": 1}
    assert api_owner.get(url, {"source": "submitted"}).json()["entities"] == {"PER": 1, "GPE": 1}
    assert api_owner.get(url, {"accepted_only": "maybe"}).status_code == 400
    page = api_owner.get(reverse("corpus-export", args=[submitted.slug])).content.decode()
    assert 'name="accepted_only" value="true"' in page


def test_the_command_takes_accepted_only(submitted, tmp_path):
    out = io.StringIO()
    path = tmp_path / "accepted.jsonl"
    call_command(
        "export_corpus", submitted.slug, "--source", "submitted", "--accepted-only",
        "--out", str(path), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "warning: 2 predictions nobody accepted, left out (accepted only)" in out.getvalue()
    [record] = [json.loads(line) for line in path.read_text().splitlines()]
    assert [entity["label"] for entity in record["entities"]] == ["PER"]
    assert all(entity["accepted"] for entity in record["entities"])


@pytest.fixture
def api_owner(owner):
    api = APIClient()
    api.force_login(owner)
    return api
