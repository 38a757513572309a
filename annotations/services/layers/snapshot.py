"""A layer's content in the exchange format: what the editor GETs, PUTs back and revisions keep."""

from typing import Any

from annotations.models import Annotation
from annotations.services.content import layer_content_read


def layer_snapshot(layer: Annotation) -> dict[str, Any]:
    """Return the content of `layer` as saved now, with database ids, in four queries."""
    return layer_content_read(layer).exchange(version=layer.version)
