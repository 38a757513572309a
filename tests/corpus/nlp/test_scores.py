"""Entity scores: spaCy's transition system says which moves are valid, remembered per situation."""

import numpy
import pytest

from bench.seed_gold import seed_gold
from corpus.nlp.scores import SCORES, ValidMoves, entity_score

pytestmark = [pytest.mark.model, pytest.mark.slow]


class AskedEveryTime(ValidMoves):
    """Valid moves that also asks spaCy afresh at every step and keeps any disagreement."""

    def __init__(self, ner) -> None:
        super().__init__(ner)
        self.steps = 0
        self.disagreements: list[tuple[int, int]] = []

    def __call__(self, state, track):
        remembered = super().__call__(state, track)
        self.steps += 1
        if not numpy.array_equal(remembered, self.ask(state)):
            self.disagreements.append((id(state.doc), state.B(0)))
        return remembered


@pytest.fixture
def scorer(nlp):
    return nlp.get_pipe("goldset_entity_scores")


def prepared(nlp, text: str):
    """Return `text` as the scorer receives it: tokenized and split into sentences."""
    with nlp.select_pipes(disable=["goldset_entity_scores"]):
        return nlp(text)


def test_remembered_valid_moves_are_what_spacy_says_at_every_step(nlp, scorer):
    checked = AskedEveryTime(scorer.ner)
    docs = [prepared(nlp, document.text) for document in seed_gold()]
    docs.append(prepared(nlp, "Talks in  Geneva ended.\n\nAssad's forces shelled Homs on Friday."))
    original, scorer.valid_moves = scorer.valid_moves, checked
    try:
        list(scorer.pipe(docs))
    finally:
        scorer.valid_moves = original
    assert checked.steps == sum(len(doc) for doc in docs)
    assert checked.disagreements == []


def test_preset_entity_is_kept_with_certainty(nlp, scorer):
    doc = prepared(nlp, "Talks between the Syrian National Council and Moscow resumed.")
    preset = doc.char_span(18, 41, label="ORG")
    doc.set_ents([preset], default="unmodified")
    stock = nlp.get_pipe("ner")(doc.copy())
    ours = scorer(doc)
    spans = [(ent.start_char, ent.end_char, ent.label_) for ent in ours.ents]
    assert spans == [(e.start_char, e.end_char, e.label_) for e in stock.ents]
    assert (18, 41, "ORG") in spans
    assert entity_score(ours, preset.start, preset.end) == 1.0


def test_every_token_gets_a_probability(nlp):
    doc = nlp("Rebels said on Sunday they had taken Idlib.")
    probs = doc._.get(SCORES)
    assert len(probs) == len(doc)
    assert all(0.0 < p <= 1.0 for p in probs)
