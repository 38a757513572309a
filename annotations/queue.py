"""The annotation queue: who may annotate a corpus, which document they do next, and holds.

A reservation holds a document for the annotator who got it from the queue or opened it,
until `Corpus.reservation_minutes` from then; saving renews it, submitting or skipping lets
it go, and once it expires the document is back in the pool (the queries compare with the
time of the request, so nothing has to clean up).
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import (
    Avg,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotations.models import Annotation, Reservation, Span
from annotations.selectors import count_subquery
from config.errors import Forbidden
from corpus.models import Corpus, Document, Membership
from corpus.selectors import user_roles

ANNOTATING_ROLES = {Membership.Role.ANNOTATOR, Membership.Role.REVIEWER}
FINISHED = [Annotation.Status.SUBMITTED, Annotation.Status.SKIPPED]

# The seeded order hashes (seed, document id) with arithmetic that SQLite and PostgreSQL
# compute alike: multiplications modulo the prime 2**31 - 1 and xor-shifts, every step below
# 2**62 so that neither database's 64-bit integers overflow.
PRIME = 2**31 - 1
# Sorts after every mean score (scores lie in (0, 1]): documents without predictions go last.
NO_PREDICTION = 2.0


def corpus_require_annotating(*, user: AbstractBaseUser, corpus: Corpus) -> None:
    """Raise Forbidden unless `user` is an annotator or a reviewer of `corpus`."""
    if not ANNOTATING_ROLES & user_roles(user=user, corpus=corpus):
        raise Forbidden("Only a corpus annotator or reviewer can annotate.")


def document_next_for_annotator(
    *, corpus: Corpus, user: AbstractBaseUser, after: int = 0
) -> Document | None:
    """Reserve for `user` the next document to annotate after document `after`, and return it.

    A document qualifies unless the user has submitted or skipped it, or other annotators
    have submitted or hold (unexpired reservations) as many layers as the corpus wants per
    document. A document the user holds comes first (resume where you were); the others
    follow `after` in the corpus's queue order, wrapping round. `after` itself never comes
    back, and asking for the one after it lets go of the user's hold on it, so skipping the
    last open document ends the queue.

    Picking and reserving are one transaction that locks the chosen document row, skipping
    rows that other requests are picking (PostgreSQL; SQLite runs write transactions one at a
    time), and checks the document again once locked: two annotators asking at once never
    get the same document beyond the overlap. When every candidate is locked, it waits for
    the first rather than answer that nothing is left.
    """
    now = timezone.now()
    if after:
        reservation_release(document=after, user=user)
    candidates = _candidates(corpus=corpus, user=user, now=now)
    parts = _queue_parts(candidates, corpus=corpus, user=user, after=after, now=now)
    passed: list[int] = []
    while True:
        with transaction.atomic():
            # FOR NO KEY UPDATE: pickers exclude one another, while rows that merely refer to
            # the document (a layer, a reservation) are still written meanwhile.
            document = _first(parts, passed, skip_locked=True) or _first(parts, passed)
            if document is None:
                return None
            # The lock came after the query's snapshot: only a new query sees a reservation
            # committed in between.
            if candidates.filter(pk=document.pk).exists():
                _hold(document=document, user_id=user.pk, now=now)
                return document
            # Filled meanwhile: let go of its lock (so no two requests ever wait on each
            # other) and try the next one.
            transaction.set_rollback(True)
        passed.append(document.pk)


def _first(
    parts: list[QuerySet[Document]], passed: list[int], *, skip_locked: bool = False
) -> Document | None:
    """Lock and return the first document of the first part that has one, or None."""
    for part in parts:
        document = (
            part.exclude(pk__in=passed)
            .select_for_update(skip_locked=skip_locked, no_key=True, of=("self",))
            .first()
        )
        if document is not None:
            return document
    return None


def reservation_hold(
    *, document: Document, user: AbstractBaseUser, now: datetime | None = None
) -> None:
    """Hold `document` for `user` for the corpus's reservation time from now (create or extend)."""
    _hold(document=document, user_id=user.pk, now=now or timezone.now())


def reservation_renew(*, layer: Annotation) -> None:
    """Renew the hold of an annotator layer's user on its document while the layer is a draft."""
    if layer.kind == Annotation.Kind.ANNOTATOR and layer.status == Annotation.Status.DRAFT:
        _hold(document=layer.document, user_id=layer.user_id, now=timezone.now())


def reservation_release(*, document: Document | int, user: AbstractBaseUser) -> None:
    """Let go of `user`'s hold on `document`, and forget the document's expired holds."""
    expired = Q(expires_at__lte=timezone.now())
    Reservation.objects.filter(Q(user=user) | expired, document=document).delete()


def _hold(*, document: Document, user_id: int, now: datetime) -> None:
    expires_at = now + timedelta(minutes=document.corpus.reservation_minutes)
    Reservation.objects.bulk_create(
        [Reservation(document=document, user_id=user_id, expires_at=expires_at)],
        update_conflicts=True,
        unique_fields=["document", "user"],
        update_fields=["expires_at"],
    )


