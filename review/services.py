"""Adjudication: write a document's gold layer from the layers compared, or a corpus's in bulk."""

from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.content import LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation, Revision
from annotations.services.content import layer_content_read, layer_content_write
from config.errors import Conflict, Forbidden, GoldsetError, InvalidInput
from corpus.models import Corpus, Document
from review.access import user_may_review
from review.adjudication_selectors import documents_to_merge, review_sources
from review.merge import Candidate, content_from, layers_merge, select_agreed, undecided

COMMAND_LINE = "manage.py review"


def gold_adjudicate(
    *,
    document: Document,
    user: AbstractBaseUser | None,
    content: LayerContent,
    version: int | None = None,
    sources: dict[str, int] | None = None,
    method: str = "edited",
) -> Annotation:
    """Write `content` as the gold layer of `document`; return the layer, reviewed.

    The layer is created if missing. `version` is the gold version the reviewer loaded
    (0: they saw no gold layer); if the layer is elsewhere now, nothing is written and
    Conflict says which version and by whom, as for annotator layers. Without `version`
    the layer is replaced whatever it holds (the bulk merge). Every item is accepted: gold
    holds nothing pending. Relations of the former gold whose two spans are still there
    are kept. `origin` records who adjudicated, how, when and from which layers (`sources`,
    voter → layer id). `user` None is the command line, which needs no role.
    """
    if user is not None and not user_may_review(user=user, corpus=document.corpus):
        raise Forbidden("Only a corpus owner or reviewer can write the gold layer.")
    content = _accepted(content)
    now = timezone.now()
    origin = {
        "adjudicated_by": user.get_username() if user is not None else COMMAND_LINE,
        "method": method,
        "from": dict(sources or {}),
        "at": now.isoformat(),
    }
    labels = LabelIndex.of(document.corpus.schema_id)
    try:
        with transaction.atomic():
            gold = _gold_claim(document=document, version=version, origin=origin, now=now)
            before = layer_content_read(gold) if gold.version > 1 else None
            if before is not None:
                content.relations = _relations_kept(before, content)
            written = layer_content_write(gold, content, labels=labels, before=before)
            Revision.objects.create(
                annotation=gold,
                version=gold.version,
                snapshot=written.exchange(version=gold.version),
                user=user,
            )
    except IntegrityError:
        # annotation_one_gold: another reviewer created the gold layer meanwhile.
        raise _stale(document) from None
    gold.document = document
    return gold


def _gold_claim(*, document: Document, version: int | None, origin: dict, now) -> Annotation:
    """Return the gold layer at its next version (created at 1), or raise Conflict."""
    gold = Annotation.objects.filter(document=document, kind=Annotation.Kind.GOLD).first()
    if gold is None:
        if version:
            raise _stale(document)
        return Annotation.objects.create(
            document=document,
            kind=Annotation.Kind.GOLD,
            status=Annotation.Status.REVIEWED,
            origin=origin,
        )
    expected = gold.version if version is None else version
    claimed = Annotation.objects.filter(pk=gold.pk, version=expected).update(
        version=expected + 1, status=Annotation.Status.REVIEWED, origin=origin, updated_at=now
    )
    if not claimed:
        raise _stale(document)
    gold.version, gold.status, gold.origin, gold.updated_at = (
        expected + 1,
        Annotation.Status.REVIEWED,
        origin,
        now,
    )
    return gold


def _stale(document: Document) -> GoldsetError:
    """Return the error for a reviewer holding an old gold version (as `layer_save` says it)."""
    current = Annotation.objects.filter(document=document, kind=Annotation.Kind.GOLD).first()
    if current is None:
        return Conflict(
            "The gold layer you loaded is gone; reload the review.",
            extra={"version": 0, "user": None, "updated_at": None},
        )
    revision = current.revisions.filter(version=current.version).select_related("user").first()
    user = revision.user.get_username() if revision and revision.user else None
    at = timezone.localtime(current.updated_at).strftime("%H:%M")
    return Conflict(
        "This layer was saved elsewhere since you loaded it: it is now at version "
        f"{current.version} ({f'saved by {user} at {at}' if user else f'saved at {at}'}).",
        extra={
            "version": current.version,
            "user": user,
            "updated_at": current.updated_at.isoformat(),
        },
    )


def _accepted(content: LayerContent) -> LayerContent:
    return replace(
        content,
        spans=[replace(span, accepted=True) for span in content.spans],
        events=[replace(event, accepted=True) for event in content.events],
    )


def _relations_kept(before: LayerContent, content: LayerContent) -> list:
    """Return the former relations whose spans (same offsets and label) are still there."""
    keys = {(span.start, span.end, span.label): span.id for span in content.spans}
    spans = {span.id: keys.get((span.start, span.end, span.label)) for span in before.spans}
    return [
        replace(relation, head=spans[relation.head], tail=spans[relation.tail])
        for relation in before.relations
        if spans.get(relation.head) is not None and spans.get(relation.tail) is not None
    ]


@dataclass
class MergeOutcome:
    """What the bulk merge did with one document."""

    document: Document
    submitted: int
    adjudicated: bool
    counts: dict[str, int] = field(default_factory=dict)
    undecided: tuple[Candidate, ...] = ()


@dataclass
class MergeReport:
    """What `corpus_auto_merge` did, document by document."""

    k: int
    outcomes: list[MergeOutcome] = field(default_factory=list)

    @property
    def adjudicated(self) -> int:
        return sum(outcome.adjudicated for outcome in self.outcomes)

    @property
    def skipped(self) -> int:
        return len(self.outcomes) - self.adjudicated

    @property
    def undecided(self) -> int:
        return sum(len(outcome.undecided) for outcome in self.outcomes)


def corpus_auto_merge(
    *, corpus: Corpus, k: int, user: AbstractBaseUser | None, force: bool = False
) -> MergeReport:
    """Adjudicate each document with at least `k` submitted layers: gold is what `k` agree on.

    A document whose gold layer is already reviewed is skipped unless `force`. The report
    lists, per document, what went into gold and the items fewer than `k` people have.
    """
    if k < 1:
        raise InvalidInput("K must be 1 or more.")
    if user is not None and not user_may_review(user=user, corpus=corpus):
        raise Forbidden("Only a corpus owner or reviewer can write the gold layer.")
    report = MergeReport(k=k)
    for document in documents_to_merge(corpus=corpus, k=k):
        document.corpus = corpus
        if document.reviewed and not force:
            report.outcomes.append(
                MergeOutcome(document=document, submitted=document.submitted, adjudicated=False)
            )
            continue
        sources = review_sources(document=document, with_model=False)
        candidates = layers_merge(sources.contents)
        chosen = select_agreed(candidates, k)
        gold_adjudicate(
            document=document,
            user=user,
            content=content_from(chosen),
            sources=sources.layer_ids,
            method=f"agreed by at least {k}",
        )
        report.outcomes.append(
            MergeOutcome(
                document=document,
                submitted=document.submitted,
                adjudicated=True,
                counts={
                    "entities": len(chosen.entities),
                    "events": len(chosen.events),
                    "arguments": len(chosen.arguments),
                },
                undecided=undecided(candidates, chosen),
            )
        )
    return report
