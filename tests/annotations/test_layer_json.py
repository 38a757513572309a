"""What is kept between requests, a layer's JSON per version and a schema's rules per edit:
an open after a save reads no items, and neither shows what a schema edit changed since."""

import pytest
from django.urls import reverse

from corpus.services.schema_edit import label_delete, label_rename
from corpus.services.schema_roles import role_rename
from tests.factories import prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def opened(api, document):
    prediction_create(document)
    url = reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    return api.post(url).json()


def layer_url(layer: dict) -> str:
    return reverse("api-layer-detail", kwargs={"pk": layer["id"]})


def test_an_open_after_a_save_answers_what_the_save_did_without_reading_items(
    api, opened, django_assert_num_queries
):
    spans = [opened["spans"][0], {**opened["spans"][1], "note": "the capital"}]
    saved = api.put(layer_url(opened), {**opened, "spans": spans}, format="json")
    assert saved.status_code == 200
    # The layer and the schema's latest edit: no item, and no role (it is the user's own).
    with django_assert_num_queries(2):
        reopened = api.get(layer_url(opened))
    assert reopened.json() == {key: value for key, value in saved.json().items() if key != "ids"}
    assert [span["note"] for span in reopened.json()["spans"]] == ["", "the capital"]


def test_each_version_is_answered_with_its_own_items(api, opened):
    for note in ["city", "capital", "city"]:
        layer = api.get(layer_url(opened)).json()
        spans = [layer["spans"][0], {**layer["spans"][1], "note": note}]
        api.put(layer_url(opened), {**layer, "spans": spans}, format="json")
        held = api.get(layer_url(opened)).json()
        assert (held["version"], held["spans"][1]["note"]) == (layer["version"] + 1, note)


@pytest.mark.parametrize(
    ("edit", "shown"),
    [
        (
            lambda corpus, owner: label_rename(
                corpus=corpus, actor=owner, kind="entity", key="PER", new_key="PERSON"
            ),
            lambda layer: [span["label"] for span in layer["spans"]] == ["PERSON", "GPE"],
        ),
        (
            lambda corpus, owner: role_rename(
                corpus=corpus, actor=owner, event_key="Life.Die", role_key="Victim", new_key="Dead"
            ),
            lambda layer: (
                {argument["role"] for argument in layer["events"][0]["arguments"]}
                == {"Dead", "Place"}
            ),
        ),
        (
            lambda corpus, owner: label_delete(
                corpus=corpus, actor=owner, kind="event", key="Life.Die", with_items=True
            ),
            lambda layer: layer["events"] == [],
        ),
    ],
    ids=["label renamed", "role renamed", "label deleted with its items"],
)
def test_a_schema_edit_shows_in_a_layer_opened_before(api, opened, corpus, owner, edit, shown):
    before = api.get(layer_url(opened)).json()
    edit(corpus, owner)
    after = api.get(layer_url(opened)).json()
    assert after["version"] == before["version"]
    assert shown(after), after


def test_an_indented_answer_holds_the_same_items(api, opened):
    api.get(layer_url(opened))  # kept
    indented = api.get(layer_url(opened), HTTP_ACCEPT="application/json; indent=2")
    assert b'\n  "spans": [\n' in indented.content
    assert indented.json() == api.get(layer_url(opened)).json()


def test_a_label_renamed_in_the_admin_shows_in_a_layer_opened_before(
    api, opened, corpus, admin_client
):
    api.get(layer_url(opened))  # kept
    per = corpus.schema.entity_types.get(key="PER")
    form = {"schema": per.schema_id, "key": "PERSON", "name": "Person", "order": 0}
    form |= {"color": "#a6cee3", "examples": "[]", "spacy_labels": "[]", "subtypes": "[]"}
    form |= {"nominals": "[]"}
    change = reverse("admin:corpus_entitytype_change", args=[per.pk])
    assert admin_client.post(change, form).status_code == 302

    assert [span["label"] for span in api.get(layer_url(opened)).json()["spans"]] == [
        "PERSON",
        "GPE",
    ]
    assert corpus.schema_changes.get().detail == "edited entity type PERSON in the admin"


def test_a_save_checks_against_the_schema_as_edited_since_the_last_save(api, opened, corpus, owner):
    spans = [opened["spans"][0], {**opened["spans"][1], "note": "kept"}]
    assert api.put(layer_url(opened), {**opened, "spans": spans}, format="json").status_code == 200
    label_rename(corpus=corpus, actor=owner, kind="entity", key="GPE", new_key="PLACE")

    layer = api.get(layer_url(opened)).json()
    stale = [layer["spans"][0], {**layer["spans"][1], "label": "GPE"}]
    refused = api.put(layer_url(opened), {**layer, "spans": stale}, format="json")
    assert refused.status_code == 400
    assert (
        "Unknown entity type 'GPE'; the schema has PER, PLACE."
        in refused.json()["extra"]["errors"][0]["message"]
    )
    assert api.put(layer_url(opened), layer, format="json").status_code == 200
