"""The editor page's data for long articles: sent compressed, tokens as flat offset arrays."""

import gzip
import json

import pytest
from django.urls import reverse

from tests.factories import DocumentFactory, prediction_create

pytestmark = pytest.mark.django_db


def annotate_url(document) -> str:
    return reverse("document-annotate", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def editor_data(html: str) -> dict:
    start = html.index('<script id="editor-data" type="application/json">')
    return json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])


def test_editor_page_is_sent_gzipped_to_a_browser_that_accepts_it(client, annotator, document):
    prediction_create(document)
    client.force_login(annotator)
    response = client.get(annotate_url(document), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert editor_data(html)["text"] == document.text


def test_editor_page_is_sent_plain_to_a_client_that_does_not(client, annotator, document):
    client.force_login(annotator)
    response = client.get(annotate_url(document))
    assert not response.has_header("Content-Encoding")
    assert editor_data(response.content.decode())["text"] == document.text


def test_page_tokens_and_sentences_are_flat_offsets_of_the_documents_pairs(
    client, annotator, corpus
):
    text = "Rebels shelled Homs. 😀 Then they left."
    tokens = [[0, 6], [7, 14], [15, 19], [19, 20], [21, 22], [23, 27], [28, 32], [33, 37], [37, 38]]
    document = DocumentFactory(
        corpus=corpus, text=text, tokens=tokens, sentences=[[0, 20], [21, 38]]
    )
    client.force_login(annotator)
    data = editor_data(client.get(annotate_url(document)).content.decode())
    assert data["tokens"] == [offset for pair in tokens for offset in pair]
    assert [data["tokens"][i : i + 2] for i in range(0, len(data["tokens"]), 2)] == tokens
    assert data["sentences"] == [0, 20, 21, 38]
    api = client.get(f"/api/corpora/{corpus.slug}/documents/{document.pk}/").json()
    assert api["tokens"] == tokens  # the API keeps its documented pairs
