"""Relation types have a colour and a hotkey, like entity and event types: checked with errors
naming the field on the schema page and in schema files, carried by copies, presets and the
API, and given to relation types stored before by the migration that adds them.

Personas: owner (Olivia) and annotator (Ana) on one corpus with the tiny test schema.
A relation type's hotkey is read only while a relation's type is chosen, so it must be unique
among relation types but may be an entity type's hotkey, or A, E or R.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from config.errors import InvalidInput
from corpus.models import RelationType
from corpus.models.schema_formats import RELATION_PALETTE
from corpus.services.schema_check import schema_data_check
from corpus.services.schema_common import CONTRAST_MIN, contrast_ratio
from corpus.services.schemas import schema_create, schema_data_dump, schema_get_or_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def schema_url(corpus) -> str:
    return reverse("corpus-schema", kwargs={"slug": corpus.slug})


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def located(corpus) -> RelationType:
    return RelationType.objects.create(
        schema=corpus.schema, key="Located", name="Located in", color="#8dd3c7", hotkey="l"
    )


def field_error(response, says: str) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error field-error"' in page
    assert says in page
    return page


def test_an_owner_gives_a_relation_type_a_colour_and_a_hotkey(as_owner, corpus, schema_url):
    add = {"action": "relation-add", "key": "Family", "color": "#FB8072", "hotkey": "F"}
    assert as_owner.post(schema_url, add).status_code == 302
    family = corpus.schema.relation_types.get(key="Family")
    assert (family.color, family.hotkey) == ("#fb8072", "f")  # stored normalised

    edit = {"action": "relation-save", "key": "Family", "color": "#b3de69", "hotkey": "a"}
    assert as_owner.post(schema_url, edit).status_code == 302
    family.refresh_from_db()
    assert (family.color, family.hotkey) == ("#b3de69", "a")  # A is Accept only outside
    page = as_owner.get(schema_url).content.decode()
    assert 'data-color="#b3de69">Family</span>' in page
    assert "<kbd>a</kbd>" in page


def test_a_new_relation_type_without_a_colour_takes_the_next_of_the_palette(
    as_owner, corpus, schema_url, located
):
    assert as_owner.post(schema_url, {"action": "relation-add", "key": "Near"}).status_code == 302
    near = corpus.schema.relation_types.get(key="Near")
    assert (near.color, near.hotkey) == (RELATION_PALETTE[1], "")


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"hotkey": "l"}, "hotkey &#x27;l&#x27; is already the hotkey of relation type Located"),
        ({"hotkey": "?"}, "hotkey &#x27;?&#x27; is not one letter or digit"),
        ({"color": "red"}, "colour &#x27;red&#x27; is not #rrggbb"),
    ],
)
def test_a_bad_colour_or_hotkey_is_refused_on_its_field(
    as_owner, corpus, schema_url, located, fields, says
):
    added = as_owner.post(schema_url, {"action": "relation-add", "key": "Near", **fields})
    field_error(added, says)
    edited = as_owner.post(schema_url, {"action": "relation-save", "key": "Located", **fields})
    if fields.get("hotkey") != "l":  # its own hotkey again is no clash
        field_error(edited, says)
    assert list(corpus.schema.relation_types.values_list("key", "hotkey")) == [("Located", "l")]


def test_an_entity_type_s_hotkey_may_choose_a_relation_type_too(as_owner, corpus, schema_url):
    corpus.schema.entity_types.filter(key="PER").update(hotkey="p")
    add = {"action": "relation-add", "key": "Near", "hotkey": "p"}
    assert as_owner.post(schema_url, add).status_code == 302
    assert corpus.schema.relation_types.get(key="Near").hotkey == "p"


def schema_data(*relation_types: dict) -> dict:
    return {
        "key": "news",
        "name": "News",
        "entity_types": [{"key": "PER", "hotkey": "p"}, {"key": "GPE", "hotkey": "g"}],
        "relation_types": list(relation_types),
    }


def test_schema_files_check_relation_colours_and_hotkeys_each_problem_named():
    data = schema_data(
        {"key": "Located", "color": "#zzz", "hotkey": "p"},
        {"key": "Near", "hotkey": "P"},
        {"key": "Family", "hotkey": "!"},
    )
    with pytest.raises(InvalidInput) as caught:
        schema_data_check(data=data)
    found = {(e["where"], e["field"]) for e in caught.value.extra["errors"]}
    assert found == {
        ("relation type Located", "color"),
        ("relation type Near", "hotkey"),  # `p` twice among relation types; PER's is no clash
        ("relation type Family", "hotkey"),
    }
    assert "hotkey 'p' is already the hotkey of relation type Located" in caught.value.message


def test_colours_and_hotkeys_survive_a_copy_and_types_without_colours_get_distinct_ones():
    schema = schema_create(
        data=schema_data({"key": "Located", "color": "#ABC", "hotkey": "L"}, {"key": "Near"})
    )
    copy = schema_create(data={**schema_data_dump(schema), "key": "news-copy"})
    found = list(copy.relation_types.values_list("key", "color", "hotkey"))
    assert found == [("Located", "#aabbcc", "l"), ("Near", RELATION_PALETTE[1], "")]


def test_the_ace_preset_s_relation_types_have_distinct_readable_colours_and_hotkeys():
    relation_types = list(schema_get_or_create(name_or_path="ace2005").relation_types.all())
    assert len(relation_types) == 18
    assert len({item.color for item in relation_types}) == 18
    assert len({item.hotkey for item in relation_types}) == 18
    assert all(contrast_ratio(item.color) >= CONTRAST_MIN for item in relation_types)
    located = next(item for item in relation_types if item.key == "PHYS.Located")
    assert located.hotkey == "l"


def test_the_api_adds_relation_types_and_changes_no_existing_field(api, annotator, corpus, located):
    located.arg1_types.set(corpus.schema.entity_types.filter(key="PER"))
    api.force_authenticate(annotator)
    body = api.get(reverse("api-corpus-detail", kwargs={"slug": corpus.slug})).json()
    schema = body["label_schema"]
    assert set(schema) == {
        "key", "name", "description", "entity_types", "event_types", "relation_types"
    }  # fmt: skip
    assert set(schema["entity_types"][0]) == {
        "key", "name", "description", "examples", "color", "hotkey", "subtypes"
    }  # fmt: skip
    assert schema["relation_types"] == [
        {
            "key": "Located",
            "name": "Located in",
            "group": "",
            "description": "",
            "examples": [],
            "color": "#8dd3c7",
            "hotkey": "l",
            "arg1_types": ["PER"],
            "arg2_types": [],
        }
    ]


BEFORE = [("corpus", "0012_document_labels")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_relation_types_distinct_colours_and_free_hotkeys():
    try:
        old = MigrationExecutor(connection).migrate(BEFORE).apps
        schema = old.get_model("corpus", "LabelSchema").objects.create(key="old", name="Old")
        other = old.get_model("corpus", "LabelSchema").objects.create(key="other", name="Other")
        types = old.get_model("corpus", "RelationType").objects
        for order, key in enumerate(["PHYS.Located", "PHYS.Lives", "Lives", "L"]):
            types.create(schema=schema, key=key, name=key, order=order)
        types.create(schema=other, key="Located", name="Located")

        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())

        found = list(
            RelationType.objects.filter(schema__key="old").values_list("key", "color", "hotkey")
        )
        assert found == [
            ("PHYS.Located", RELATION_PALETTE[0], "l"),
            ("PHYS.Lives", RELATION_PALETTE[1], "i"),  # `l` is taken: the next free letter
            ("Lives", RELATION_PALETTE[2], "v"),
            ("L", RELATION_PALETTE[3], ""),  # no letter of its key is free: none
        ]
        assert RelationType.objects.get(schema__key="other").hotkey == "l"  # per schema
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
