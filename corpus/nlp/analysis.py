"""Analyse texts with a spaCy pipeline into offsets, entities and events a corpus can store."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from corpus.nlp.events import EVENTS, EventMention
from corpus.nlp.scores import entity_score
from formats.tokens import doc_offsets

Offsets = tuple[int, int]

# Texts per nlp.pipe call are capped by characters as well as by count: the parser
# holds ≈ 16 to 19 KB per token in flight, so 100,000 characters (≈ 20,000 tokens) stay
# well under half a gigabyte however long the articles are.
BATCH_CHARS = 100_000


@dataclass(frozen=True)
class EntityMention:
    """An entity found by the model, with its label mapped onto the corpus schema."""

    start: int
    end: int
    label: str
    model_label: str
    score: float | None = None
    learned_from: int = 0  # how many gold documents taught this (0: the base model)
    raw_score: float | None = None  # the model's own score, when `score` is calibrated


@dataclass
class Analysis:
    """What the pipeline found in one text; offsets are Python code points."""

    tokens: list[Offsets]
    sentences: list[Offsets]
    entities: list[EntityMention]
    events: list[EventMention] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class AnalysisFailure:
    """A text the pipeline could not process, and why."""

    message: str


def analyze(
    texts: Iterable[str],
    *,
    nlp: Language,
    label_map: dict[str, str],
    batch_size: int = 16,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[Analysis | AnalysisFailure]:
    """Yield one Analysis (or AnalysisFailure) per text, in order.

    Entities whose label has no mapping in `label_map` are dropped and counted in
    `unmapped`. A text that makes the pipeline fail is reported, and the rest of its
    batch is still analysed.
    """
    for batch in _batches(texts, batch_size, batch_chars):
        yield from _analyze_batch(batch, nlp=nlp, label_map=label_map)


def _analyze_batch(
    texts: list[str], *, nlp: Language, label_map: dict[str, str]
) -> Iterator[Analysis | AnalysisFailure]:
    if all(len(text) <= nlp.max_length for text in texts):
        try:
            docs = list(nlp.pipe(texts, batch_size=len(texts)))
        except Exception:
            docs = None
        if docs is not None:
            for doc in docs:
                yield doc_analysis(doc, label_map=label_map)
            return
    for text in texts:
        yield _analyze_one(text, nlp=nlp, label_map=label_map)


def _analyze_one(text: str, *, nlp: Language, label_map: dict[str, str]):
    if len(text) > nlp.max_length:
        return AnalysisFailure(
            f"text of {len(text):,} characters is longer than the pipeline's limit "
            f"of {nlp.max_length:,}; split the article"
        )
    try:
        return doc_analysis(nlp(text), label_map=label_map)
    except Exception as error:
        return AnalysisFailure(f"the pipeline failed: {type(error).__name__}: {error}")


def _batches(texts: Iterable[str], size: int, chars: int) -> Iterator[list[str]]:
    batch: list[str] = []
    length = 0
    for text in texts:
        if batch and (len(batch) >= size or length + len(text) > chars):
            yield batch
            batch, length = [], 0
        batch.append(text)
        length += len(text)
    if batch:
        yield batch


def doc_analysis(doc: Doc, *, label_map: dict[str, str]) -> Analysis:
    """Turn a processed Doc into an Analysis."""
    tokens, sentences = doc_offsets(doc)
    analysis = Analysis(
        tokens=tokens,
        sentences=sentences,
        entities=[],
        events=list(doc._.get(EVENTS) or []),
    )
    for ent in doc.ents:
        label = label_map.get(ent.label_)
        if label is None:
            analysis.unmapped[ent.label_] += 1
            continue
        analysis.entities.append(
            EntityMention(
                start=ent.start_char,
                end=ent.end_char,
                label=label,
                model_label=ent.label_,
                score=_rounded(entity_score(doc, ent.start, ent.end)),
            )
        )
    return analysis


def _rounded(score: float | None) -> float | None:
    """Scores keep three decimals and stay inside (0, 1], as the database requires."""
    if score is None:
        return None
    return min(1.0, max(0.001, round(score, 3)))
