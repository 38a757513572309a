"""The pages a team uses every day take a fixed number of queries, whatever the corpus holds.

Each request is made on a corpus of 3 documents and one of 30, every document with a
prediction layer, two annotators' submitted layers and a reviewed gold layer: the queries are
the same in number on both, and that number is pinned here, so a change that reads per
document (a query in a loop, a count over the corpus) shows up as a failure. bench/scale.py
measures the time of the same requests on 2,000 and 200,000 documents.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation
from corpus.models import Membership
from formats.registry import export_choices
from tests.factories import (
    AnnotationFactory,
    CorpusFactory,
    DocumentFactory,
    UserFactory,
    event_create,
    span_create,
)

pytestmark = pytest.mark.postgres

TEXT = "Kofi Annan arrived in Damascus on Saturday, {n} days after the shelling of Homs."
WORDS = [(0, 4), (5, 10), (11, 18), (19, 21), (22, 30)]

# Queries of each request (sign-in session and user included), on any corpus size, on SQLite
# and PostgreSQL alike.
PAGES = {
    "corpus page": ("/corpora/{slug}/", 8),
    "corpus page, second page": ("/corpora/{slug}/?after={after}", 8),
    "list: search and state": ("/corpora/{slug}/?q=homs&state=reviewed", 8),
    "list: label, by score": ("/corpora/{slug}/?label=PER&sort=score", 8),
    "list API: search and state": ("/api/corpora/{slug}/documents/?q=homs&state=reviewed", 4),
    "list API: annotator, by title": (
        "/api/corpora/{slug}/documents/?annotator=ann-one&sort=title",
        5,  # the annotator's documents first
    ),
    "dashboard page": ("/corpora/{slug}/dashboard/", 14),
    "dashboard API": ("/api/corpora/{slug}/dashboard/", 14),
}
NEXT_DOCUMENT = 10
EXPORT_FIRST_BYTE = {"brat": 18}  # the schema's annotation.conf first; the others 12
EXPORT_DEFAULT = 12


def corpus_with(size: int):
    """A corpus of `size` documents, each with predictions, two annotators' work and gold."""
    owner = UserFactory(username=f"owner-{size}")
    annotators = [UserFactory(username=name) for name in ("ann-one", "ann-two")]
    newcomer = UserFactory(username=f"newcomer-{size}")
    corpus = CorpusFactory(annotators_per_document=2)
    for user, role in [(owner, "owner"), (newcomer, "annotator")] + [
        (user, "annotator") for user in annotators
    ]:
        Membership.objects.create(corpus=corpus, user=user, role=role)
    for n in range(size):
        document = DocumentFactory(
            corpus=corpus, text=TEXT.format(n=n), tokens=WORDS, sentences=[[0, 30]]
        )
        layers = [AnnotationFactory(document=document)]
        for user in annotators:
            layers.append(
                AnnotationFactory(
                    document=document, kind="annotator", user=user, model_name="",
                    status=Annotation.Status.SUBMITTED,
                )
            )  # fmt: skip
        layers.append(
            AnnotationFactory(
                document=document, kind="gold", model_name="", status=Annotation.Status.REVIEWED
            )
        )
        for layer in layers:
            victim = span_create(layer, 0, 10, "PER")
            place = span_create(layer, 22, 30, "GPE")
            event_create(layer, 11, 18, "Life.Die", Victim=victim, Place=place)
    # A document nobody has worked on yet, for the newcomer's "next".
    DocumentFactory(corpus=corpus, text=f"Nothing yet, corpus of {size}.")
    return corpus, owner, newcomer


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_of(request) -> int:
    request()  # once before, as a user's second visit: caches warm
    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


def page_queries(size: int) -> dict[str, int]:
    corpus, owner, newcomer = corpus_with(size)
    after = corpus.documents.order_by("pk").values_list("pk", flat=True)[min(1, size - 1)]
    client = signed_in(owner)
    counts = {}
    for name, (path, _) in PAGES.items():

        def get(path=path):
            response = client.get(path.format(slug=corpus.slug, after=after))
            assert response.status_code == 200, (path, response.content[:300])

        counts[name] = queries_of(get)
    annotator = signed_in(newcomer)

    def next_document():
        response = annotator.get(f"/api/corpora/{corpus.slug}/next-document/", {"after": after})
        assert response.status_code == 200
        assert response.json()["next"] is not None

    counts["next document"] = queries_of(next_document)
    for format in export_choices():

        def first_byte(format=format):
            response = client.get(f"/api/corpora/{corpus.slug}/export/", {"format": format})
            assert response.status_code == 200
            assert next(iter(response.streaming_content))
            # Not closed: closing ends the request, whose signal would close the database
            # connection of the test's transaction; the rest of the export is never read.

        counts[f"export {format}"] = queries_of(first_byte)
    return counts


def pinned() -> dict[str, int]:
    return {
        **{name: queries for name, (_, queries) in PAGES.items()},
        "next document": NEXT_DOCUMENT,
        **{
            f"export {format}": EXPORT_FIRST_BYTE.get(format, EXPORT_DEFAULT)
            for format in export_choices()
        },
    }


@pytest.mark.django_db
def test_each_page_takes_the_same_queries_on_3_and_on_30_documents():
    small = page_queries(3)
    large = page_queries(30)
    assert small == large
    assert large == pinned()
