"""Agreement API: owners and reviewers read it as JSON or CSV, in a few queries at any size."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from review import selectors
from review.selectors import corpus_agreement
from tests.factories import DocumentFactory, UserFactory
from tests.review.agreement_layers import KAPPA, TEXT, annan, annotated, layer_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def bo(corpus):
    user = UserFactory(username="bo-annotator")
    corpus.memberships.create(user=user, role="annotator")
    return user


@pytest.fixture
def measured(corpus, annotator, bo):
    annotated(DocumentFactory(corpus=corpus, text=TEXT), annotator, bo)
    return corpus


def url(corpus, *, csv: bool = False) -> str:
    name = "api-corpus-agreement-csv" if csv else "api-corpus-agreement"
    return reverse(name, kwargs={"slug": corpus.slug})


def by_measure(comparison: dict) -> dict:
    return {(row["measure"], row["label"]): row for row in comparison["measures"]}


@pytest.mark.postgres
def test_owners_and_reviewers_read_agreement_annotators_get_403_outsiders_404(
    api, measured, owner, annotator, reviewer, outsider
):
    for address in (url(measured), url(measured, csv=True)):
        assert api.get(address).status_code in {401, 403}, address  # signed out
        for user, status in ((outsider, 404), (annotator, 403), (reviewer, 200), (owner, 200)):
            api.force_authenticate(user)
            assert api.get(address).status_code == status, (address, user.username)
        api.force_authenticate(None)


@pytest.mark.postgres
def test_agreement_gives_each_measure_for_the_pair_and_the_model_against_gold(
    api, measured, reviewer
):
    api.force_authenticate(reviewer)
    body = api.get(url(measured)).json()
    kinds = [(c["kind"], c["reference"], c["other"]) for c in body["comparisons"]]
    assert kinds == [
        ("pair", "ana-annotator", "bo-annotator"),
        ("all-pairs", "*", "*"),
        ("model", "gold", "test_model"),
    ]
    pair, pooled, model = (by_measure(c) for c in body["comparisons"])
    # The numbers are worked out in tests/review/agreement_layers.py.
    assert pair["entity_exact", None]["f1"] == 0.5
    assert pair["entity_exact", None]["precision"] is None
    assert pair["entity_exact", "GPE"]["f1"] == 1
    assert pair["entity_overlap", None]["f1"] == 1
    assert pair["token_kappa", None]["kappa"] == pytest.approx(KAPPA)
    assert pair["token_kappa", None]["tokens"] == 7
    assert pair["trigger", "Life.Die"]["f1"] == 1
    assert pair["argument", None]["f1"] == 0.5
    assert (pair["argument", "Place"]["f1"], pair["argument", "Victim"]["f1"]) == (1, 0)
    assert pooled == pair
    exact = model["entity_exact", None]
    assert (exact["precision"], exact["recall"], exact["f1"]) == (0.5, 0.5, 0.5)
    assert body["comparisons"][0]["documents"] == 1


def test_documents_with_one_submitted_layer_or_no_gold_are_not_compared(
    corpus, annotator, bo, api, owner
):
    document = DocumentFactory(corpus=corpus, text=TEXT)
    layer_add(document, annan(10), kind="annotator", user=annotator, status="submitted")
    layer_add(document, annan(4), kind="annotator", user=bo, status="draft")
    layer_add(document, annan(4), kind="prediction", model_name="test_model")
    assert corpus_agreement(corpus).comparisons == []
    api.force_authenticate(owner)
    assert api.get(url(corpus)).json()["comparisons"] == []


def test_csv_download_has_a_line_per_comparison_measure_and_label(api, measured, owner):
    api.force_authenticate(owner)
    response = api.get(url(measured, csv=True), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{measured.slug}-agreement.csv"' in response["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    row = next(
        line
        for line in lines
        if (line["kind"], line["measure"], line["label"]) == ("model", "entity_exact", "PER")
    )
    # PER: gold [0,10), model [0,4): nothing shared, P = 0 / 1, R = 0 / 1.
    assert (row["matched"], row["precision"], row["recall"], row["f1"]) == (
        "0",
        "0.0000",
        "0.0000",
        "0.0000",
    )
    assert {line["kind"] for line in lines} == {"pair", "all-pairs", "model"}


@pytest.mark.postgres
def test_agreement_reads_the_same_few_queries_for_two_or_six_documents(
    api, corpus, annotator, bo, owner
):
    api.force_authenticate(owner)
    numbers = iter(range(100))  # texts are unique in a corpus

    def queries(documents: int) -> int:
        for _ in range(documents):
            annotated(DocumentFactory(corpus=corpus, text=f"{TEXT} {next(numbers)}"), annotator, bo)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url(corpus)).status_code == 200
        return len(captured)

    few, more = queries(2), queries(4)  # two, then six documents
    assert few == more
    # The corpus, the roles, the layer list, then spans, events, arguments and tokens.
    assert more == 7


@pytest.mark.postgres
def test_batches_hold_whole_documents_and_give_the_same_report(corpus, annotator, bo):
    for number in range(5):
        annotated(DocumentFactory(corpus=corpus, text=f"{TEXT} {number}"), annotator, bo)
    # Four layers per document: a batch of 6 layers closes after two documents.
    with CaptureQueriesContext(connection) as captured:
        small = corpus_agreement(corpus, batch_size=6)
    assert len(captured) == 1 + 3 * 4  # layer list, then 3 batches of 4 queries
    assert small.as_dict() == corpus_agreement(corpus).as_dict()
    assert small.comparisons[0].documents == 5


def test_the_layer_list_is_read_in_pages_that_may_cut_a_document_with_the_same_report(
    corpus, annotator, bo, monkeypatch
):
    for number in range(5):
        annotated(DocumentFactory(corpus=corpus, text=f"{TEXT} {number}"), annotator, bo)
    whole = corpus_agreement(corpus).as_dict()
    monkeypatch.setattr(selectors, "PAGE", 3)  # 20 layers, four a document
    with CaptureQueriesContext(connection) as captured:
        paged = corpus_agreement(corpus)
    assert paged.as_dict() == whole
    assert paged.comparisons[0].documents == 5
    assert len(captured) == 7 + 4  # six full pages and one of 2 layers, then one batch


def test_three_annotators_make_three_pairs_and_the_pool_adds_their_counts(corpus, annotator, bo):
    cy = UserFactory(username="cy-annotator")
    document = DocumentFactory(corpus=corpus, text=TEXT)
    for user, person_end in ((annotator, 10), (bo, 4), (cy, 10)):
        layer_add(document, annan(person_end), kind="annotator", user=user, status="submitted")
    comparisons = corpus_agreement(corpus).comparisons
    exact = {
        (c.kind, c.reference, c.other): next(row for row in c.rows() if row.label is None)
        for c in comparisons
    }
    # ana and cy agree on both spans (F1 1); bo has PER [0,4), so 1 of 2 with either (0.5).
    assert {key[1:]: row.f1 for key, row in exact.items() if key[0] == "pair"} == {
        ("ana-annotator", "bo-annotator"): 0.5,
        ("ana-annotator", "cy-annotator"): 1,
        ("bo-annotator", "cy-annotator"): 0.5,
    }
    # Pooled: matched 1 + 2 + 1 = 4 of 6 and 6 items: F1 = 2 * 4 / 12 = 2/3, one document.
    assert exact["all-pairs", "*", "*"].f1 == pytest.approx(2 / 3)
    assert comparisons[3].documents == 1


def test_openapi_schema_documents_both_agreement_endpoints(api, owner):
    api.force_authenticate(owner)
    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/corpora/{slug}/agreement/:" in schema
    assert "/api/corpora/{slug}/agreement.csv:" in schema
    assert "corpora_agreement_csv" in schema
    assert "text/csv" in schema
