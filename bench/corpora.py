"""Generate large corpora for benchmarks, fast: rows inserted with reserved ids, no ORM per row.

News-like articles of about 1,000 characters (words from a fixed vocabulary; one in twenty
names SEARCHED, for searches). One document in ten gets a prediction layer with scored
spans and an event (its lowest score stored, as pre-annotation does). With `humans`, that many
of the predicted documents, spread over the corpus, also carry people's work: two annotators'
submitted layers, one annotator's draft on some others, and a reviewed gold layer on half of
them, each layer with its first revision. People's work does not grow with the size of an
import, so `humans` is a count, the same on a small and a large corpus.
"""

import hashlib
import random
import time
from dataclasses import dataclass

VOCABULARY = """
    the of and in to a was said on for that by with forces army city government opposition
    people killed shelling village activists regime troops report council observers monday
    friday rebels attack wounded security police protest ceasefire united nations envoy
    damascus aleppo hama deraa idlib latakia tartus raqqa
"""
WORDS = VOCABULARY.split()
# The word the benchmarks search for, named by one document in SEARCHED_EVERY: often enough that
# a search fills a page on a small corpus too (at one in a hundred, 2,000 documents gave a page
# of 20 rows against 50 on a large corpus, and the ratio timed 30 rows more, not a slower
# search). Document 10 of every twenty is predicted and, past the first few hundred, carries no
# people's work on either corpus, so the search among pre-annotated documents fills a page on
# both as well.
SEARCHED = "homs"
SEARCHED_EVERY = 20
SEARCHED_AT = 10
BATCH = 2_000
PREDICTED_EVERY = 10
ANNOTATORS = ("ann-one", "ann-two")


@dataclass
class People:
    """The users a generated corpus with people's work has, by role."""

    owner: object
    annotators: list
    newcomer: object  # an annotator with nothing done yet: the queue's "next" for them


