"""Adjudication: write a document's gold layer from the layers compared, or a corpus's in bulk."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from annotations.content import LayerContent
from annotations.models import Annotation
from annotations.services.layers.gold import gold_write
from config.errors import Forbidden, InvalidInput
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
    origin = {
        "adjudicated_by": user.get_username() if user is not None else COMMAND_LINE,
        "method": method,
        "from": dict(sources or {}),
        "at": timezone.now().isoformat(),
    }
    return gold_write(
        document=document,
        content=content,
        origin=origin,
        user=user,
        version=version,
        keep_relations=True,
    )


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
