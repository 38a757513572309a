"""Entity confidence: run the entity recognizer step by step and keep each move's probability.

spaCy's transition-based recognizer picks, token by token, the best valid move
(B-, I-, L-, U- with a label, or O). This component makes exactly those moves,
through the recognizer's own `transition_states`, so the entities are the ones
the stock component finds; on the way it keeps the softmax probability of each
chosen move among the valid ones. An entity's score is the product over its
tokens: the model's probability of taking that whole path.
"""

from collections.abc import Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from spacy.util import minibatch

SCORES = "goldset_entity_scores"
Doc.set_extension(SCORES, default=None, force=True)

BEGIN, IN, LAST, UNIT, OUT = "B", "I", "L", "U", "O"


@Language.factory("goldset_entity_scores", default_config={"ner": "ner"})
def make_entity_scorer(nlp: Language, name: str, ner: str) -> "EntityScorer":
    return EntityScorer(nlp.get_pipe(ner), name=name)


def entity_score(doc: Doc, start: int, end: int) -> float | None:
    """Return the probability of the entity over tokens `[start, end)`, if it was scored."""
    token_probs = doc._.get(SCORES)
    if token_probs is None:
        return None
    return float(numpy.prod(token_probs[start:end]))


class EntityScorer:
    """Sets `doc.ents` as the wrapped recognizer would, plus per-token move probabilities."""

    def __init__(self, ner: EntityRecognizer, *, name: str) -> None:
        self.ner = ner
        self.name = name
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self._action = numpy.array([move.split("-", 1)[0] for move in names])
        self._label = numpy.array([move.split("-", 1)[1] if "-" in move else "" for move in names])

    def __call__(self, doc: Doc) -> Doc:
        self.predict([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.predict(batch)
            yield from batch

    def predict(self, docs: list[Doc]) -> None:
        """Recognize entities in `docs` and store each token's move probability on the doc."""
        states = self.ner.moves.init_batch(docs)
        tracks = {id(state): _Track() for state in states}
        if any(len(doc) for doc in docs):
            step = self.ner.model.predict(docs)
            active = [state for state in states if not state.is_final()]
            while active:
                scores = step.predict(active)
                for state, row in zip(active, scores, strict=True):
                    self._record(state, row, tracks[id(state)])
                active = self.ner.transition_states(active, scores)
            step.clear_memory()
        self.ner.set_annotations(docs, states)
        for doc, state in zip(docs, states, strict=True):
            doc._.set(SCORES, numpy.array(tracks[id(state)].probs[: len(doc)], dtype="f"))

    def _record(self, state, row: numpy.ndarray, track: "_Track") -> None:
        """Keep the softmax probability of the best valid move, as `transition_states` picks it."""
        valid = self._valid(state, track.open_label)
        if not valid.any():
            track.probs.append(1.0)
            return
        masked = numpy.where(valid, row, -numpy.inf)
        exp = numpy.exp(masked - masked.max())
        chosen = int(exp.argmax())
        track.probs.append(float(exp[chosen] / exp.sum()))
        action = self._action[chosen]
        if action == BEGIN:
            track.open_label = self._label[chosen]
        elif action in (LAST, UNIT, OUT):
            track.open_label = None

    def _valid(self, state, open_label: str | None) -> numpy.ndarray:
        """Which moves the BILUO system allows here (spaCy's rules, without preset entities)."""
        doc = state.doc
        i = state.B(0)
        is_last = i + 1 >= len(doc)
        next_starts_sentence = not is_last and doc[i + 1].is_sent_start is True
        labelled = self._label != ""
        if open_label is not None:
            same = self._label == open_label
            can_continue = not is_last and not next_starts_sentence
            return same & ((self._action == LAST) | ((self._action == IN) & can_continue))
        space = doc[i].is_space
        begin_ok = not is_last and not next_starts_sentence and not space
        return (
            (self._action == OUT)
            | ((self._action == UNIT) & labelled & (not space))
            | ((self._action == BEGIN) & labelled & begin_ok)
        )


class _Track:
    """What one document's parse has done so far: move probabilities and the open label."""

    def __init__(self) -> None:
        self.probs: list[float] = []
        self.open_label: str | None = None
