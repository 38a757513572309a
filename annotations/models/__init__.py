"""Models of the annotations app: layers, their spans, events and relations, revisions."""

from annotations.models.items import Argument, Event, Relation, Source, Span
from annotations.models.layer import Annotation, Revision
from annotations.models.runs import PreannotationFailure, PreannotationRun

__all__ = [
    "Annotation",
    "Argument",
    "Event",
    "PreannotationFailure",
    "PreannotationRun",
    "Relation",
    "Revision",
    "Source",
    "Span",
]
