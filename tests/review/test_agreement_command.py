"""`manage.py agreement CORPUS`: a table by default, JSON as the API gives it, or CSV."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DocumentFactory, UserFactory
from tests.review.agreement_layers import KAPPA, TEXT, annotated

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(corpus, annotator):
    bo = UserFactory(username="bo-annotator")
    corpus.memberships.create(user=bo, role="annotator")
    annotated(DocumentFactory(corpus=corpus, text=TEXT), annotator, bo)
    return corpus


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("agreement", *args, stdout=out)
    return out.getvalue()


def test_table_shows_each_comparison_with_f1_and_kappa(measured):
    table = run(measured.slug)
    assert "ana-annotator and bo-annotator (1 document)" in table
    assert "model test_model against gold (1 document)" in table
    lines = table.splitlines()
    # The numbers are worked out in tests/review/agreement_layers.py.
    exact = next(line for line in lines if line.startswith("entity_exact") and " all " in line)
    assert exact.split()[2:4] == ["F1", "0.500"]
    kappa = next(line for line in lines if line.startswith("token_kappa") and " all " in line)
    assert f"kappa {KAPPA:.3f}" in kappa
    assert "7 tokens" in kappa


def test_json_is_what_the_api_gives(measured):
    report = json.loads(run(measured.slug, "--format", "json"))
    pair = report["comparisons"][0]
    row = next(r for r in pair["measures"] if (r["measure"], r["label"]) == ("argument", None))
    assert row["f1"] == 0.5


def test_csv_has_one_line_per_comparison_measure_and_label(measured):
    lines = list(csv.DictReader(io.StringIO(run(measured.slug, "--format", "csv"))))
    model = [line for line in lines if line["kind"] == "model" and line["measure"] == "trigger"]
    assert [(line["label"], line["f1"]) for line in model] == [
        ("", "1.0000"),
        ("Life.Die", "1.0000"),
    ]


def test_a_corpus_with_nothing_to_compare_says_so(corpus):
    assert "nothing to compare yet" in run(corpus.slug)


def test_an_unknown_corpus_is_an_error(db):
    with pytest.raises(CommandError, match="No corpus 'nope'"):
        run("nope")
