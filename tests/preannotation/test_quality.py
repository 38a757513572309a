"""Pre-annotation quality on the seed articles cannot silently fall (see `bench/quality.py`).

The floors sit a little under the figures in the README; raise them when quality improves.
"""

import json

import pytest
import spacy

from bench.quality import evaluate
from bench.seed_gold import PRESET_PATH, seed_gold
from corpus.nlp.pipeline import pipeline_load
from corpus.nlp.spec import preset_pipeline_spec
from corpus.selectors import schema_pipeline_spec
from corpus.services.schemas import schema_get_or_create

pytestmark = [pytest.mark.model, pytest.mark.slow]

FLOORS = {
    "names_and_times": 0.74,
    "triggers": 0.68,
    "arguments": 0.38,
}


@pytest.fixture(scope="module")
def report(nlp):
    return evaluate(nlp.meta["lang"] + "_" + nlp.meta["name"])


@pytest.mark.parametrize(("figure", "floor"), FLOORS.items())
def test_f1_stays_above_its_floor(report, figure, floor):
    assert getattr(report, figure).f1 >= floor


def test_scored_entities_are_exactly_those_of_the_stock_pipeline(nlp):
    stock = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    ours = pipeline_load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    for document in seed_gold():
        expected = [(e.start_char, e.end_char, e.label_) for e in stock(document.text).ents]
        found = [(e.start_char, e.end_char, e.label_) for e in ours(document.text).ents]
        assert found == expected


@pytest.mark.django_db
def test_stored_schema_gives_the_pipeline_what_the_preset_file_says():
    schema = schema_get_or_create(name_or_path="ace2005")
    data = json.loads(PRESET_PATH.read_text(encoding="utf-8"))
    assert schema_pipeline_spec(schema) == preset_pipeline_spec(data)
    assert len(preset_pipeline_spec(data)["event_types"]) == 33
