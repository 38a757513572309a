"""Models of the annotations app: layers, their spans, events and relations, revisions."""

from annotations.models.items import Argument, Event, Relation, Source, Span
from annotations.models.layer import Annotation, Revision

__all__ = ["Annotation", "Argument", "Event", "Relation", "Revision", "Source", "Span"]
