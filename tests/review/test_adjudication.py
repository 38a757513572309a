"""Adjudication: the merged review of a document, and writing its gold layer (service and API)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.content import LayerContent, SpanItem
from annotations.models import Annotation
from annotations.services.content import layer_content_read
from config.errors import Conflict, Forbidden
from review.merge import content_from, layers_merge, select_agreed
from review.services import gold_adjudicate
from tests.factories import prediction_create
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def agreed_content(document) -> LayerContent:
    layers = Annotation.objects.filter(document=document, kind=Annotation.Kind.ANNOTATOR)
    contents = {layer.user.username: layer_content_read(layer) for layer in layers}
    return content_from(select_agreed(layers_merge(contents), 2))


def test_adjudicating_writes_a_reviewed_gold_layer_with_a_revision_and_provenance(
    document, reviewer, layers
):
    gold = gold_adjudicate(
        document=document,
        user=reviewer,
        content=agreed_content(document),
        sources=layers,
        method="agreed by at least 2",
    )
    assert (gold.kind, gold.status, gold.version) == ("gold", "reviewed", 1)
    assert spans_of(gold) == {(0, 10, "PER", "Kofi Annan")}
    assert events_of(gold) == {("Life.Die", "arrived", None, (("Victim", 1, "Kofi Annan"),))}
    origin = gold.origin
    assert origin["adjudicated_by"] == "rita-reviewer"
    assert origin["from"] == layers
    assert origin["method"] == "agreed by at least 2"
    assert origin["at"]
    [revision] = gold.revisions.all()
    assert (revision.version, revision.user) == (1, reviewer)
    assert [s["label"] for s in revision.snapshot["spans"]] == ["PER"]
    assert all(s["accepted"] and s["source"] == "human" for s in revision.snapshot["spans"])


def test_adjudicating_again_replaces_the_gold_content_one_version_further(
    document, reviewer, layers
):
    gold_adjudicate(document=document, user=reviewer, content=agreed_content(document))
    again = LayerContent(spans=[SpanItem(id="n1", start=22, end=30, label="GPE")])
    gold = gold_adjudicate(document=document, user=reviewer, content=again, version=1)
    assert gold.version == 2
    assert spans_of(gold) == {(22, 30, "GPE", "Damascus")}
    assert events_of(gold) == set()
    assert [r.version for r in gold.revisions.all()] == [2, 1]
    assert Annotation.objects.filter(document=document, kind="gold").count() == 1


def test_a_stale_gold_version_is_a_conflict_and_writes_nothing(document, reviewer, owner, layers):
    gold_adjudicate(document=document, user=owner, content=agreed_content(document))
    gold_adjudicate(document=document, user=owner, content=LayerContent(), version=1)
    with pytest.raises(Conflict) as raised:
        gold_adjudicate(
            document=document, user=reviewer, content=agreed_content(document), version=1
        )
    assert raised.value.extra["version"] == 2
    assert raised.value.extra["user"] == "olivia-owner"
    assert "now at version 2 (saved by olivia-owner" in raised.value.message
    gold = Annotation.objects.get(document=document, kind="gold")
    assert (gold.version, gold.spans.count()) == (2, 0)


def test_a_reviewer_who_saw_no_gold_conflicts_with_one_written_since(document, reviewer, layers):
    gold_adjudicate(document=document, user=reviewer, content=LayerContent())
    with pytest.raises(Conflict):
        gold_adjudicate(document=document, user=reviewer, content=LayerContent(), version=0)


def test_an_annotator_cannot_write_gold(document, annotator, layers):
    with pytest.raises(Forbidden):
        gold_adjudicate(document=document, user=annotator, content=LayerContent())
    assert not Annotation.objects.filter(document=document, kind="gold").exists()


# The API


@pytest.fixture
def api():
    return APIClient()


def review_url(document) -> str:
    return reverse("api-document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def test_the_review_shows_candidates_with_voters_and_flags(api, reviewer, document, layers):
    prediction = prediction_create(document)
    api.force_authenticate(reviewer)
    response = api.get(review_url(document))
    assert response.status_code == 200
    body = response.json()
    assert body["voters"] == [
        {"name": "ana-annotator", "layer": layers["ana-annotator"]},
        {"name": "ben-annotator", "layer": layers["ben-annotator"]},
        {"name": "model", "layer": prediction.pk},
    ]
    entities = [
        (e["id"], e["text"], e["voters"], e["agreed"], e["disputed"], e["conflicts"])
        for e in body["entities"]
    ]
    assert entities == [
        (
            "span:0:10:PER",
            "Kofi Annan",
            ["ana-annotator", "ben-annotator", "model"],
            True,
            False,
            [],
        ),
        ("span:22:30:GPE", "Damascus", ["ana-annotator", "model"], False, True, ["PER"]),
        ("span:22:30:PER", "Damascus", ["ben-annotator"], False, True, ["GPE"]),
    ]
    [event] = body["events"]
    assert (event["id"], event["text"], event["agreed"]) == (
        "event:11:18:Life.Die",
        "arrived",
        True,
    )
    arguments = [(a["role"], a["span"], a["voters"], a["agreed"]) for a in body["arguments"]]
    assert arguments == [
        ("Place", "span:22:30:GPE", ["ana-annotator", "model"], False),
        ("Victim", "span:0:10:PER", ["ana-annotator", "ben-annotator", "model"], True),
    ]
    assert body["gold"] is None


def test_accepting_where_two_agree_writes_gold_and_answers_with_the_layer(
    api, reviewer, document, layers
):
    api.force_authenticate(reviewer)
    response = api.post(review_url(document), {"action": "agreed", "k": 2}, format="json")
    assert response.status_code == 200
    gold = response.json()
    assert (gold["kind"], gold["status"], gold["version"]) == ("gold", "reviewed", 1)
    assert [(s["start"], s["end"], s["label"]) for s in gold["spans"]] == [(0, 10, "PER")]
    [event] = gold["events"]
    assert [(a["role"], a["span"]) for a in event["arguments"]] == [
        ("Victim", gold["spans"][0]["id"])
    ]
    assert gold["origin"]["from"] == layers
    review = api.get(review_url(document)).json()
    assert review["gold"]["id"] == gold["id"]


def test_taking_all_of_one_annotator_writes_their_items_as_gold(api, owner, document, layers):
    api.force_authenticate(owner)
    response = api.post(
        review_url(document), {"action": "take", "voter": "ben-annotator"}, format="json"
    )
    assert response.status_code == 200
    gold = Annotation.objects.get(document=document, kind="gold")
    assert spans_of(gold) == {(0, 10, "PER", "Kofi Annan"), (22, 30, "PER", "Damascus")}
    assert gold.origin["method"] == "all of ben-annotator"


def test_saving_edited_items_writes_gold_with_locking(api, reviewer, document, layers):
    api.force_authenticate(reviewer)
    first = api.post(review_url(document), {"action": "agreed", "k": 2}, format="json").json()
    edited = {
        "action": "save",
        "version": first["version"],
        "spans": [*first["spans"], {"id": "n1", "start": 22, "end": 30, "label": "GPE"}],
        "events": first["events"],
    }
    edited["events"][0]["arguments"].append({"role": "Place", "span": "n1"})
    saved = api.post(review_url(document), edited, format="json")
    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    gold = Annotation.objects.get(document=document, kind="gold")
    assert events_of(gold) == {
        ("Life.Die", "arrived", None, (("Place", 1, "Damascus"), ("Victim", 1, "Kofi Annan")))
    }
    stale = api.post(review_url(document), edited, format="json")
    assert stale.status_code == 409
    assert stale.json()["extra"]["version"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "merge"}, None),
        ({"action": "agreed", "k": 0}, "k"),
        ({"action": "take", "voter": "nobody"}, "voter"),
        ({"action": "save", "spans": [], "events": []}, "version"),
        (
            {"action": "save", "version": 0, "spans": [{"start": 5, "end": 2, "label": "PER"}],
             "events": []},
            "spans[0].end",
        ),
        ({"action": "save", "version": 0, "spans": [{"start": 0, "end": 4, "label": "XX"}],
          "events": []}, "spans[0].label"),
    ],
)  # fmt: skip
def test_a_bad_adjudication_is_a_400_naming_the_field(api, reviewer, document, layers, body, field):
    api.force_authenticate(reviewer)
    response = api.post(review_url(document), body, format="json")
    assert response.status_code == 400
    if field:
        assert field in [error["field"] for error in response.json()["extra"]["errors"]]
    assert not Annotation.objects.filter(document=document, kind="gold").exists()


def test_a_body_that_is_not_an_object_is_a_400(api, reviewer, document):
    api.force_authenticate(reviewer)
    assert api.post(review_url(document), [1], format="json").status_code == 400


def test_only_owners_and_reviewers_may_review(api, owner, annotator, reviewer, outsider, document):
    url = review_url(document)
    expected = {owner: 200, reviewer: 200, annotator: 403, outsider: 404}
    for user, code in expected.items():
        api.force_authenticate(user)
        assert api.get(url).status_code == code, user
        post = api.post(url, {"action": "agreed", "k": 1}, format="json")
        assert post.status_code == code, user
    api.force_authenticate(None)
    assert api.get(url).status_code in (401, 403)


def test_an_annotator_cannot_write_gold_through_the_review(api, annotator, document, layers):
    api.force_authenticate(annotator)
    response = api.post(
        review_url(document), {"action": "take", "voter": "ana-annotator"}, format="json"
    )
    assert response.status_code == 403
    assert not Annotation.objects.filter(document=document, kind="gold").exists()


def test_the_review_reads_a_fixed_number_of_queries(
    api, reviewer, document, layers, django_assert_num_queries
):
    prediction_create(document)
    api.force_authenticate(reviewer)
    api.post(review_url(document), {"action": "agreed", "k": 2}, format="json")
    # The gold layer's items come from its JSON kept when the POST answered with it.
    with django_assert_num_queries(9):
        assert api.get(review_url(document)).status_code == 200