def corpus_generate(slug: str, count: int, *, humans: int = 0, people: People | None = None):
    """Create corpus `slug` with `count` documents (layers as the module says); return it."""
    from django.db import connection, transaction
    from django.utils import timezone

    from annotations.scores import document_scores_refresh
    from annotations.services.state_counts import state_counts_fold
    from corpus.models import Corpus, Membership
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = Corpus.objects.create(
        slug=slug, name=slug, schema=schema, annotators_per_document=len(ANNOTATORS)
    )
    if people is not None:
        for user, role in [
            (people.owner, Membership.Role.OWNER),
            *((user, Membership.Role.ANNOTATOR) for user in people.annotators),
            (people.newcomer, Membership.Role.ANNOTATOR),
        ]:
            Membership.objects.create(corpus=corpus, user=user, role=role)
    labels = _Labels(schema)
    generator = random.Random(16)
    predicted = max(1, count // PREDICTED_EVERY)
    human_every = max(2, predicted // humans) if humans else 0
    started = time.perf_counter()
    now = timezone.now()
    for first in range(0, count, BATCH):
        last = min(first + BATCH, count)
        with transaction.atomic():
            ids = _documents_insert(corpus, slug, generator, first, last, now)
            layered = [
                (n, pk) for n, pk in zip(range(first, last), ids, strict=True)
                if n % PREDICTED_EVERY == 0
            ]  # fmt: skip
            human, drafts = [], []  # human: (pk, with gold), gold on every second one
            for n, pk in layered if people is not None and humans else []:
                place, turn = divmod(n // PREDICTED_EVERY, human_every)
                if turn == 0 and place < humans:
                    human.append((pk, place % 2 == 0))
                elif turn == 1 and place < humans // 5:
                    drafts.append(pk)
            _layers_insert(labels, generator, [pk for _, pk in layered], human, drafts, people, now)
            document_scores_refresh(pk for _, pk in layered)
        print(f"\r  generated {last:,} documents", end="", flush=True)
    print(f" ({slug}) in {time.perf_counter() - started:.0f} s")
    # The triggers counted each inserted document in a row of its own; the first read of the
    # counts folds them into one per state (annotations.services.state_counts), leaving as
    # many dead rows as it folded, which autovacuum removes within a minute of the fold.
    # Folded here, before the vacuum, so the corpus is measured as it is from then on.
    state_counts_fold(corpus_id=corpus.pk)
    with connection.cursor() as cursor:
        # As autovacuum does after a large import: statistics, and on PostgreSQL the dead rows
        # of the generation's updates (scores, states, the fold) gone and the visibility map
        # set. (VACUUM cannot run inside a transaction, as in a test.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return corpus


class _Labels:
    def __init__(self, schema) -> None:
        self.entities = dict(schema.entity_types.values_list("key", "pk"))
        self.attack = schema.event_types.get(key="Conflict.Attack")
        self.place = self.attack.roles.get(key="Place").pk


def _documents_insert(corpus, slug, generator, first, last, now) -> list[int]:
    from annotations.services.rows import ids_reserve, json_adapter, rows_insert
    from corpus.models import Document

    adapt = json_adapter()
    texts = [_text(generator, n) for n in range(first, last)]
    ids = ids_reserve(Document, len(texts))
    columns = ("id", "corpus", "external_id", "title", "text", "sha256", "source", "url",
               "metadata", "tokens", "sentences", "created_at")  # fmt: skip
    rows = []
    for n, (pk, text) in enumerate(zip(ids, texts, strict=True), start=first):
        layered = n % PREDICTED_EVERY == 0
        tokens = _tokens(text) if layered else None
        rows.append((
            pk, corpus.pk, f"{slug}-{n}", text[:60], text,
            hashlib.sha256(text.encode()).hexdigest(), "bench", "", adapt({}),
            adapt(tokens) if tokens else None,
            adapt([[0, len(text)]]) if tokens else None, now,
        ))  # fmt: skip
    rows_insert(Document, columns, rows)
    return ids


def _tokens(text: str) -> list[list[int]]:
    tokens, start = [], 0
    for word in text.split(" "):
        tokens.append([start, start + len(word.rstrip("."))])
        start += len(word) + 1
    return tokens


def _layers_insert(labels, generator, predicted, human, drafts, people, now) -> None:
    """Prediction layers on `predicted`; on `human` (pk, with gold), annotators' layers and
    gold besides when asked; a draft of the first annotator on `drafts`."""
    from annotations.models import Annotation, Argument, Event, Revision, Span
    from annotations.services.rows import ids_reserve, json_adapter, rows_insert

    adapt = json_adapter()
    layers = []  # (document, kind, user, model name, status, source)
    for pk in predicted:
        layers.append((pk, "prediction", None, "bench", "draft", "model"))
    # Counted over the corpus, not per batch: a large corpus has the same gold as a small one.
    for pk, gold in human:
        for user in people.annotators:
            layers.append((pk, "annotator", user.pk, "", "submitted", "human"))
        if gold:
            layers.append((pk, "gold", None, "", "reviewed", "human"))
    for pk in drafts:  # work in progress: the first annotator's drafts
        layers.append((pk, "annotator", people.annotators[0].pk, "", "draft", "human"))
    layer_ids = ids_reserve(Annotation, len(layers))
    rows_insert(
        Annotation,
        ("id", "document", "kind", "user", "model_name", "model_version", "status", "version",
         "origin", "attributes", "created_at", "updated_at"),
        [(pk, document, kind, user, model, "", status, 1, adapt({}), adapt({}), now, now)
         for pk, (document, kind, user, model, status, _) in zip(layer_ids, layers, strict=True)],
    )  # fmt: skip
    spans, events, arguments, revisions = [], [], [], []
    span_ids = ids_reserve(Span, 3 * len(layers))
    event_ids = ids_reserve(Event, len(layers))
    argument_ids = ids_reserve(Argument, len(layers))
    revision_ids = ids_reserve(Revision, len(layers))
    for n, (layer, (_, kind, user, _, _, source)) in enumerate(zip(layer_ids, layers, strict=True)):
        model = source == "model"
        score = (lambda: round(generator.uniform(0.05, 1), 3)) if model else (lambda: None)
        for k, (start, end, label) in enumerate([(0, 3, "PER"), (4, 8, "GPE"), (9, 14, "ORG")]):
            spans.append((span_ids[3 * n + k], layer, start, end, labels.entities[label],
                          source, score(), not model, adapt({}), ""))  # fmt: skip
        events.append((event_ids[n], layer, 15, 20, labels.attack.pk, source, score(),
                       not model, adapt({}), ""))  # fmt: skip
        arguments.append((argument_ids[n], event_ids[n], labels.place, span_ids[3 * n + 1],
                          None, 1, source, score()))  # fmt: skip
        if kind != "prediction":
            snapshot = {"spans": [], "events": []}
            revisions.append((revision_ids[n], layer, 1, adapt(snapshot), None, 0, 0, "", 3, 1,
                              user, now))  # fmt: skip
    item = ("source", "score", "accepted", "attributes", "note")
    rows_insert(Span, ("id", "annotation", "start", "end", "entity_type", *item), spans)
    rows_insert(
        Event, ("id", "annotation", "trigger_start", "trigger_end", "event_type", *item), events
    )
    rows_insert(
        Argument,
        ("id", "event", "role", "span", "target_event", "index", "source", "score"),
        arguments,
    )
    rows_insert(
        Revision,
        ("id", "annotation", "version", "snapshot", "delta", "chain", "chain_bytes", "digest",
         "span_count", "event_count", "user", "created_at"),
        revisions,
    )  # fmt: skip


def _text(generator: random.Random, n: int) -> str:
    words = generator.choices(WORDS, k=170)
    if n % SEARCHED_EVERY == SEARCHED_AT:
        words[generator.randrange(len(words))] = SEARCHED
    return " ".join(words).capitalize() + "."


def people_create() -> People:
    """The owner, the two annotators whose work the corpora hold, and a newcomer annotator."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return People(
        owner=users.create_user("bench-owner"),
        annotators=[users.create_user(name) for name in ANNOTATORS],
        newcomer=users.create_user("bench-newcomer"),
    )
