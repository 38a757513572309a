"""Which documents a bulk action acts on: ticked ones, every match of a filter, or both.

A selection travels as one query string, the document list's own (`q=Homs&state=new`) with
`ids=3,4,5` for ticked documents, so the corpus page, the action pages and the API share it:
the `documents` parameter of delete, pre-annotate again and export.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.db.models import QuerySet
from django.http import QueryDict

from annotations.document_search import (
    DocumentSearch,
    document_search_filter,
    document_search_parse,
)
from annotations.selectors import document_states
from config.errors import InvalidInput
from config.params import integer_parse
from corpus.models import Corpus, Document

MAX_IDS = 10_000
MAX_LENGTH = 100_000  # characters of a selection's query string
FILTERS = ("q", "state", "annotator", "label", "event_type", "score_below")


@dataclass(frozen=True)
class DocumentSelection:
    """Documents matching `search`, narrowed to `ids` when some are ticked."""

    search: DocumentSearch = field(default_factory=DocumentSearch)
    ids: tuple[int, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.ids and not self.search.params()

    def query(self) -> str:
        """The selection as a query string: what `selection_parse` reads back."""
        params = {name: value for name, value in self.search.params().items() if name != "sort"}
        if self.ids:
            params["ids"] = ",".join(map(str, self.ids))
        return urlencode(params)

    def describe(self) -> str:
        """The selection in words, for confirmation pages: "2 ticked documents, state new"."""
        parts = [f"{len(self.ids)} ticked document{'s' * (len(self.ids) != 1)}"] if self.ids else []
        for name, value in self.search.params().items():
            shown = f"“{value}”" if name == "q" else value
            if name != "sort":
                parts.append(f"{name.replace('_', ' ')} {shown}")
        return ", ".join(parts) or "every document of the corpus"


def selection_parse(text: str | None, *, name: str = "documents") -> DocumentSelection:
    """Read a selection from its query string; empty means every document.

    Raises InvalidInput naming the parameter (`documents: ids ...`) for a bad value.
    """
    text = (text or "").strip().lstrip("?")
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"{name}: at most {MAX_LENGTH} characters (got {len(text)}).", extra={"field": name}
        )
    pairs = parse_qsl(text, keep_blank_values=True)
    unknown = sorted({key for key, _ in pairs} - {*FILTERS, "ids", "sort", "after"})
    if unknown:
        raise InvalidInput(
            f"{name}: unknown filter {unknown[0][:40]!r}; use {', '.join(FILTERS)} or ids.",
            extra={"field": name, "allowed": [*FILTERS, "ids"]},
        )
    params = QueryDict(mutable=True)
    for key, value in pairs:
        if key in FILTERS:
            params[key] = value
    try:
        search, _ = document_search_parse(params)
        ids = _ids(dict(pairs).get("ids", ""))
    except InvalidInput as problem:
        raise InvalidInput(f"{name}: {problem.message}", extra={"field": name}) from problem
    return DocumentSelection(search=search, ids=ids)


def selection_of(search: DocumentSearch, ids: list[str]) -> DocumentSelection:
    """The selection of a corpus page's bulk form: its filter, and the ticked ids if any."""
    return DocumentSelection(search=search, ids=_ids(",".join(ids)))


def selection_documents(*, corpus: Corpus, selection: DocumentSelection) -> QuerySet[Document]:
    """Return the corpus's documents in `selection`.

    Raises InvalidInput when a ticked id is not a document of the corpus.
    """
    documents = document_states(corpus=corpus)
    if selection.ids:
        found = set(documents.filter(pk__in=selection.ids).values_list("pk", flat=True))
        if missing := [pk for pk in selection.ids if pk not in found]:
            raise InvalidInput(
                f"documents: no document {missing[0]} in corpus {corpus.slug}"
                + (f" (nor {len(missing) - 1} more)" if len(missing) > 1 else "")
                + "; it may have been deleted.",
                extra={"field": "documents", "missing": missing[:100]},
            )
        documents = documents.filter(pk__in=selection.ids)
    return document_search_filter(documents, search=selection.search)


def _ids(raw: str) -> tuple[int, ...]:
    values = [value for value in raw.replace(" ", "").split(",") if value]
    if len(values) > MAX_IDS:
        raise InvalidInput(
            f"ids: at most {MAX_IDS} ticked documents (got {len(values)}); use a filter instead.",
            extra={"field": "ids", "limit": MAX_IDS},
        )
    ids = (integer_parse(value, name="ids", minimum=1) for value in values)
    return tuple(dict.fromkeys(ids))