def _candidates(*, corpus: Corpus, user: AbstractBaseUser, now: datetime) -> QuerySet[Document]:
    """Return the documents `user` may get next, in no order."""
    # order_by(): no default ordering, whose joins are of no use in a subquery.
    layers = Annotation.objects.filter(
        document=OuterRef("pk"), kind=Annotation.Kind.ANNOTATOR
    ).order_by()
    finished = layers.filter(user=user, status__in=FINISHED)
    submitted_by_others = count_subquery(
        layers.filter(status=Annotation.Status.SUBMITTED).exclude(user=user), "document"
    )
    live = _live(now).filter(document=OuterRef("pk"))
    holder_finished = Annotation.objects.filter(
        document=OuterRef("document"),
        user=OuterRef("user"),
        kind=Annotation.Kind.ANNOTATOR,
        status__in=FINISHED,
    )
    held_by_others = count_subquery(
        live.exclude(user=user).filter(~Exists(holder_finished)), "document"
    )
    mine = Exists(live.filter(user=user))
    overlap = corpus.annotators_per_document
    return (
        corpus.documents.filter(~Exists(finished))
        .alias(others=submitted_by_others, held=held_by_others, mine=mine)
        .filter(others__lt=overlap)
        .filter(Q(mine=True) | Q(others__lt=overlap - F("held")))
    )


def _live(now: datetime) -> QuerySet[Reservation]:
    return Reservation.objects.filter(expires_at__gt=now).order_by()


def _queue_parts(
    candidates: QuerySet[Document],
    *,
    corpus: Corpus,
    user: AbstractBaseUser,
    after: int,
    now: datetime,
) -> list[QuerySet[Document]]:
    """The candidates in the order the queue hands them out, as parts read one after another.

    First the documents `user` holds (the latest hold first), then those after `after` in the
    queue order, then, wrapping round, all of them from the start. Each part is a query that
    stops at its first row: in document order an index scan from `after`, so a large corpus
    costs no more than a small one (the other orders sort the candidates by a computed key).
    """
    others = candidates.exclude(pk=after) if after else candidates  # `after` never comes back
    holds = _live(now).filter(user=user, document__corpus=corpus)
    held = (
        others.filter(pk__in=holds.values("document"))
        .alias(held_until=Subquery(holds.filter(document=OuterRef("pk")).values("expires_at")))
        .order_by(F("held_until").desc(), "pk")
    )
    key = _order_key(corpus)
    if corpus.queue_order == Corpus.QueueOrder.DOCUMENT:
        if not after:
            return [held, others.order_by("pk")]
        return [held, others.filter(pk__gt=after).order_by("pk"), others.order_by("pk")]
    ordered = others.alias(queue_key=key).order_by("queue_key", "pk")
    if not after:
        return [held, ordered]
    after_key = Subquery(corpus.documents.filter(pk=after).order_by().annotate(k=key).values("k"))
    later = Q(queue_key__gt=after_key) | Q(queue_key=after_key, pk__gt=after)
    # Wrapping round: from the start (what follows `after` was read first and is empty).
    return [held, ordered.filter(later), ordered]


def _order_key(corpus: Corpus) -> Expression:
    """Return what the queue sorts a corpus's documents by (before their id)."""
    if corpus.queue_order == Corpus.QueueOrder.RANDOM:
        return _seeded_hash(corpus.queue_seed)
    if corpus.queue_order == Corpus.QueueOrder.LEAST_CONFIDENT:
        return _mean_prediction_score()
    return F("pk")


def _seeded_hash(seed: int) -> Expression:
    """Return a hash of the document id and `seed`: a stable shuffle, another for each seed."""
    x = (F("pk") + Value((seed * 40503 + 12345) % PRIME)) % Value(PRIME)
    x = (x * Value(48271)) % Value(PRIME)
    x = _xorshift(x, 16)
    x = (x * Value(69621)) % Value(PRIME)
    x = _xorshift(x, 15)
    return (x * Value(48271)) % Value(PRIME)


def _xorshift(x: Expression, bits: int) -> Expression:
    """Return `x ^ (x >> bits)`, written with and/or (SQLite has no xor operator)."""
    shifted = x.bitrightshift(bits)
    return x.bitor(shifted) - x.bitand(shifted)


def _mean_prediction_score() -> Expression:
    """Return the mean span score of a document's newest prediction layer (none: last)."""
    newest = (
        Annotation.objects.filter(
            document=OuterRef(OuterRef("pk")), kind=Annotation.Kind.PREDICTION
        )
        .order_by("-updated_at", "-pk")
        .values("pk")[:1]
    )
    mean = (
        Span.objects.filter(annotation=Subquery(newest))
        .order_by()
        .values("annotation")
        .annotate(mean=Avg("score"))
        .values("mean")
    )
    return Coalesce(Subquery(mean, output_field=FloatField()), Value(NO_PREDICTION))
