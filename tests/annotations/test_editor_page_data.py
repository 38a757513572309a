"""The editor's data: fetched by the page (which preloads it), sent compressed, tokens as flat
offset arrays, and only to whoever may see the layer."""

import gzip
import json

import pytest
from django.urls import reverse

from annotations.models import Annotation
from corpus.models import Membership
from corpus.services.schema_edit import label_rename
from tests.editor_page import editor_data, editor_page
from tests.factories import DocumentFactory, UserFactory, prediction_create

pytestmark = pytest.mark.django_db


def annotate_url(document) -> str:
    return reverse("document-annotate", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def test_the_page_is_small_and_preloads_the_editors_data(client, annotator, document):
    client.force_login(annotator)
    response = client.get(annotate_url(document))
    layer = Annotation.objects.get(document=document, user=annotator)
    data_url = f"/annotations/{layer.pk}/editor-data/"
    assert editor_page(response)["urls"]["data"] == data_url
    html = response.content.decode()
    # `crossorigin`: the editor's plain fetch() (CORS mode, same-origin credentials) uses it.
    assert f'<link rel="preload" href="{data_url}" as="fetch" crossorigin>' in html
    assert document.text not in html


def test_editor_data_is_sent_gzipped_to_a_browser_that_accepts_it(client, annotator, corpus):
    text = "Rebels shelled Homs on Monday. " * 8_000  # well over 200 KB of data
    document = DocumentFactory(corpus=corpus, text=text)
    client.force_login(annotator)
    data_url = editor_page(client.get(annotate_url(document)))["urls"]["data"]
    sizes = set()
    for _ in range(4):
        response = client.get(data_url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert response.content[3] & gzip.FNAME  # a random file name against BREACH
        assert json.loads(gzip.decompress(response.content))["text"] == text
        sizes.add(len(response.content))
    assert len(sizes) > 1  # the name's length varies, so does the answer's
    plain = client.get(data_url)
    assert not plain.has_header("Content-Encoding")
    assert plain.json()["text"] == text


def test_tokens_and_sentences_are_flat_offsets_of_the_documents_pairs(client, annotator, corpus):
    text = "Rebels shelled Homs. 😀 Then they left."
    tokens = [[0, 6], [7, 14], [15, 19], [19, 20], [21, 22], [23, 27], [28, 32], [33, 37], [37, 38]]
    document = DocumentFactory(
        corpus=corpus, text=text, tokens=tokens, sentences=[[0, 20], [21, 38]]
    )
    client.force_login(annotator)
    data = editor_data(client, client.get(annotate_url(document)))
    assert data["tokens"] == [offset for pair in tokens for offset in pair]
    assert [data["tokens"][i : i + 2] for i in range(0, len(data["tokens"]), 2)] == tokens
    assert data["sentences"] == [0, 20, 21, 38]
    api = client.get(f"/api/corpora/{corpus.slug}/documents/{document.pk}/").json()
    assert api["tokens"] == tokens  # the API keeps its documented pairs


def test_the_text_comes_back_exactly_whatever_it_holds(client, annotator, corpus):
    text = "Zürich said </script><script>alert(1)</script> & <!-- 😀 --> \u2028 end"
    document = DocumentFactory(corpus=corpus, text=text)
    client.force_login(annotator)
    response = client.get(annotate_url(document))
    assert "<script>alert" not in response.content.decode()
    assert editor_data(client, response)["text"] == text


def test_the_first_open_copies_the_predictions_and_the_data_holds_the_copy(
    client, annotator, document
):
    prediction_create(document)
    client.force_login(annotator)
    data = editor_data(client, client.get(annotate_url(document)))
    layer = Annotation.objects.get(document=document, user=annotator)
    assert (data["layer"]["id"], data["layer"]["version"]) == (layer.pk, layer.version)
    assert sorted(span["id"] for span in data["layer"]["spans"]) == sorted(
        layer.spans.values_list("pk", flat=True)
    )


def test_another_annotators_layer_is_not_found(client, annotator, document):
    client.force_login(annotator)
    data_url = editor_page(client.get(annotate_url(document)))["urls"]["data"]
    other = UserFactory(username="olga-other-annotator")
    Membership.objects.create(corpus=document.corpus, user=other, role=Membership.Role.ANNOTATOR)
    client.force_login(other)  # blind to a layer that is not theirs
    response = client.get(data_url)
    assert response.status_code == 404
    assert response.json()["message"] == f"No annotation layer {data_url.split('/')[2]}."


def test_signed_out_the_data_sends_to_the_sign_in_page(client, annotator, document):
    client.force_login(annotator)
    data_url = editor_page(client.get(annotate_url(document)))["urls"]["data"]
    client.logout()
    response = client.get(data_url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_schema_edit_reaches_the_next_open_of_the_editor(client, owner, annotator, document):
    client.force_login(annotator)
    before = editor_data(client, client.get(annotate_url(document)))["schema"]["entityTypes"]
    assert "PER" in before
    label_rename(corpus=document.corpus, actor=owner, kind="entity", key="PER", new_key="PERSON")
    response = client.get(annotate_url(document))
    after = editor_data(client, response)["schema"]["entityTypes"]
    assert "PERSON" in after
    assert "PER" not in after
    assert 'data-label="PERSON"' in response.content.decode()  # the palette too
