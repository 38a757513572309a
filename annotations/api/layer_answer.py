"""The answer to opening a layer (GET /api/annotations/{id}/, POST my-layer), gzipped once
per version.

A 1,000-span layer's answer is about 180 kB of JSON. Its items are kept per version already
(`annotations.layer_json`), but compressing the answer again on every open cost as much as
the rest of the open together (bench/load.py: 16 ms alone, 13 ms uncompressed, the trivial
request 6 ms). So for a client that accepts gzip and asks for plain JSON (the browsable API
and indented answers take the renderer's path, as before) the whole answer is kept
compressed, in the same cache. Its key holds the items' key (layer, version, schema edit)
and a digest of what the rest of the answer holds (status, user, origin, ...): an answer is never
served once anything in it has changed. Unlike a page it is not padded against BREACH
(GZipMiddleware's random file name): it holds no secret, and a version's answer is the same
for everyone who may see it.
"""

import gzip
import hashlib
import re

import orjson
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.documents import LayerSummaryOutput
from annotations.layer_json import CACHE_ALIAS, layer_content_json, layer_key
from annotations.models import Annotation
from config.renderers import JSONRenderer

ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # how GZipMiddleware reads Accept-Encoding
COMPRESS_LEVEL = 6  # GZipMiddleware's


def layer_output(layer: Annotation) -> dict:
    """Return `layer` with its items as the API shows it (the exchange format); the items'
    JSON is kept per version (`annotations.layer_json`), so an open reads them once."""
    return {**_summary(layer), **layer_content_json(layer)}


def layer_answer(request: Request, layer: Annotation, *, status: int = 200) -> HttpResponse:
    """Answer with `layer_output(layer)`: gzipped from the cache when the client takes it."""
    if not _gzip_taken(request):
        return Response(layer_output(layer), status=status)
    renderer = request.accepted_renderer
    summary = _summary(layer)
    items_key = layer_key(layer)
    # Keys sorted: PostgreSQL gives a JSON column's keys (the origin's) in its own order, so
    # the layer just opened and the same layer read back would differ only in that.
    digest = hashlib.sha256(orjson.dumps(summary, option=orjson.OPT_SORT_KEYS)).hexdigest()
    key = f"layer-answer:{items_key}:{digest}"
    body = caches[CACHE_ALIAS].get(key)
    if body is None:
        rendered = renderer.render({**summary, **layer_content_json(layer, key=items_key)})
        body = gzip.compress(rendered, compresslevel=COMPRESS_LEVEL, mtime=0)
        caches[CACHE_ALIAS].set(key, body)
    response = HttpResponse(body, status=status, content_type=renderer.media_type)
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _summary(layer: Annotation) -> dict:
    return {**LayerSummaryOutput(layer).data, "document": layer.document_id}


def _gzip_taken(request: Request) -> bool:
    """Whether the client takes gzip and the answer is the plain JSON this module keeps."""
    renderer = getattr(request, "accepted_renderer", None)
    return (
        type(renderer) is JSONRenderer
        and renderer.get_indent(request.accepted_media_type, {}) is None
        and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
    )
