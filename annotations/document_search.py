"""Search, filter and sort the document list of a corpus, a page at a time, in few queries.

The words of `q` are looked up in title, external id, text and metadata: PostgreSQL full-text
search (the `simple` configuration, web-search syntax) on the stored, GIN-indexed vector of
migration corpus 0011, or the FTS5 table `corpus_document_fts` on SQLite (every word, as a prefix).
Filters are EXISTS subqueries, but the score: each document stores its lowest prediction score
(`annotations.scores`), indexed with its corpus for the score sort. Pages are keyset pages:
`after` is the id of the last document seen; for sorts other than `order` its sort value is
read first (one more query).
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL

from annotations.models import Annotation, Event, Span
from annotations.selectors import (
    PAGE_SIZE,
    DocumentPage,
    document_rows,
    document_state_check,
    document_status,
)
from config.errors import InvalidInput
from config.params import cursor_parse, number_parse
from corpus.models import Corpus, Document

SORTS = ("order", "title", "imported", "score")
MAX_QUERY = 200
MAX_NAME = 150
MAX_LISTED = 900  # document ids passed as parameters (SQLite takes at most 999 by default)
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DocumentSearch:
    """A validated document list request; every field is a query-string parameter."""

    q: str = ""
    state: str = ""
    annotator: str = ""
    label: str = ""
    event_type: str = ""
    score_below: float | None = None
    sort: str = "order"

    def params(self) -> dict[str, str]:
        """The non-default parameters, for links that keep the filter (next page, sorts)."""
        defaults = asdict(DocumentSearch())
        return {
            name: f"{value:g}" if isinstance(value, float) else value
            for name, value in asdict(self).items()
            if value != defaults[name]
        }


def document_search_parse(params: Mapping[str, str]) -> tuple[DocumentSearch, int]:
    """Return the search and the `after` cursor a query string asks for.

    Raises InvalidInput naming the parameter for a bad value.
    """
    state = params.get("state", "") or ""
    if state:
        document_state_check(state)
    sort = params.get("sort", "") or "order"
    if sort not in SORTS:
        raise InvalidInput(
            f"sort {sort[:40]!r}: use one of {', '.join(SORTS)}.",
            extra={"field": "sort", "allowed": list(SORTS)},
        )
    score = params.get("score_below")
    search = DocumentSearch(
        q=_text(params, "q", MAX_QUERY),
        state=state,
        annotator=_text(params, "annotator", MAX_NAME),
        label=_text(params, "label", MAX_NAME),
        event_type=_text(params, "event_type", MAX_NAME),
        score_below=None
        if not score
        else number_parse(score, name="score_below", minimum=0, maximum=1),
        sort=sort,
    )
    return search, cursor_parse(params.get("after"))


def document_search_page(
    *, corpus: Corpus, search: DocumentSearch, after: int = 0, size: int = PAGE_SIZE
) -> DocumentPage:
    """Return one page of the corpus's documents that match `search`, in its sort order.

    One query, plus one to read the sort value of the `after` document for sorts by value.
    """
    documents = document_search_filter(corpus.documents.all(), search=search)
    key, descending = {
        "order": ("pk", False),
        "title": ("title", False),
        "imported": ("created_at", True),
        "score": ("lowest_score", False),
    }[search.sort]
    if after:
        documents = documents.filter(_after(corpus, search, key, descending, after))
    order = list(dict.fromkeys([f"-{key}", "-pk"] if descending else [key, "pk"]))
    # The page's ids first, in a subquery: the row's counts and flags are then computed for
    # those rows only, and the database plans them for a page, not for every match.
    chosen = documents.order_by(*order).values("pk")[: size + 1]
    rows = list(document_rows(corpus=corpus).filter(pk__in=chosen).order_by(*order))
    next_after = rows[size - 1].pk if len(rows) > size else None
    rows = rows[:size]
    for document in rows:
        document.status = document_status(document)
    return DocumentPage(documents=rows, next_after=next_after)


def document_search_filter(documents: QuerySet[Document], *, search: DocumentSearch) -> QuerySet:
    """Keep the documents that match every filter of `search` (EXISTS subqueries)."""
    if search.q:
        documents = document_text_match(documents, search.q)
    if search.state:
        documents = documents.filter(state=search.state)
    if search.annotator:
        documents = documents.filter(pk__in=_documents_of(search.annotator))
    if search.label:
        spans = Span.objects.filter(
            annotation__document=OuterRef("pk"), entity_type__key=search.label
        )
        documents = documents.filter(Exists(spans))
    if search.event_type:
        events = Event.objects.filter(
            annotation__document=OuterRef("pk"), event_type__key=search.event_type
        )
        documents = documents.filter(Exists(events))
    if search.score_below is not None:
        documents = documents.filter(lowest_score__lt=search.score_below)
    return documents


def _documents_of(username: str) -> list[int] | QuerySet:
    """The ids of the documents `username` has a layer on: a list read first (one query) when
    they are few, as one person's work is, so the page is read from them and not by walking
    the corpus's documents (which PostgreSQL's planner prefers for a subquery); else the
    subquery."""
    theirs = Annotation.objects.filter(user__username=username).order_by().values("document_id")
    ids = list(theirs.values_list("document_id", flat=True)[: MAX_LISTED + 1])
    return ids if len(ids) <= MAX_LISTED else theirs


def document_text_match(documents: QuerySet[Document], q: str) -> QuerySet[Document]:
    """Keep the documents whose title, external id, text or metadata contain the words of `q`."""
    words = WORD.findall(q)
    if not words:
        return documents.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config="simple", search_type="websearch")
        return documents.alias(search_vector=SearchVectorColumn()).filter(search_vector=query)
    if connection.vendor == "sqlite":
        match = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        found = "SELECT rowid FROM corpus_document_fts WHERE corpus_document_fts MATCH %s"
        return documents.filter(pk__in=RawSQL(found, [match]))
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word)
            | Q(external_id__icontains=word)
            | Q(text__icontains=word)
            | Q(metadata__icontains=word)
        )
    return documents.filter(condition)


class SearchVectorColumn(Expression):
    """The generated, GIN-indexed `search_vector` column of migration corpus 0011 (PostgreSQL
    only; not a model field), named through the alias its query gives the document table, so
    that it stays right inside a subquery."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _after(corpus: Corpus, search: DocumentSearch, key: str, descending: bool, after: int) -> Q:
    if key == "pk":
        return Q(pk__gt=after)
    cursor = corpus.documents.filter(pk=after)
    value = cursor.values_list(key, flat=True).first()
    if value is None:
        raise InvalidInput(
            f"after {after}: no document {after} in this corpus to continue from.",
            extra={"field": "after"},
        )
    if descending:
        return Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": after})
    return Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": after})


def _text(params: Mapping[str, str], name: str, limit: int) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            f"{name}: at most {limit} characters (got {len(value)}).",
            extra={"field": name, "limit": limit},
        )
    if "\x00" in value:
        raise InvalidInput(f"{name}: remove the NUL character.", extra={"field": name})
    return value
