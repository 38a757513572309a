"""The schema editor: owners edit, add, rename, merge and delete labels; shared schemas are copied.

Personas: owner (Olivia), annotator (Ana), reviewer (Rita) and outsider (Oscar) on one corpus
with the tiny test schema (PER, GPE; Life.Die with Victim and Place). A 500 fails every case.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Event, Span
from corpus.models import EntityType, SchemaChange
from corpus.services.schema_edit import contrast_ratio
from tests.factories import AnnotationFactory, CorpusFactory, prediction_create, span_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def schema_url(corpus) -> str:
    return reverse("corpus-schema", kwargs={"slug": corpus.slug})


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def layers(document):
    """Two layers of the corpus's document, with three PER spans between them."""
    first = AnnotationFactory(document=document, model_name="one")
    second = AnnotationFactory(document=document, model_name="two")
    span_create(first, 0, 10, "PER")
    span_create(first, 22, 30, "GPE")
    span_create(second, 0, 4, "PER")
    span_create(second, 5, 10, "PER")
    return first, second


def save(client, url, key="PER", kind="entity", **fields):
    data = {"action": "save", "kind": kind, "key": key, "name": "Person", "color": "#a6cee3"}
    return client.post(url, {**data, "hotkey": "", "description": "", **fields})


def test_only_owners_see_the_page_others_get_403_and_outsiders_404(
    client, schema_url, owner, annotator, reviewer, outsider
):
    for user, status in ((owner, 200), (annotator, 403), (reviewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get(schema_url).status_code == status
        assert save(client, schema_url, name="X").status_code in (status, 302)


def test_the_page_lists_types_roles_and_the_corpus_page_links_to_it(as_owner, corpus, schema_url):
    page = as_owner.get(schema_url).content.decode()
    for text in ("PER", "GPE", "Life.Die", "Victim", 'type="color"'):
        assert text in page
    assert schema_url in as_owner.get(corpus.get_absolute_url()).content.decode()


def test_an_owner_changes_a_colour_and_hotkey(as_owner, corpus, schema_url):
    response = save(as_owner, schema_url, color="#FF0000", hotkey="P")

    assert response.status_code == 302
    per = EntityType.objects.get(schema=corpus.schema, key="PER")
    assert (per.color, per.hotkey) == ("#ff0000", "p")
    assert SchemaChange.objects.filter(corpus=corpus, action="edit").exists()


@pytest.mark.parametrize(
    ("hotkey", "says"), [("a", "the editor"), ("%", "not one letter"), ("g", "already")]
)
def test_a_bad_hotkey_is_shown_on_the_field_not_a_500(as_owner, corpus, schema_url, hotkey, says):
    EntityType.objects.filter(schema=corpus.schema, key="GPE").update(hotkey="g")

    response = save(as_owner, schema_url, hotkey=hotkey)

    assert response.status_code == 400
    page = response.content.decode()
    assert "field-error" in page
    assert says in page
    assert EntityType.objects.get(schema=corpus.schema, key="PER").hotkey == ""


def test_a_low_contrast_colour_is_warned_about_on_the_page(as_owner, corpus, schema_url):
    assert contrast_ratio("#ffffff") > 10
    assert contrast_ratio("#000000") < 1.5
    assert "Low contrast" not in as_owner.get(schema_url).content.decode()

    save(as_owner, schema_url, color="#202020")

    assert "Low contrast" in as_owner.get(schema_url).content.decode()


def test_an_owner_adds_an_entity_type_and_a_duplicate_key_is_refused(as_owner, corpus, schema_url):
    new = {"action": "add", "kind": "entity", "key": "ORG", "name": "Organisation"}
    assert as_owner.post(schema_url, {**new, "color": "#b2df8a"}).status_code == 302
    assert corpus.schema.entity_types.filter(key="ORG").exists()

    again = as_owner.post(schema_url, {**new, "color": "#b2df8a"})

    assert again.status_code == 400
    assert corpus.schema.entity_types.filter(key="ORG").count() == 1


def test_a_shared_schema_is_copied_on_first_edit_and_items_follow(
    as_owner, corpus, schema_url, layers
):
    other = CorpusFactory(schema=corpus.schema)
    shared = corpus.schema

    assert save(as_owner, schema_url, color="#123456").status_code == 302

    corpus.refresh_from_db()
    assert corpus.schema != shared
    assert shared.entity_types.get(key="PER").color == "#a6cee3"  # the other corpus's schema
    assert other.schema.entity_types.get(key="PER").color == "#a6cee3"
    assert corpus.schema.entity_types.get(key="PER").color == "#123456"
    spans = Span.objects.filter(annotation__document__corpus=corpus)
    assert set(spans.values_list("entity_type__schema", flat=True)) == {corpus.schema.pk}


def test_a_preset_schema_is_copied_on_first_edit(as_owner, corpus, schema_url):
    corpus.schema.preset = "ace2005"
    corpus.schema.save()

    save(as_owner, schema_url, name="People")

    corpus.refresh_from_db()
    assert corpus.schema.preset == ""
    assert corpus.schema.entity_types.get(key="PER").name == "People"


def test_rename_previews_the_counts_then_rewrites_annotations(as_owner, corpus, schema_url, layers):
    rename = {"action": "rename", "kind": "entity", "key": "PER", "new_key": "PERSON"}

    preview = as_owner.post(schema_url, rename)

    assert preview.status_code == 200
    assert "3 items in 2 layers" in preview.content.decode()
    assert corpus.schema.entity_types.filter(key="PER").exists()

    assert as_owner.post(schema_url, {**rename, "confirm": "yes"}).status_code == 302
    keys = Span.objects.filter(annotation__document__corpus=corpus).values_list(
        "entity_type__key", flat=True
    )
    assert sorted(keys) == ["GPE", "PERSON", "PERSON", "PERSON"]
    assert "renamed entity type PER to PERSON" in SchemaChange.objects.get(action="rename").detail


def test_merge_repoints_items_and_removes_the_old_label(as_owner, corpus, schema_url, layers):
    merge = {"action": "rename", "kind": "entity", "key": "GPE", "new_key": "PER"}

    assert as_owner.post(schema_url, {**merge, "confirm": "yes"}).status_code == 302

    assert not corpus.schema.entity_types.filter(key="GPE").exists()
    spans = Span.objects.filter(annotation__document__corpus=corpus)
    assert set(spans.values_list("entity_type__key", flat=True)) == {"PER"}
    assert spans.count() == 4


def test_deleting_a_label_in_use_is_refused_unless_its_items_go_too(
    as_owner, corpus, schema_url, layers
):
    delete = {"action": "delete", "kind": "entity", "key": "PER"}

    refused = as_owner.post(schema_url, delete)

    assert refused.status_code == 400
    assert "3 items in 2 layers" in refused.content.decode()
    assert as_owner.post(schema_url, {**delete, "with_items": "on"}).status_code == 302
    assert not corpus.schema.entity_types.filter(key="PER").exists()
    assert Span.objects.filter(annotation__document__corpus=corpus).count() == 1


def test_the_schema_downloads_as_schema_json(as_owner, corpus, schema_url):
    response = as_owner.get(schema_url, {"download": "json"})

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["key"] == corpus.schema.key
    assert [item["key"] for item in data["entity_types"]] == ["PER", "GPE"]


def test_unknown_actions_and_labels_are_answered_with_4xx(as_owner, schema_url):
    assert as_owner.post(schema_url, {"action": "explode"}).status_code == 400
    assert save(as_owner, schema_url, key="NOPE").status_code == 404
    assert as_owner.post(schema_url, {"action": "add", "kind": "thing"}).status_code == 400


def test_deleting_an_event_type_with_its_items_removes_events_and_arguments(
    as_owner, corpus, schema_url, document
):
    prediction_create(document)
    delete = {"action": "delete", "kind": "event", "key": "Life.Die", "with_items": "on"}

    assert as_owner.post(schema_url, delete).status_code == 302

    assert not corpus.schema.event_types.exists()
    assert not Event.objects.filter(annotation__document=document).exists()
    assert Span.objects.filter(annotation__document=document).count() == 2


def upload(client, url, data, name="schema.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(url, {"action": "upload", "schema_file": SimpleUploadedFile(name, content)})


def test_an_uploaded_schema_replaces_it_and_existing_items_follow_by_key(
    as_owner, corpus, schema_url, layers
):
    data = json.loads(as_owner.get(schema_url, {"download": "json"}).content)
    data["entity_types"].append({"key": "ORG", "name": "Organisation"})

    assert upload(as_owner, schema_url, data).status_code == 302

    corpus.refresh_from_db()
    assert corpus.schema.entity_types.filter(key="ORG").exists()
    spans = Span.objects.filter(annotation__document__corpus=corpus)
    assert set(spans.values_list("entity_type__schema", flat=True)) == {corpus.schema.pk}


def test_an_upload_that_would_orphan_items_or_is_not_json_is_refused(
    as_owner, corpus, schema_url, layers
):
    schema = corpus.schema
    data = json.loads(as_owner.get(schema_url, {"download": "json"}).content)
    data["entity_types"] = [item for item in data["entity_types"] if item["key"] != "PER"]
    data["event_types"] = []

    refused = upload(as_owner, schema_url, data)

    assert refused.status_code == 400
    assert "PER (3 items)" in refused.content.decode()
    assert upload(as_owner, schema_url, b"{not json").status_code == 400
    corpus.refresh_from_db()
    assert corpus.schema == schema


def test_an_owner_sets_the_entity_types_a_role_allows(as_owner, corpus, schema_url):
    role = {"action": "role", "kind": "event", "key": "Life.Die", "role": "Victim"}

    assert as_owner.post(schema_url, {**role, "entity_types": ["PER", "GPE"]}).status_code == 302

    victim = corpus.schema.event_types.get(key="Life.Die").roles.get(key="Victim")
    assert sorted(victim.entity_types.values_list("key", flat=True)) == ["GPE", "PER"]
    assert as_owner.post(schema_url, {**role, "entity_types": ["NOPE"]}).status_code == 400
    assert as_owner.post(schema_url, {**role, "role": "Nobody"}).status_code == 404
