"""Models of the annotations app: layers, their spans, events and relations, revisions, holds,
comments, document state counts."""

from annotations.models.comments import DocumentComment
from annotations.models.items import Argument, Event, Relation, Source, Span
from annotations.models.layer import Annotation, Revision
from annotations.models.reservations import Reservation
from annotations.models.states import DocumentStateCount, StatePause

__all__ = [
    "Annotation",
    "Argument",
    "DocumentComment",
    "DocumentStateCount",
    "Event",
    "Relation",
    "Reservation",
    "Revision",
    "Source",
    "Span",
    "StatePause",
]
