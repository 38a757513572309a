"""Pages: the annotation editor for one document, and the way to the next document to do.

The editor page is also the gold editor's (`review.gold_editor`): see `editor_context`.
"""

import gzip
import re
import secrets
from itertools import chain
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from annotations.layer_json import layer_content_json
from annotations.models import Annotation
from annotations.queue import corpus_require_annotating, document_next_for_annotator
from annotations.selectors import layer_get_for_user
from annotations.services.layers import annotator_layer_open
from config.error_views import api_error
from config.errors import GoldsetError
from config.renderers import JSONRenderer
from corpus.guidelines import guidelines_html
from corpus.models import Document
from corpus.selectors import (
    corpus_get_for_user,
    document_get_for_user,
    schema_editor_spec_kept,
    schema_stamp,
)

EDITOR_ANNOTATE = "annotate"  # the user's own layer, finished by submit or skip
EDITOR_GOLD = "gold"  # the document's gold layer, for its owners and reviewers


def document_annotate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open the user's own layer of a document in the editor (a copy of the predictions).

    Opening a draft layer holds the document for the user (see `annotations.queue`).
    """
    document = document_get_for_user(user=request.user, slug=slug, pk=pk, tokens=False)
    layer, created = annotator_layer_open(document=document, user=request.user)
    if created:
        layer_content_json(layer)  # the copy's items, kept for the editor's data that follows
    urls = {
        "submit": reverse("api-layer-submit", kwargs={"pk": layer.pk}),
        "skip": reverse("api-layer-skip", kwargs={"pk": layer.pk}),
    }
    context = editor_context(document=document, layer=layer, mode=EDITOR_ANNOTATE, urls=urls)
    return page_gzipped(request, render(request, "goldset/document_annotate.html", context))


def editor_context(
    *, document: Document, layer: Annotation, mode: str, urls: dict[str, str]
) -> dict[str, Any]:
    """Return the context of the editor page (`goldset/document_annotate.html`) for `layer`.

    `mode` is `EDITOR_ANNOTATE` (the user's own layer, finished with submit or skip: `urls`
    has "submit" and "skip") or `EDITOR_GOLD` (the document's gold layer, saved as it is
    edited: `urls` has "back", the page to return to, and "review", the document's merged
    candidates for the Review panel). Either way the editor saves through
    the layer's API (`PATCH /api/annotations/{id}/`).

    The page itself is small: the palettes, and `editor_page` (the mode and the URLs) as a
    JSON script. What the editor edits comes from `layer_editor_data` (`urls.data`), which
    the page's head preloads: inside the HTML, the 440 KB of a 10,000-token article's data
    cost Chromium's HTML parser about 45 ms, where JSON.parse reads them in 3 ms.
    """
    if mode not in (EDITOR_ANNOTATE, EDITOR_GOLD):
        raise ValueError(f"No editor mode {mode!r}.")
    corpus = document.corpus
    page_urls = {
        "data": reverse("layer-editor-data", kwargs={"pk": layer.pk}),
        "layer": reverse("api-layer-detail", kwargs={"pk": layer.pk}),
        "corpus": corpus.get_absolute_url(),
        "comments": reverse(
            "api-document-comments", kwargs={"slug": corpus.slug, "pk": document.pk}
        ),
        "comment": reverse("api-comment-detail", kwargs={"pk": 0}),  # the id put in by JS
        **urls,
    }
    return {
        "document": document,
        "corpus": corpus,
        "layer": layer,
        "mode": mode,
        "urls": page_urls,
        "guidelines": guidelines_html(corpus.guidelines),
        "schema": schema_editor_spec_kept(corpus),
        "editor_page": {"mode": mode, "urls": page_urls},
    }


def layer_editor_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer what the editor edits in layer `pk`, as JSON: the document's text, tokens and
    sentences, the layer's content with its id and version, and the schema's editor spec.

    Tokens and sentences are flat arrays of offsets ([start0, end0, start1, end1, ...]: a
    tenth less to send and far fewer objects for the browser to build than pairs; the
    document API keeps its pairs). The layer's items are the JSON kept per version
    (`annotations.layer_json`), as `GET /api/annotations/{id}/` sends them. Whoever may see
    the layer may read this (the editor page of an annotator's own layer, or of the gold);
    problems are answered as the API's, `{"message": ...}` with a 4xx status.
    """
    try:
        layer = layer_get_for_user(user=request.user, pk=pk)
    except GoldsetError as error:
        return api_error(error.message, error.status, error.extra)
    text, tokens, sentences = Document.objects.values_list("text", "tokens", "sentences").get(
        pk=layer.document_id
    )
    layer.schema_stamp = stamp = schema_stamp(layer.document.corpus)  # for both keys below
    data = {
        "text": text,
        "tokens": list(chain.from_iterable(tokens or [])),
        "sentences": list(chain.from_iterable(sentences or [])),
        "layer": {"id": layer.pk, "version": layer.version, **layer_content_json(layer)},
        "schema": schema_editor_spec_kept(layer.document.corpus, stamp=stamp),
    }
    response = HttpResponse(JSONRenderer().render(data), content_type="application/json")
    response.headers["Cache-Control"] = "private, no-cache"
    return page_gzipped(request, response)


GZIP_ACCEPTED = re.compile(r"\bgzip\b")
GZIP_MIN_BYTES = 200_000
GZIP_PADDING_BYTES = 100  # as GZipMiddleware: a random length against BREACH


def page_gzipped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Compress a large page at level 1 instead of GZipMiddleware's 6, which passes it by.

    The 200,000-character article's page is 3.5 MB of HTML: level 6 takes about 65 ms of the
    server's first byte, level 1 about 15 ms for a quarter more bytes. Like the middleware,
    the gzip header carries a random file name of random length, against BREACH.
    """
    accepts = GZIP_ACCEPTED.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if not accepts or response.streaming or len(response.content) < GZIP_MIN_BYTES:
        return response
    compressed = gzip.compress(response.content, compresslevel=1, mtime=0)
    name = secrets.token_hex(secrets.randbelow(GZIP_PADDING_BYTES // 2) + 1).encode()
    header = bytearray(compressed[:10])
    header[3] |= gzip.FNAME
    response.content = bytes(header) + name + b"\x00" + compressed[10:]
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ("Accept-Encoding",))
    if (etag := response.get("ETag", "")).startswith('"'):  # made weak, as by the middleware
        response.headers["ETag"] = "W/" + etag
    return response


def corpus_annotate_next(request: HttpRequest, slug: str) -> HttpResponse:
    """Reserve the next document the user has still to annotate and go there, or to the corpus.

    A document the user already holds comes first: "Start annotating" resumes where they were.
    """
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_annotating(user=request.user, corpus=corpus)
    document = document_next_for_annotator(corpus=corpus, user=request.user)
    if document is None:
        messages.info(request, "Nothing left to annotate in this corpus.")
        return redirect(corpus)
    return redirect("document-annotate", slug=corpus.slug, pk=document.pk)
