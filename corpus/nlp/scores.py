"""Entity confidence: run the entity recognizer step by step and keep each move's probability.

spaCy's transition-based recognizer picks, token by token, the best valid move
(B-, I-, L-, U- with a label, or O). This component makes exactly those moves,
through the recognizer's own `transition_states`, so the entities are the ones
the stock component finds; on the way it keeps the softmax probability of each
chosen move among the valid ones. An entity's score is the product over its
tokens: the model's probability of taking that whole path.

Which moves are valid is spaCy's to say (`moves.is_valid`), not ours: the rules
(no entity across a sentence start, none starting on whitespace, preset entities
kept, ...) live in its transition system. Asked about each of the 74 moves at
every token, it would take more than twice as long as the recognizer itself, so
each answer is remembered for its situation: everything those rules read (see
`situation`); the seed articles hold 16 situations in 1,619 tokens.
"""

from collections.abc import Hashable, Iterable, Iterator

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from spacy.util import minibatch

SCORES = "goldset_entity_scores"
Doc.set_extension(SCORES, default=None, force=True)

# What spaCy's BILUO moves read of a token (ner.pyx, each move's `is_valid`).
TOKEN_ATTRS = [ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START]


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
        self.valid_moves = ValidMoves(ner)

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
        tracks = {id(state): _Track(state.doc) for state in states}
        if any(len(doc) for doc in docs):
            step = self.ner.model.predict(docs)
            active = [state for state in states if not state.is_final()]
            while active:
                scores = step.predict(active)
                self._record(active, scores, [tracks[id(state)] for state in active])
                active = self.ner.transition_states(active, scores)
            step.clear_memory()
        self.ner.set_annotations(docs, states)
        for doc, state in zip(docs, states, strict=True):
            doc._.set(SCORES, tracks[id(state)].probs)

    def _record(self, states: list, scores: numpy.ndarray, tracks: list["_Track"]) -> None:
        """Keep the probability of the best valid move of each state: the one spaCy makes."""
        pairs = list(zip(states, tracks, strict=True))
        valid = numpy.stack([self.valid_moves(state, track) for state, track in pairs])
        # A state with no valid move is forced to its end by spaCy; its token gets 1.
        stuck = ~valid.any(axis=1)
        valid[stuck] = True
        masked = numpy.where(valid, scores, -numpy.inf)
        exp = numpy.exp(masked - masked.max(axis=1, keepdims=True))
        probs = numpy.where(stuck, 1.0, 1.0 / exp.sum(axis=1))
        # The first best valid score, as spaCy's `arg_max_if_valid` takes it.
        chosen = masked.argmax(axis=1)
        for (state, track), move, prob in zip(pairs, chosen, probs, strict=True):
            track.moves[state.B(0)] = int(move)
            track.probs[state.B(0)] = prob


class ValidMoves:
    """The moves spaCy's transition system allows in a state, asked once per situation."""

    def __init__(self, ner: EntityRecognizer) -> None:
        self.moves = ner.moves
        self.names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.known: dict[Hashable, numpy.ndarray] = {}

    def __call__(self, state, track: "_Track") -> numpy.ndarray:
        key = situation(state, track)
        valid = self.known.get(key)
        if valid is None:
            valid = self.known[key] = self.ask(state)
        return valid

    def ask(self, state) -> numpy.ndarray:
        """Return, for each move, whether spaCy allows it in `state`."""
        return numpy.array([self.moves.is_valid(state, name) for name in self.names], dtype=bool)


def situation(state, track: "_Track") -> Hashable:
    """Return everything spaCy's BILUO validity reads of `state`.

    That is the open entity's label (here: the move that opened it, which carries
    the label), and the preset entity tags, whitespace and sentence start of the
    next token and of the one after, if any. Two states in the same situation get
    the same valid moves, so spaCy is asked once per situation, not once per token
    (a test compares the two on the seed articles).
    """
    opened = track.moves[state.E(0)] if state.entity_is_open() else -1
    first, second = state.B(0), state.B(1)
    return opened, track.tokens[first], track.tokens[second] if second >= 0 else None


class _Track:
    """One document's parse so far: token attributes, moves made and their probabilities."""

    def __init__(self, doc: Doc) -> None:
        self.tokens = [tuple(row) for row in doc.to_array(TOKEN_ATTRS).tolist()]
        self.moves = [-1] * len(doc)
        self.probs = numpy.ones(len(doc), dtype="f")
