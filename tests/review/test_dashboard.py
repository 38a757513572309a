"""The dashboard: owners and reviewers see who did what and how fast, and the labels, as charts."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import Annotation, Revision
from review.charts import Bar, bar_chart, heat_map
from review.dashboard import annotator_figures, label_counts
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory, span_create

pytestmark = pytest.mark.postgres


@pytest.fixture
def second_annotator(corpus):
    user = UserFactory(username="ben-annotator")
    corpus.memberships.create(user=user, role="annotator")
    return user


def submitted(document, user, *, minutes: float) -> Annotation:
    """A submitted layer whose first and last revisions are `minutes` apart."""
    layer = AnnotationFactory(
        document=document, kind="annotator", user=user, model_name="", status="submitted"
    )
    start = timezone.now() - datetime.timedelta(hours=1)
    for version, at in ((1, start), (2, start + datetime.timedelta(minutes=minutes))):
        revision = Revision.objects.create(annotation=layer, version=version, snapshot={})
        Revision.objects.filter(pk=revision.pk).update(created_at=at)
    return layer


@pytest.fixture
def annotated(corpus, annotator, second_annotator):
    """Ana submitted two documents (6 and 10 minutes), Ben one (4 minutes) and has a draft."""
    documents = [
        DocumentFactory(corpus=corpus, text=f"Annan met Assad in Damascus {i}.") for i in range(3)
    ]
    first = submitted(documents[0], annotator, minutes=6)
    span_create(first, 0, 5, "PER")
    span_create(first, 10, 15, "PER")
    submitted(documents[1], annotator, minutes=10)
    span_create(submitted(documents[0], second_annotator, minutes=4), 19, 27, "GPE")
    AnnotationFactory(document=documents[2], kind="annotator", user=second_annotator, model_name="")
    gold = AnnotationFactory(document=documents[0], kind="gold", model_name="", status="reviewed")
    span_create(gold, 0, 5, "PER")
    return documents


def test_each_annotator_has_counts_time_per_document_and_pace(corpus, annotated):
    ana, ben = annotator_figures(corpus=corpus)

    assert (ana.username, ana.submitted, ana.draft) == ("ana-annotator", 2, 0)
    assert ana.median_seconds == pytest.approx(8 * 60)  # median of 6 and 10 minutes
    assert ana.per_hour == pytest.approx(2 / (16 / 60))  # 2 documents in 16 minutes: 7.5
    assert (ben.submitted, ben.draft) == (1, 1)
    assert ben.median_seconds == pytest.approx(4 * 60)
    assert ben.per_hour == pytest.approx(15)


def test_labels_are_counted_in_the_gold_and_in_submitted_layers(corpus, annotated):
    counts = label_counts(corpus=corpus)

    assert counts.entities == {"annotator": {"PER": 2, "GPE": 1}, "gold": {"PER": 1}}
    assert counts.events == {}


def test_owners_and_reviewers_see_the_dashboard_others_do_not(
    client, corpus, owner, reviewer, annotator, outsider, annotated
):
    url = f"/corpora/{corpus.slug}/dashboard/"
    for user in (owner, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "ana-annotator" in response.content.decode()
        assert "<svg" in response.content.decode()
    client.force_login(annotator)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_api_gives_the_same_figures_in_a_bounded_number_of_queries(
    corpus, reviewer, annotated, django_assert_max_num_queries
):
    api = APIClient()
    api.force_authenticate(reviewer)

    # Five aggregates and the agreement's seven reads, whatever the number of documents.
    with django_assert_max_num_queries(12):
        response = api.get(f"/api/corpora/{corpus.slug}/dashboard/")

    assert response.status_code == 200
    body = response.json()
    assert body["states"] == {
        "new": 0,
        "pre-annotated": 0,
        "in progress": 1,  # Ben's draft
        "annotated": 1,  # Ana's second document: one submitted layer is enough here
        "reviewed": 1,  # the gold one
    }
    assert [person["submitted"] for person in body["annotators"]] == [2, 1]
    assert body["entities"]["gold"] == {"PER": 1}
    (pair,) = body["pairs"]
    assert (pair["first"], pair["second"], pair["documents"]) == (
        "ana-annotator",
        "ben-annotator",
        1,
    )
    # On their common document Ana has Annan and Assad (PER), Ben Damascus (GPE): no match.
    assert pair["scores"]["entity_exact"] == 0


def test_charts_write_every_value_and_escape_their_text():
    svg = bar_chart([Bar("<b>PER</b>", 12), Bar("GPE", 3)], title="Entities & events")

    assert "&lt;b&gt;PER&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert ">12<" in svg
    assert ">3<" in svg
    assert "<title>Entities &amp; events</title>" in svg


def test_a_heat_map_writes_each_pair_value_and_marks_the_missing_ones():
    svg = heat_map(["ana", "ben", "cy"], {("ana", "ben"): 0.75, ("ben", "ana"): 0.75}, title="F1")

    assert svg.count(">0.75<") == 2
    assert ">n/a<" in svg  # ana and cy never annotated the same document
