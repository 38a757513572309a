"""PATCH a layer: save what changed (items put and dropped), as the editor does."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from annotations.history import revision_get, revision_snapshot
from annotations.models import Annotation
from tests.factories import prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def opened(api, document):
    """ "Kofi Annan died in Damascus": Annan PER, Damascus GPE, Life.Die with Victim and Place."""
    prediction_create(document)
    url = reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    return api.post(url).json()


def url(layer: dict) -> str:
    return reverse("api-layer-detail", kwargs={"pk": layer["id"]})


def patch(api, layer: dict, **body):
    return api.patch(url(layer), {"version": layer["version"], **body}, format="json")


def test_a_patch_changes_what_it_names_and_answers_briefly(api, opened):
    annan, damascus = opened["spans"]
    answer = patch(api, opened, spans={"put": [{**damascus, "note": "the capital"}]})

    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "id": opened["id"],
        "version": 2,
        "updated_at": answer.json()["updated_at"],
        "ids": {"spans": {}, "events": {}, "relations": {}},
    }
    held = api.get(url(opened)).json()
    assert held["version"] == 2
    assert held["spans"] == [annan, {**damascus, "note": "the capital"}]
    assert held["events"] == opened["events"]


def test_new_items_get_ids_that_the_answer_names(api, opened):
    annan, _ = opened["spans"]
    [death] = opened["events"]
    body = {
        "spans": {"put": [{"id": "n1", "start": 0, "end": 4, "label": "PER"}]},
        "events": {"put": [{**death, "arguments": [{"role": "Victim", "span": "n1"}]}]},
    }
    answer = patch(api, opened, **body)

    assert answer.status_code == 200, answer.json()
    new_id = answer.json()["ids"]["spans"]["n1"]
    held = api.get(url(opened)).json()
    assert [span["id"] for span in held["spans"]] == [annan["id"], new_id, opened["spans"][1]["id"]]
    assert [argument["span"] for argument in held["events"][0]["arguments"]] == [new_id]


def test_dropping_a_span_an_unchanged_event_needs_is_refused_naming_the_event(api, opened):
    annan, _ = opened["spans"]
    [death] = opened["events"]
    answer = patch(api, opened, spans={"drop": [annan["id"]]})

    assert answer.status_code == 400
    [problem] = answer.json()["extra"]["errors"]
    assert problem["field"] == f"events[id={death['id']}].arguments[0].span"
    assert problem["message"] == f"No span {annan['id']} in this layer."
    assert Annotation.objects.get(pk=opened["id"]).version == 1

    fixed = {**death, "arguments": [a for a in death["arguments"] if a["role"] != "Victim"]}
    answer = patch(api, opened, spans={"drop": [annan["id"]]}, events={"put": [fixed]})
    assert answer.status_code == 200, answer.json()
    assert [span["label"] for span in api.get(url(opened)).json()["spans"]] == ["GPE"]


def test_a_relabel_an_unchanged_event_role_does_not_take_is_refused(api, opened):
    annan, _ = opened["spans"]
    [death] = opened["events"]
    answer = patch(api, opened, spans={"put": [{**annan, "label": "GPE"}]})

    assert answer.status_code == 400
    [problem] = answer.json()["extra"]["errors"]
    assert problem["field"] == f"events[id={death['id']}].arguments[0].span"
    assert problem["message"].startswith("Role Victim of Life.Die takes PER, not GPE")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"spans": [1]}, "spans", 'spans must be an object with "put" and "drop" lists.'),
        ({"spans": {"put": {}}}, "spans.put", "put must be a list."),
        ({"spans": {"put": [{"start": 0}]}}, "spans.put[0].id", "id must be an integer or"),
        ({"events": {"drop": ["e1"]}}, "events.drop[0]", "Drop events by their integer ids."),
        ({"spans": {"drop": [999999]}}, "spans.drop[0]", "No span 999999 in this layer."),
        (
            {"spans": {"put": [{"id": "n1", "start": 0, "end": 99, "label": "PER"}]}},
            "spans.put[0].end",
            "end",
        ),
        (
            {"spans": {"put": [{"id": "n1", "start": 0, "end": 4, "label": "ORG"}]}},
            "spans.put[0].label",
            "Unknown entity type 'ORG'",
        ),
    ],
)
def test_a_bad_patch_says_what_and_where_and_writes_nothing(api, opened, body, field, message):
    answer = patch(api, opened, **body)
    assert answer.status_code == 400
    [problem] = answer.json()["extra"]["errors"]
    assert problem["field"] == field
    assert problem["message"].startswith(message), problem
    assert Annotation.objects.get(pk=opened["id"]).version == 1


def test_a_stale_patch_is_a_409_and_writes_nothing(api, opened):
    _, damascus = opened["spans"]
    assert patch(api, opened, spans={"put": [{**damascus, "note": "one"}]}).status_code == 200
    stale = patch(api, opened, spans={"put": [{**damascus, "note": "two"}]})
    assert stale.status_code == 409
    assert stale.json()["extra"]["version"] == 2
    assert api.get(url(opened)).json()["spans"][1]["note"] == "one"


def test_a_patch_of_another_annotators_layer_is_forbidden(api, opened, reviewer):
    api.force_authenticate(reviewer)
    assert patch(api, opened, spans={"drop": []}).status_code in (403, 404)


def test_each_patch_has_a_revision_that_restores_that_version(api, opened):
    layer = opened
    for note in ["one", "two", "three"]:
        damascus = layer["spans"][1]
        assert patch(api, layer, spans={"put": [{**damascus, "note": note}]}).status_code == 200
        layer = api.get(url(opened)).json()
        held = Annotation.objects.get(pk=layer["id"])
        revision = revision_get(layer=held, version=layer["version"])
        restored = revision_snapshot(revision)
        assert restored["spans"] == layer["spans"]
        assert restored["events"] == layer["events"]
        assert revision.delta is not None  # a delta from the version before, not a keyframe


def test_a_patch_takes_a_fixed_number_of_queries(api, opened, django_assert_num_queries):
    _, damascus = opened["spans"]
    assert patch(api, opened, spans={"put": [{**damascus, "note": "x"}]}).status_code == 200
    layer = api.get(url(opened)).json()
    # The layer (the user's own: no role read), the schema's stamp (read once, for its rules,
    # the JSON kept of the version held and the JSON kept of the new one), a savepoint (2),
    # the claim, the span written again (2), the revision (2), the reservation: no item read.
    with django_assert_num_queries(10):
        answer = patch(api, layer, spans={"put": [{**damascus, "note": "y"}]})
    assert answer.status_code == 200


def test_a_patch_reads_the_layer_when_nothing_is_kept_of_it(api, opened):
    caches["layers"].clear()  # another server's process, or an entry evicted
    _, damascus = opened["spans"]
    answer = patch(api, opened, spans={"put": [{**damascus, "note": "read"}]})
    assert answer.status_code == 200, answer.json()
    held = api.get(url(opened)).json()
    assert [span["note"] for span in held["spans"]] == ["", "read"]
    assert held["events"] == opened["events"]
