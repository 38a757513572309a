"""Every way a schema is made checks it, and the database holds colours, hotkeys and keys.

The reproduction of issue 15: an entity colour `#fff;background-image:url(...)` in a schema
file was stored as given and written into `style=` attributes. It is now refused by the
schema check (schema files, the import command, presets, brat confs, copies), by the admin's
forms, and by check constraints on SQLite and PostgreSQL; rows stored before are repaired by
the migration that adds the constraints.
"""

import json
import re

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from config.errors import InvalidInput
from corpus.models import Corpus, EntityType, EventRole, EventType, LabelSchema
from corpus.models.schema_formats import EDITOR_KEYS
from corpus.services.schema_check import schema_data_check
from corpus.services.schemas import schema_create, schema_data_dump, schema_get_or_create
from tests.commands import command, write_jsonl
from tests.factories import LabelSchemaFactory

INJECTION = "#fff;background-image:url(https://attacker.example/leak)"


def schema_data(**entity) -> dict:
    """A small valid schema; `entity` replaces fields of its first entity type."""
    return {
        "key": "news",
        "name": "News",
        "entity_types": [
            {"key": "PER", "name": "Person", "color": "#a6cee3", "hotkey": "p", **entity},
            {"key": "GPE", "color": "#fdbf6f", "hotkey": "g"},
        ],
        "event_types": [
            {
                "key": "Life.Die",
                "hotkey": "2",
                "roles": [{"key": "Victim", "entity_types": ["PER"]}],
            }
        ],
        "relation_types": [{"key": "PHYS.Located", "arg1_types": ["PER"], "arg2_types": ["GPE"]}],
        "attribute_types": [
            {"key": "Polarity", "applies_to": "event", "values": ["Positive", "Negative"]}
        ],
    }


def problems(data: dict) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        schema_data_check(data=data)
    return caught.value


@pytest.mark.django_db
def test_the_injected_colour_in_a_schema_file_is_refused_and_nothing_is_stored(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema_data(color=INJECTION)), encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        schema_get_or_create(name_or_path=str(path))

    assert "Entity type PER: colour '#fff;background-image:url(https" in caught.value.message
    assert "is not #rrggbb" in caught.value.message
    [error] = caught.value.extra["errors"]
    assert (error["where"], error["field"]) == ("entity type PER", "color")
    assert not LabelSchema.objects.exists()


@pytest.mark.django_db
def test_the_import_command_refuses_a_schema_file_with_the_injected_colour(tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(schema_data(color=INJECTION)), encoding="utf-8")
    articles = write_jsonl(tmp_path / "a.jsonl", [{"text": "Troops entered Idlib."}])

    with pytest.raises(CommandError, match=r"Entity type PER: colour .* is not #rrggbb"):
        command("import_documents", "news", articles, "--schema", str(schema))

    assert not Corpus.objects.exists()
    assert not LabelSchema.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_the_injected_colour_and_normalises_upper_case(admin_client):
    schema = LabelSchemaFactory()
    form = {"schema": schema.pk, "key": "ORG", "name": "Organisation", "order": 2}
    form |= {"examples": "[]", "spacy_labels": "[]", "subtypes": "[]", "nominals": "[]"}
    add = reverse("admin:corpus_entitytype_add")

    response = admin_client.post(add, {**form, "color": INJECTION[:7], "hotkey": "o"})
    assert response.status_code == 200
    assert "colour &#x27;#fff;ba" in response.content.decode()
    assert not EntityType.objects.filter(key="ORG").exists()

    response = admin_client.post(add, {**form, "color": "#B2DF8A", "hotkey": "O"})
    assert response.status_code == 302
    organisation = EntityType.objects.get(schema=schema, key="ORG")
    assert (organisation.color, organisation.hotkey) == ("#b2df8a", "o")


@pytest.mark.django_db
def test_the_admin_refuses_a_hotkey_another_type_of_the_schema_has(admin_client):
    schema = LabelSchemaFactory()
    EventType.objects.filter(schema=schema, key="Life.Die").update(hotkey="d")
    per = EntityType.objects.get(schema=schema, key="PER")
    form = {"schema": schema.pk, "key": "PER", "name": "Person", "order": 0, "color": "#a6cee3"}
    form |= {"examples": "[]", "spacy_labels": "[]", "subtypes": "[]", "nominals": "[]"}

    response = admin_client.post(
        reverse("admin:corpus_entitytype_change", args=[per.pk]), {**form, "hotkey": "D"}
    )

    assert response.status_code == 200
    assert "hotkey &#x27;d&#x27; is already the hotkey of event type Life.Die" in (
        response.content.decode()
    )
    per.refresh_from_db()
    assert per.hotkey == ""


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("color", "#fff;}x"),  # seven characters: only the check constraint stands in the way
        ("color", "#A6CEE3"),  # upper case: the check holds the stored form, lower case
        ("color", "red"),
        ("key", ""),
    ],
)
def test_the_database_refuses_a_malformed_colour_or_an_empty_key(field, value):
    per = EntityType.objects.get(schema=LabelSchemaFactory(), key="PER")

    with pytest.raises(IntegrityError), transaction.atomic():
        EntityType.objects.filter(pk=per.pk).update(**{field: value})

    per.refresh_from_db()
    assert (per.key, per.color) == ("PER", "#a6cee3")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("color", INJECTION), ("hotkey", "pp")])
