"""Permission-aware reads of corpora and documents: without a membership, nothing exists."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import caches
from django.db.models import QuerySet

from config.errors import Forbidden, NotFound
from corpus.models import (
    AttributeType,
    Corpus,
    Document,
    EventRole,
    LabelSchema,
    Membership,
    RelationType,
    SchemaChange,
)
from corpus.nlp.spec import preset_pipeline_spec

# Who sees every layer of a corpus and writes its gold.
REVIEWING_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.REVIEWER})


def corpora_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Corpus]:
    """Return the corpora `user` holds any role in."""
    if not user.is_authenticated:
        return Corpus.objects.none()
    return Corpus.objects.filter(memberships__user=user).distinct()


def corpus_get_for_user(*, user: AbstractBaseUser | AnonymousUser, slug: str) -> Corpus:
    """Return the corpus `slug` if `user` is a member, else raise NotFound."""
    corpus = corpora_for_user(user).select_related("schema").filter(slug=slug).first()
    if corpus is None:
        raise NotFound(f"No corpus {slug!r}.")
    return corpus


def document_get_for_user(
    *, user: AbstractBaseUser | AnonymousUser, slug: str, pk: int, tokens: bool = True
) -> Document:
    """Return document `pk` of corpus `slug` if `user` is a member of that corpus.

    `tokens=False` leaves its tokens and sentences unread (read if asked for): a long
    article's are a third of a millisecond of JSON to decode per hundred tokens.
    """
    corpus = corpus_get_for_user(user=user, slug=slug)
    documents = corpus.documents if tokens else corpus.documents.defer("tokens", "sentences")
    document = documents.filter(pk=pk).first()
    if document is None:
        raise NotFound(f"No document {pk} in corpus {slug!r}.")
    document.corpus = corpus
    return document


def user_roles(*, user: AbstractBaseUser, corpus: Corpus) -> set[str]:
    """Return the roles `user` holds in `corpus`."""
    return set(Membership.objects.filter(corpus=corpus, user=user).values_list("role", flat=True))


def schema_stamp(corpus: Corpus) -> str:
    """Return what names the corpus's schema as it is now: its id and its latest recorded edit.

    Every edit of a schema, in the schema editor or the admin, is recorded as a SchemaChange
    of each corpus using it, so what is kept under a stamp (a layer's JSON, the schema's
    rules) is never used after an edit. One query.
    """
    edit = (
        SchemaChange.objects.filter(corpus_id=corpus.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"{corpus.schema_id}.{edit or 0}"


def schema_pipeline_spec(schema: LabelSchema) -> dict[str, Any]:
    """Return what the spaCy side needs from `schema`, as plain data (see corpus.nlp.spec).

    Four flat queries of plain values: each pre-annotation task asks, and model instances of
    ACE 2005's 400 roles and their entity types cost tens of milliseconds a time.
    """
    allowed: dict[int, list[str]] = defaultdict(list)
    for role_id, key in EventRole.entity_types.through.objects.filter(
        eventrole__event_type__schema=schema
    ).values_list("eventrole_id", "entitytype__key"):
        allowed[role_id].append(key)
    roles: dict[int, list[dict]] = defaultdict(list)
    for role_id, event_type_id, key, syntax in EventRole.objects.filter(
        event_type__schema=schema
    ).values_list("id", "event_type_id", "key", "syntax"):
        roles[event_type_id].append(
            {"key": key, "entity_types": allowed[role_id], "syntax": syntax}
        )
    return preset_pipeline_spec(
        {
            "entity_types": list(schema.entity_types.values("key", "spacy_labels", "nominals")),
            "event_types": [
                {"key": key, "triggers": triggers, "roles": roles[pk]}
                for pk, key, triggers in schema.event_types.values_list("id", "key", "triggers")
            ],
        }
    )


def corpus_require_role(*, user: AbstractBaseUser, corpus: Corpus, role: str) -> None:
    """Raise Forbidden unless `user` holds `role` in `corpus`."""
    if role not in user_roles(user=user, corpus=corpus):
        raise Forbidden(f"Only a corpus {role} can do this.")


def schema_editor_spec_kept(corpus: Corpus, *, stamp: str | None = None) -> dict[str, Any]:
    """Return `schema_editor_spec` of the corpus's schema, read once per schema edit.

    It is kept in the `layers` cache under the schema's stamp (`schema_stamp`, one query
    unless the caller has it), as a save's rules are: the editor page and its data ask for
    it at every open, and its eight queries were a third of the data's time on the server.
    """
    key = f"schema-editor:{stamp or schema_stamp(corpus)}"
    spec = caches["layers"].get(key)
    if spec is None:
        spec = schema_editor_spec(corpus.schema)
        caches["layers"].set(key, spec)
    return spec


def schema_editor_spec(schema: LabelSchema) -> dict[str, Any]:
    """Return what the annotation editor needs from `schema`: types, hotkeys, roles, attributes.

    Eight flat queries whatever the schema's size (ACE 2005 has about 400 roles). Relation
    types have a colour and a hotkey (read only while a relation's type is chosen);
    `headTypes` and `tailTypes` are the entity types each end takes (their arg1_types and
    arg2_types; empty: any).
    """
    described = ["key", "name", "description", "color", "hotkey"]
    allowed: dict[int, list[str]] = defaultdict(list)
    for role_id, key in (
        EventRole.entity_types.through.objects.filter(eventrole__event_type__schema=schema)
        .order_by("entitytype__order", "entitytype__key")
        .values_list("eventrole_id", "entitytype__key")
    ):
        allowed[role_id].append(key)
    roles: dict[int, list[dict]] = defaultdict(list)
    for role in EventRole.objects.filter(event_type__schema=schema).values(
        "id", "event_type_id", "key", "name", "description"
    ):
        roles[role.pop("event_type_id")].append({**role, "entityTypes": allowed[role.pop("id")]})
    # The attributes of each kind of item, and the document labels ("document"), in order.
    attributes: dict[str, list[dict]] = {kind: [] for kind in AttributeType.AppliesTo.values}
    for attribute in schema.attribute_types.order_by("order", "key").values(
        "applies_to", "key", "name", "description", "values", "default", "multiple"
    ):
        attributes[attribute.pop("applies_to")].append(attribute)
    return {
        "entityTypes": {item.pop("key"): item for item in schema.entity_types.values(*described)},
        "eventTypes": {
            item.pop("key"): {**item, "roles": roles[item.pop("id")]}
            for item in schema.event_types.values("id", "group", *described)
        },
        "relationTypes": _relation_types_spec(schema),
        "eventAttributes": attributes["event"],  # kept for clients written before `attributes`
        "attributes": attributes,
    }


def _relation_types_spec(schema: LabelSchema) -> dict[str, dict[str, Any]]:
    """Return the schema's relation types for the editor, with the entity types of each end."""
    types = {
        item.pop("key"): item
        for item in schema.relation_types.values(
            "key", "name", "description", "group", "color", "hotkey"
        )
    }
    for key, (head, tail) in relation_end_types(schema, types).items():
        types[key].update(headTypes=head, tailTypes=tail)
    return types


def relation_end_types(
    schema: LabelSchema, keys: Iterable[str]
) -> dict[str, tuple[list[str], list[str]]]:
    """Return, for each relation type of `keys`, the entity types its head and its tail take.

    Their arg1_types and arg2_types in schema order (empty: any), in two queries.
    """
    ends: dict[str, tuple[list[str], list[str]]] = {key: ([], []) for key in keys}
    for end, name in enumerate(("arg1_types", "arg2_types")):
        through = getattr(RelationType, name).through.objects.filter(relationtype__schema=schema)
        for relation_type, entity_type in through.order_by(
            "entitytype__order", "entitytype__key"
        ).values_list("relationtype__key", "entitytype__key"):
            ends[relation_type][end].append(entity_type)
    return ends
