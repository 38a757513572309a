"""Read a corpus's reviewed gold for training, and split it into training and held-out parts."""

import hashlib
from dataclasses import dataclass

from annotations.content import LayerContent
from annotations.models import Annotation
from annotations.services.content import layer_contents_read
from corpus.models import Corpus
from corpus.nlp.learned import GoldDocument

HELD_OUT_ONE_IN = 5  # a document is held out when its hash says so: the same ones every time
MIN_GOLD_TO_EVALUATE = 5  # with fewer, every gold document is learned from, none evaluated
READ_BATCH = 200


@dataclass(frozen=True)
class GoldLayer:
    """A reviewed gold layer as training reads it."""

    layer_id: int
    version: int
    document_id: int
    held_out: bool
    document: GoldDocument


def corpus_gold_read(*, corpus: Corpus) -> list[GoldLayer]:
    """Return the corpus's reviewed gold layers in document order, each marked held out or not.

    A document is held out when the hash of its id falls in one bucket of HELD_OUT_ONE_IN,
    so a document held out once stays held out as gold grows (no version learns from what
    another is judged on). With fewer than MIN_GOLD_TO_EVALUATE documents none is held out;
    with more but none (or all) in the bucket, the one whose hash is smallest is.
    """
    layers = list(
        Annotation.objects.filter(
            document__corpus=corpus,
            kind=Annotation.Kind.GOLD,
            status=Annotation.Status.REVIEWED,
        )
        .order_by("document_id")
        .values_list("pk", "version", "document_id", "document__text")
    )
    held = _held_out({document_id for _, _, document_id, _ in layers})
    gold = []
    for start in range(0, len(layers), READ_BATCH):
        batch = layers[start : start + READ_BATCH]
        contents = layer_contents_read([pk for pk, *_ in batch], with_relations=False)
        for pk, version, document_id, text in batch:
            document = _gold_document(text, contents[pk])
            gold.append(GoldLayer(pk, version, document_id, document_id in held, document))
    return gold


def _gold_document(text: str, content: LayerContent) -> GoldDocument:
    """The layer's entities, triggers and span-filled arguments, by offsets."""
    offsets = {span.id: (span.start, span.end) for span in content.spans}
    return GoldDocument(
        text=text,
        spans=tuple((span.start, span.end, span.label) for span in content.spans),
        events=tuple(
            (event.trigger_start, event.trigger_end, event.type) for event in content.events
        ),
        arguments=tuple(
            (event.trigger_start, event.trigger_end, argument.role, *offsets[argument.span])
            for event in content.events
            for argument in event.arguments
            if argument.span in offsets
        ),
    )


def gold_fingerprint(gold: list[GoldLayer]) -> str:
    """SHA-256 of the layers and versions read: the same gold gives the same fingerprint."""
    lines = "\n".join(f"{layer.layer_id}:{layer.version}" for layer in gold)
    return hashlib.sha256(lines.encode()).hexdigest()


def document_rank(document_id: int, *, salt: str = "") -> int:
    """A number fixed for the document (and `salt`) and spread evenly: splits that stay put."""
    return int(hashlib.sha256(f"{salt}{document_id}".encode()).hexdigest(), 16)


def _held_out(document_ids: set[int]) -> set[int]:
    if len(document_ids) < MIN_GOLD_TO_EVALUATE:
        return set()
    ranks = {pk: document_rank(pk) for pk in document_ids}
    held = {pk for pk, rank in ranks.items() if rank % HELD_OUT_ONE_IN == 0}
    if not held or held == document_ids:  # some to judge on, some to learn from
        held = {min(ranks, key=ranks.get)}
    return held