def test_the_database_refuses_values_longer_than_their_format(field, value):
    # SQLite ignores max_length, so the check constraint refuses these (IntegrityError);
    # PostgreSQL's varchar refuses them first (DataError). Neither stores them.
    die = EventType.objects.get(schema=LabelSchemaFactory(), key="Life.Die")

    with pytest.raises(DatabaseError), transaction.atomic():
        EventType.objects.filter(pk=die.pk).update(**{field: value})

    die.refresh_from_db()
    assert (die.color, die.hotkey) == ("#dddddd", "")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_an_event_role_or_schema_without_a_key():
    schema = LabelSchemaFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRole.objects.filter(event_type__schema=schema).update(key="")
    with pytest.raises(IntegrityError), transaction.atomic():
        LabelSchema.objects.filter(pk=schema.pk).update(key="")
    assert sorted(EventRole.objects.values_list("key", flat=True)) == ["Place", "Victim"]


def test_a_hotkey_shared_by_an_entity_and_an_event_type_is_refused_naming_both():
    data = schema_data()
    data["event_types"][0]["hotkey"] = "P"

    error = problems(data)

    assert "Event type Life.Die: hotkey 'p' is already the hotkey of entity type PER" in (
        error.message
    )
    assert [(e["where"], e["field"]) for e in error.extra["errors"]] == [
        ("event type Life.Die", "hotkey")
    ]


@pytest.mark.parametrize(
    ("hotkey", "rule"),
    [
        ("a", "the editor's key for Accept (A)"),
        ("E", "the editor's key for the event search (E)"),
        ("r", "the editor's key for choosing a role (R)"),
        ("?", "is not one letter or digit"),
        (".", "is not one letter or digit"),
        ("pp", "is not one letter or digit"),
        (" ", "is not one letter or digit"),
        ("²", "is not one letter or digit"),
    ],
)
def test_hotkeys_the_editor_cannot_use_are_refused_with_the_rule(hotkey, rule):
    error = problems(schema_data(hotkey=hotkey))
    assert f"Entity type PER: hotkey {hotkey!r}" in error.message
    assert rule in error.message


def test_the_refused_letters_are_the_editors_own_keys_which_it_reads_after_hotkeys():
    # keyboard.js reads a schema's hotkeys before its own single-letter keys, so a hotkey
    # A, E or R would take over Accept, the event search or choosing a role.
    source = (settings.BASE_DIR / "static/goldset/js/keyboard.js").read_text(encoding="utf-8")
    after_hotkeys = source.split("context.entityKeys[lower]", 1)[1].split("\n}", 1)[0]
    assert set(re.findall(r'lower === "(.)"', after_hotkeys)) == set(EDITOR_KEYS)


@pytest.mark.django_db
def test_colours_and_hotkeys_are_stored_normalised_and_missing_ones_take_defaults():
    data = schema_data(color="#ABC", hotkey="P", name=None)
    del data["entity_types"][1]["color"]

    schema = schema_create(data=data)

    per, gpe = schema.entity_types.all()
    assert (per.color, per.hotkey, per.name) == ("#aabbcc", "p", "PER")  # no name: the key
    assert gpe.color == "#dddddd"
    assert data["entity_types"][0]["color"] == "#ABC"  # the caller's data is left as it was


@pytest.mark.parametrize(
    "colour", [INJECTION, "red", "#ab", "#abcd", "#gggggg", "#a6cee3 ", "rgb(1,2,3)", 12]
)
def test_anything_but_a_hex_colour_is_refused(colour):
    assert "is not #rrggbb" in problems(schema_data(color=colour)).message


def test_every_problem_is_reported_together_with_where_field_value_and_rule():
    data = schema_data(key="Person Name", colour="#a6cee3", name="Per\x00son")
    data["event_types"][0]["roles"][0]["entity_types"] = ["PERSON"]
    data["entity_types"].append({"key": "GPE"})
    data["attribute_types"] += [
        {"key": "Tense", "applies_to": "events", "values": ["Past", "Past"], "default": "Now"}
    ]

    error = problems(data)

    found = {(e["where"], e["field"]): e["message"] for e in error.extra["errors"]}
    assert "is not up to 100 letters, digits and _ . : -" in found["entity type number 1", "key"]
    assert "unknown field 'colour'" in found["entity type number 1", "colour"]
    assert "control characters" in found["entity type number 1", "name"]
    assert found["entity type GPE", "key"] == "Entity type GPE: key 'GPE' is listed twice"
    assert "unknown entity types PERSON" in found["role Victim of Life.Die", "entity_types"]
    assert "is not one of entity, event, relation" in found["attribute Tense", "applies_to"]
    assert "values Past are listed twice" in found["attribute Tense", "values"]
    assert "default 'Now' is not one of Past" in found["attribute Tense", "default"]
    assert error.message.startswith(f"Schema news has {len(found)} problems: ")


