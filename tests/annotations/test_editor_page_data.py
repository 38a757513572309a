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


def test_a_long_articles_page_is_gzipped_with_a_random_file_name_against_breach(
    client, annotator, corpus
):
    text = "Rebels shelled Homs on Monday. " * 8_000  # a page well over 200 KB
    document = DocumentFactory(corpus=corpus, text=text)
    client.force_login(annotator)
    sizes = set()
    for _ in range(4):
        response = client.get(annotate_url(document), HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert response.content[3] & gzip.FNAME  # the random name is in the header
        assert editor_data(gzip.decompress(response.content).decode())["text"] == text
        sizes.add(len(response.content))
    assert len(sizes) > 1  # the name's length varies, so does the response's


def test_editor_data_cannot_close_its_script_element(client, annotator, corpus):
    text = "Zürich said </script><script>alert(1)</script> & <!-- 😀 -->"
    document = DocumentFactory(corpus=corpus, text=text)
    client.force_login(annotator)
    html = client.get(annotate_url(document)).content.decode()
    script = html[html.index('<script id="editor-data"') :]
    script = script[: script.index("</script>")]
    assert "<script>alert" not in script
    assert "<!--" not in script.split(">", 1)[1]
    assert editor_data(html)["text"] == text
