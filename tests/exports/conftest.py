"""Fixtures of the export tests: three articles imported as gold, and the API's URLs."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

ARTICLES = [
    {
        "id": "annan",
        "text": "Kofi Annan arrived in Damascus on Saturday.",
        "entities": [
            {"id": "T1", "start": 0, "end": 10, "label": "PER"},
            {"id": "T2", "start": 22, "end": 30, "label": "GPE"},
        ],
    },
    {
        "id": "homs",
        "text": "A soldier died in Homs.",
        "entities": [
            {"id": "T1", "start": 2, "end": 9, "label": "PER"},
            {"id": "T2", "start": 18, "end": 22, "label": "GPE"},
        ],
        "events": [
            {
                "id": "E1",
                "type": "Life.Die",
                "trigger": {"start": 10, "end": 14},
                "arguments": [{"role": "Victim", "ref": "T1"}, {"role": "Place", "ref": "T2"}],
            }
        ],
    },
    {
        "id": "left",
        "text": "Annan left Damascus.",
        "entities": [
            {"id": "T1", "start": 0, "end": 5, "label": "PER"},
            {"id": "T2", "start": 11, "end": 19, "label": "GPE"},
        ],
    },
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def gold(corpus, owner, tmp_path):
    """Three articles imported as gold: 3 PER, 3 GPE and one Life.Die event."""
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(article) + "\n" for article in ARTICLES), "utf-8")
    call_command(
        "import_documents", corpus.slug, str(path), "--as", "gold", "--user", owner.username,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return corpus


def preview_url(corpus) -> str:
    return reverse("api-corpus-export-preview", kwargs={"slug": corpus.slug})


def download_url(corpus) -> str:
    return reverse("api-corpus-export", kwargs={"slug": corpus.slug})
