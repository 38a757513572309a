"""Analyse texts with a spaCy pipeline into offsets a corpus can store."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

Offsets = tuple[int, int]


@dataclass(frozen=True)
class EntityMention:
    """An entity found by the model, with its label mapped onto the corpus schema."""

    start: int
    end: int
    label: str
    model_label: str
    score: float | None = None


@dataclass
class Analysis:
    """What the pipeline found in one text; offsets are Python code points."""

    tokens: list[Offsets]
    sentences: list[Offsets]
    entities: list[EntityMention]
    unmapped: Counter[str] = field(default_factory=Counter)


def analyze(
    texts: Iterable[str], *, nlp: Language, label_map: dict[str, str], batch_size: int = 16
) -> Iterator[Analysis]:
    """Yield one Analysis per text, in order, mapping model labels through `label_map`.

    Entities whose label has no mapping are dropped and counted in `unmapped`.
    """
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield doc_analysis(doc, label_map=label_map)


def doc_analysis(doc: Doc, *, label_map: dict[str, str]) -> Analysis:
    """Turn a processed Doc into an Analysis."""
    analysis = Analysis(tokens=doc_tokens(doc), sentences=doc_sentences(doc), entities=[])
    for ent in doc.ents:
        label = label_map.get(ent.label_)
        if label is None:
            analysis.unmapped[ent.label_] += 1
            continue
        analysis.entities.append(
            EntityMention(
                start=ent.start_char, end=ent.end_char, label=label, model_label=ent.label_
            )
        )
    return analysis


def doc_tokens(doc: Doc) -> list[Offsets]:
    """Return the offsets of every token that is not whitespace."""
    return [(token.idx, token.idx + len(token.text)) for token in doc if not token.is_space]


def doc_sentences(doc: Doc) -> list[Offsets]:
    """Return sentence offsets without leading or trailing whitespace tokens."""
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc.text))] if doc.text else []
    sentences = []
    for sent in doc.sents:
        words = [token for token in sent if not token.is_space]
        if words:
            sentences.append((words[0].idx, words[-1].idx + len(words[-1].text)))
    return sentences
