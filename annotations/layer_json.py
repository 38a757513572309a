"""A layer's items as the API's JSON, kept per version: opening a layer saved or opened before
reads none of its items.

Rendering a 1,000-span layer (four queries, a thousand items built and written out) is most of
what an open costs. Every change of a layer's items moves its version on, so the JSON of a
version never changes, with two exceptions the cache key holds as well: a schema edit (a
renamed label changes what the layer shows, and each edit is recorded as a `SchemaChange`) and
a layer deleted and made again under the same id (its `updated_at` differs). Entries are
written by whoever has the content at hand (a save, the first open) or read it (a miss), and
live in the `layers` cache: each process's memory, or the Redis server every process shares
when CACHE_URL (or REDIS_URL) is set.
"""

from typing import Any

import orjson
from django.core.cache import caches

from annotations.models import Annotation
from annotations.services.content import layer_content_read
from config.renderers import OPTIONS, RawJSON
from corpus.selectors import schema_stamp

CACHE_ALIAS = "layers"
PARTS = ("spans", "events", "relations", "labels")


def layer_content_json(layer: Annotation, *, key: str | None = None) -> dict[str, Any]:
    """Return the layer's spans, events, relations and labels, each as its JSON.

    A layer just saved or opened brings its content (`layer.snapshot`); it is rendered and
    kept. Otherwise the JSON kept for this version is used, or the content read and kept.
    Content orjson cannot write (an integer past 64 bits in an attribute) is returned as
    values, for the renderer's slower path, and not kept. `key` is `layer_key(layer)`, if
    the caller has it.
    """
    key, content = key or layer_key(layer), getattr(layer, "snapshot", None)
    parts = caches[CACHE_ALIAS].get(key) if content is None else None
    if parts is None:
        content = content or layer_content_read(layer).exchange(version=layer.version)
        try:
            parts = tuple(orjson.dumps(content[part], option=OPTIONS) for part in PARTS)
        except orjson.JSONEncodeError:
            return {part: content[part] for part in PARTS}
        caches[CACHE_ALIAS].set(key, parts)
    return {part: RawJSON(rendered) for part, rendered in zip(PARTS, parts, strict=True)}


def layer_state_kept(layer: Annotation) -> dict[str, Any] | None:
    """Return what the layer holds at its version as kept (the exchange format's spans,
    events, relations and labels), or None when nothing is kept for it."""
    parts = caches[CACHE_ALIAS].get(layer_key(layer))
    if parts is None:
        return None
    return {part: orjson.loads(rendered) for part, rendered in zip(PARTS, parts, strict=True)}


def layer_key(layer: Annotation) -> str:
    """Return the cache key of what `layer` holds at its version under its corpus's schema.

    A save reads the schema's stamp once and leaves it on the layer (`schema_stamp`): the
    rules it checked against, the state it read and the answer it keeps all go under it.
    """
    stamp = getattr(layer, "schema_stamp", None) or schema_stamp(layer.document.corpus)
    return f"layer-json:{layer.pk}:{layer.version}:{layer.updated_at.timestamp()}:{stamp}"
