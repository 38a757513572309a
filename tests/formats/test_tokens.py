"""Token and sentence offsets read off a spaCy Doc: exactly what its Token objects say."""

import pytest
import spacy

from formats.tokens import doc_offsets

TEXTS = [
    "",
    "   ",
    "Kofi Annan visited Damascus. He met Assad.",
    "  Leading and trailing whitespace.  \n\n  Another one.\n",
    "Homs\u00a0was shelled on Friday.\u00a0\u00a0Two died.",  # non-breaking spaces, as the seeds
    "Photo: AFP\n\n\n\nSyria's army — 12 \U0001f600 tanks — moved. \n \n Then? Nothing!",
]


@pytest.fixture(scope="module")
def nlp():
    english = spacy.blank("en")
    english.add_pipe("sentencizer")
    return english


def _tokens_of(doc) -> list[tuple[int, int]]:
    return [(token.idx, token.idx + len(token.text)) for token in doc if not token.is_space]


def _sentences_of(doc) -> list[tuple[int, int]]:
    sentences = []
    for sentence in doc.sents:
        words = [token for token in sentence if not token.is_space]
        if words:
            sentences.append((words[0].idx, words[-1].idx + len(words[-1].text)))
    return sentences


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_and_sentences_are_those_of_the_docs_tokens(nlp, text):
    doc = nlp(text)
    tokens, sentences = doc_offsets(doc)

    assert tokens == _tokens_of(doc)
    assert sentences == _sentences_of(doc)
    for start, end in tokens + sentences:
        assert text[start:end].strip() == text[start:end] != ""


def test_a_doc_without_sentence_boundaries_is_one_sentence():
    doc = spacy.blank("en")("No sentencizer here. Two sentences.")

    assert doc_offsets(doc)[1] == [(0, len(doc.text))]
