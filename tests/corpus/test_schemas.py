"""Presets load from data files into complete schemas; bad schema files get clear errors."""

import pytest

from config.errors import InvalidInput
from corpus.services.schemas import schema_get_or_create

pytestmark = pytest.mark.django_db


def test_ace2005_preset_has_all_entity_types_and_33_event_subtypes():
    schema = schema_get_or_create(name_or_path="ace2005")
    keys = set(schema.entity_types.values_list("key", flat=True))
    assert {"PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "TIMEX2", "MONEY"} <= keys
    assert schema.event_types.count() == 33
    attack = schema.event_types.get(key="Conflict.Attack")
    roles = {role.key: role for role in attack.roles.all()}
    assert {"Attacker", "Target", "Instrument", "Place", "Time-Within"} <= set(roles)
    assert set(roles["Place"].entity_types.values_list("key", flat=True)) == {"GPE", "LOC", "FAC"}
    assert schema.entity_types.get(key="PER").spacy_labels == ["PERSON"]


def test_loading_a_preset_twice_reuses_the_schema():
    first = schema_get_or_create(name_or_path="ontonotes")
    assert schema_get_or_create(name_or_path="ontonotes") == first
    assert first.entity_types.count() == 18
    assert not first.event_types.exists()


def test_invalid_schema_file_is_reported_with_its_line(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text('{\n  "key": "x",\n  "name": \n}', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"schema.json, line 4: invalid JSON"):
        schema_get_or_create(name_or_path=str(path))


def test_role_naming_an_unknown_entity_type_is_refused(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(
        '{"key": "x", "name": "X", "entity_types": [{"key": "PER"}], "event_types": '
        '[{"key": "Die", "roles": [{"key": "Victim", "entity_types": ["PERSON"]}]}]}',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="unknown entity types PERSON"):
        schema_get_or_create(name_or_path=str(path))


def test_unknown_schema_name_lists_the_presets():
    with pytest.raises(InvalidInput, match="ace2005, ontonotes"):
        schema_get_or_create(name_or_path="acee2005")
