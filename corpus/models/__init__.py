"""Models of the corpus app: label schemas, corpora with memberships, documents."""

from corpus.models.corpus import Corpus, Membership
from corpus.models.document import Document
from corpus.models.members import Invitation, MembershipChange
from corpus.models.schema import (
    AttributeType,
    EntityType,
    EventRole,
    EventType,
    LabelSchema,
    RelationType,
)
from corpus.models.schema_changes import SchemaChange

__all__ = [
    "AttributeType",
    "Corpus",
    "Document",
    "EntityType",
    "EventRole",
    "EventType",
    "Invitation",
    "LabelSchema",
    "Membership",
    "MembershipChange",
    "RelationType",
    "SchemaChange",
]