@pytest.mark.django_db
@pytest.mark.parametrize("preset", ["ace2005", "ontonotes"])
def test_the_presets_pass_the_checks(preset):
    schema = schema_get_or_create(name_or_path=preset)
    hotkeys = [
        *schema.entity_types.exclude(hotkey="").values_list("hotkey", flat=True),
        *schema.event_types.exclude(hotkey="").values_list("hotkey", flat=True),
    ]
    assert hotkeys
    assert len(hotkeys) == len(set(hotkeys))
    assert not {"a", "e", "r"} & set(hotkeys)


@pytest.mark.django_db
def test_the_brat_tutorial_conf_becomes_a_schema(testdata):
    schema = schema_get_or_create(name_or_path=str(testdata / "brat-news-tutorial/annotation.conf"))
    assert {"Be-born", "Transfer-money", "Start-org"} <= set(
        schema.event_types.values_list("key", flat=True)
    )
    assert set(schema.entity_types.values_list("color", flat=True)) == {"#dddddd"}


@pytest.mark.django_db
def test_a_schema_copied_for_a_corpus_passes_the_checks_again():
    schema = schema_get_or_create(name_or_path="ace2005")
    copy = schema_create(data={**schema_data_dump(schema), "key": "ace2005-copy"})
    assert copy.entity_types.get(key="PER").hotkey == "p"
    assert copy.event_types.count() == 33


OLD = [("corpus", "0005_annotators_see_gold")]


@pytest.fixture
def old_apps():
    """The corpus models before the check constraints; migrated to the latest after."""
    try:
        yield MigrationExecutor(connection).migrate(OLD).apps
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
        latest = MigrationExecutor(connection)
        assert latest.migration_plan(latest.loader.graph.leaf_nodes()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_rows_written_before_and_keeps_everything_else(old_apps):
    model = old_apps.get_model
    schema = model("corpus", "LabelSchema").objects.create(key="old", name="Old")
    types = model("corpus", "EntityType").objects
    long_values = connection.vendor == "sqlite"  # PostgreSQL's varchar never held them
    rows = {
        "PER": types.create(schema=schema, key="PER", name="Person", color="#fff;}x", order=0,
                            hotkey="P", spacy_labels=["PERSON"], description="People."),
        "ORG": types.create(schema=schema, key="ORG", name="Org", color="#B2DF8A", hotkey="p",
                            order=1),
        "GPE": types.create(schema=schema, key="GPE", name="Place", color="#ABC", hotkey="a",
                            order=2),
        "LOC": types.create(schema=schema, key="LOC", name="Location", order=3,
                            color=INJECTION if long_values else "",
                            hotkey="pp" if long_values else "?"),
    }  # fmt: skip
    die = model("corpus", "EventType").objects.create(
        schema=schema, key="Life.Die", name="Die", color="#f4bac9", hotkey="l"
    )
    model("corpus", "EventType").objects.create(
        schema=schema, key="Conflict.Attack", name="Attack", hotkey="L", order=1
    )
    role = model("corpus", "EventRole").objects.create(event_type=die, key="", name="Victim")
    role.entity_types.set([rows["PER"]])

    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())

    found = {
        t.key: (t.color, t.hotkey, t.name) for t in EntityType.objects.filter(schema_id=schema.pk)
    }
    assert found == {
        "PER": ("#a6cee3", "p", "Person"),  # unreadable: a palette colour; `P` is `p`
        "ORG": ("#b2df8a", "", "Org"),  # `p` is PER's, which comes first
        "GPE": ("#aabbcc", "", "Place"),  # `a` is the editor's Accept
        "LOC": ("#ccebc5", "", "Location"),
    }
    person = EntityType.objects.get(pk=rows["PER"].pk)
    assert (person.spacy_labels, person.description) == (["PERSON"], "People.")
    events = {t.key: (t.color, t.hotkey) for t in EventType.objects.filter(schema_id=schema.pk)}
    assert events == {"Life.Die": ("#f4bac9", "l"), "Conflict.Attack": ("#dddddd", "")}
    victim = EventRole.objects.get(pk=role.pk)
    assert (victim.key, victim.name) == (f"unnamed-{role.pk}", "Victim")
    assert list(victim.entity_types.values_list("key", flat=True)) == ["PER"]
