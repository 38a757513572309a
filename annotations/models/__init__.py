"""Models of the annotations app: layers, their spans, events and relations, revisions, holds."""

from annotations.models.items import Argument, Event, Relation, Source, Span
from annotations.models.layer import Annotation, Revision
from annotations.models.reservations import Reservation

__all__ = [
    "Annotation",
    "Argument",
    "Event",
    "Relation",
    "Reservation",
    "Revision",
    "Source",
    "Span",
]
