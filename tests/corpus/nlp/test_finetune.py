"""Fine-tuning the entity recognizer on gold: corrections learned, old entities kept, saved."""

import pytest
import spacy
from django.conf import settings

from corpus.nlp.finetune import aligned_spans, ner_finetune, ner_save, rehearsal_examples


def spans(text: str, *pairs: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Offsets of each surface's first occurrence in `text`, with its label."""
    return [(text.index(s), text.index(s) + len(s), label) for s, label in pairs]


# Complete gold: the dates are marked too, since unmarked tokens are trained as "O".
GOLD = [
    (text, spans(text, ("Baba Amr", "GPE"), *extra))
    for text, *extra in [
        ("Shelling of Baba Amr resumed on Monday.", ("Monday", "DATE")),
        ("Residents fled Baba Amr after the army advanced.",),
        ("Activists in Baba Amr said dozens of people were killed.",),
        ("The army shelled Baba Amr again on Tuesday.", ("Tuesday", "DATE")),
        ("Government forces pounded Baba Amr in the city of Homs.", ("Homs", "GPE")),
        ("Heavy fighting was reported in Baba Amr overnight.", ("overnight", "TIME")),
        ("Rebels withdrew from Baba Amr on Thursday.", ("Thursday", "DATE")),
        ("Aid convoys were blocked outside Baba Amr.",),
    ]
]
REHEARSAL = [
    "Kofi Annan arrived in Damascus on Saturday.",
    "Kofi Annan met Bashar al-Assad in Damascus.",
    "The United Nations said Russia and China opposed the plan.",
    "Hillary Clinton spoke in Washington on Friday.",
    # The base calls Baba Amr PERSON here; rehearsal must not teach that back.
    "Mortar rounds fell on Baba Amr all night.",
]
HELD_OUT = "Snipers fired on families trying to leave Baba Amr."
UNRELATED = "Kofi Annan will travel to Damascus next week."
EPOCHS = 4


def entities(nlp, text: str) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in nlp(text).ents]


@pytest.fixture(scope="module")
def base():
    return spacy.load(settings.SPACY_MODEL)


@pytest.fixture(scope="module")
def finetuned():
    return ner_finetune(settings.SPACY_MODEL, GOLD, REHEARSAL, epochs=EPOCHS, seed=0)


@pytest.mark.model
@pytest.mark.slow
def test_finetuned_model_types_an_unseen_mention_of_the_corrected_place_gpe(base, finetuned):
    assert ("Baba Amr", "PERSON") in entities(base, HELD_OUT)
    assert ("Baba Amr", "GPE") in entities(finetuned, HELD_OUT)


@pytest.mark.model
@pytest.mark.slow
def test_rehearsal_keeps_entities_the_base_model_got_right(base, finetuned):
    kept = [("Kofi Annan", "PERSON"), ("Damascus", "GPE")]
    assert set(kept) <= set(entities(base, UNRELATED))
    assert set(kept) <= set(entities(finetuned, UNRELATED))


@pytest.mark.model
@pytest.mark.slow
def test_rehearsal_leaves_the_base_labels_the_gold_corrects_unknown(base):
    text = "Mortar rounds fell on Baba Amr. Kofi Annan arrived in Damascus."
    (example,) = rehearsal_examples(base, [text], corrected={"Baba Amr": {"GPE"}})
    reference = example.reference
    assert [t.ent_iob_ for t in reference if t.text in {"Baba", "Amr"}] == ["", ""]
    assert [(e.text, e.label_) for e in reference.ents] == [
        ("Kofi Annan", "PERSON"),
        ("Damascus", "GPE"),
    ]
    assert reference[0].ent_iob_ == "O"


@pytest.mark.model
@pytest.mark.slow
def test_saved_model_loads_and_finds_the_same_entities(finetuned, tmp_path):
    ner_save(finetuned, tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    for text in (HELD_OUT, UNRELATED, *REHEARSAL):
        assert entities(loaded, text) == entities(finetuned, text)
    base_meta = spacy.load(settings.SPACY_MODEL).meta
    assert loaded.meta["name"] == base_meta["name"] + "_finetuned"
    assert loaded.meta["lang"] == base_meta["lang"]
    assert loaded.meta["version"] == base_meta["version"]
    assert loaded.meta["goldset_finetune"]["gold_documents"] == len(GOLD)
    assert loaded.meta["goldset_finetune"]["rehearsal_documents"] == len(REHEARSAL)


@pytest.mark.model
@pytest.mark.slow
def test_unalignable_and_overlapping_spans_are_skipped_and_counted():
    text = "Shelling of  Baba Amr resumed."
    bad = [
        (12, 12, "GPE"),  # empty
        (11, 12, "GPE"),  # only whitespace
        (40, 50, "GPE"),  # beyond the text
        (13, 21, "GPE"),  # Baba Amr: kept
        (18, 21, "PERSON"),  # inside Baba Amr
    ]
    examples = [(text, bad), *GOLD[:2]]
    seen = []

    nlp = ner_finetune(
        settings.SPACY_MODEL, examples, [], epochs=2, on_epoch=lambda *args: seen.append(args)
    )

    assert nlp.meta["goldset_finetune"]["skipped_spans"] == 4
    assert nlp.meta["goldset_finetune"]["gold_spans"] == 1 + 2 + 1
    assert [(epoch, epochs) for epoch, epochs, _ in seen] == [(1, 2), (2, 2)]
    assert all(isinstance(loss, float) and loss > 0 for *_, loss in seen)


def test_aligned_spans_widen_to_tokens_and_trim_whitespace():
    doc = spacy.blank("en")("Shelling of  Baba Amr resumed.")
    # 12 is the whitespace token between "of" and "Baba"; 3 and 19 fall inside words.
    found = aligned_spans(doc, [(12, 19, "GPE"), (0, 3, "ORG")])
    assert [(span.text, span.label_) for span in found] == [
        ("Shelling", "ORG"),
        ("Baba Amr", "GPE"),
    ]


@pytest.mark.model
@pytest.mark.slow
def test_same_seed_gives_identical_weights_and_entities(finetuned):
    again = ner_finetune(settings.SPACY_MODEL, GOLD, REHEARSAL, epochs=EPOCHS, seed=0)
    assert again.get_pipe("ner").model.to_bytes() == finetuned.get_pipe("ner").model.to_bytes()
    for text in (HELD_OUT, UNRELATED):
        assert entities(again, text) == entities(finetuned, text)
