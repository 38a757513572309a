"""The schema editor's roles, relation types and attributes, and the page's weight.

Personas: owner (Olivia), annotator (Ana), reviewer (Rita) and outsider (Oscar) on one corpus
with the tiny test schema (PER, GPE; Life.Die with Victim and Place). A 500 fails every case.
"""

import pytest
from django.urls import reverse

from annotations.models import Argument, Event, Relation, Span
from corpus.models import AttributeType, Membership, RelationType, SchemaChange
from corpus.services.schemas import schema_get_or_create
from tests.factories import (
    AnnotationFactory,
    CorpusFactory,
    event_create,
    prediction_create,
    span_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
PAGE_BUDGET = 200_000  # bytes of the ACE 2005 schema page


@pytest.fixture
def schema_url(corpus) -> str:
    return reverse("corpus-schema", kwargs={"slug": corpus.slug})


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def deaths(document):
    """Two layers with a Life.Die event each: Victim filled in both, Place in the first."""
    first = prediction_create(document, model_name="one")
    second = AnnotationFactory(document=document, model_name="two")
    event_create(second, 11, 18, "Life.Die", Victim=span_create(second, 0, 10, "PER"))
    return first, second


@pytest.fixture
def located(corpus, deaths):
    """A relation type Located (PER to GPE) used by one relation in the first layer."""
    relation_type = RelationType.objects.create(schema=corpus.schema, key="Located", name="In")
    relation_type.arg1_types.set(corpus.schema.entity_types.filter(key="PER"))
    first = deaths[0]
    Relation.objects.create(
        annotation=first,
        relation_type=relation_type,
        head=first.spans.get(start=0),
        tail=first.spans.get(start=22),
    )
    return relation_type


@pytest.fixture
def polarity(corpus, deaths):
    """An event attribute Polarity (Positive, Negative); the first layer's event is Negative."""
    attribute = AttributeType.objects.create(
        schema=corpus.schema,
        key="Polarity",
        name="Polarity",
        applies_to="event",
        values=["Positive", "Negative"],
    )
    Event.objects.filter(annotation=deaths[0]).update(attributes={"Polarity": "Negative"})
    return attribute


def roles_of(corpus, event_key="Life.Die") -> dict[str, list[str]]:
    event_type = corpus.schema.event_types.get(key=event_key)
    return {
        role.key: sorted(role.entity_types.values_list("key", flat=True))
        for role in event_type.roles.all()
    }


def argument_roles(corpus) -> list[str]:
    arguments = Argument.objects.filter(event__annotation__document__corpus=corpus)
    return sorted(arguments.values_list("role__key", flat=True))


def refreshed(corpus):
    corpus.refresh_from_db()
    return corpus


def field_error(response, says: str) -> None:
    """Assert a 400 page that shows `says` in an error beside a form field."""
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error field-error"' in page
    assert says in page


# Roles


def test_an_owner_adds_a_role_with_its_entity_types_and_it_is_recorded(
    as_owner, corpus, schema_url
):
    add = {"action": "role-add", "key": "Life.Die", "role": "Agent", "name": "Killer"}

    response = as_owner.post(schema_url, {**add, "entity_types": ["PER", "GPE"]})

    assert response.status_code == 302
    assert response["Location"].endswith("?roles=Life.Die#roles-editor")
    assert roles_of(corpus)["Agent"] == ["GPE", "PER"]
    assert corpus.schema.event_types.get().roles.get(key="Agent").name == "Killer"
    change = SchemaChange.objects.get(corpus=corpus, action="add")
    assert change.detail == "role Agent of Life.Die (takes PER, GPE)"


@pytest.mark.parametrize(
    ("role", "entity_types", "says"),
    [
        ("", ["PER"], "missing or empty"),
        ("Victim", ["PER"], "Life.Die already has a role Victim"),
        ("Bad key", ["PER"], "is not up to 100 letters"),
        ("Agent", ["NOPE"], "unknown entity types NOPE"),
    ],
)
def test_a_bad_new_role_is_shown_on_its_field_not_a_500(
    as_owner, corpus, schema_url, role, entity_types, says
):
    add = {"action": "role-add", "key": "Life.Die", "role": role, "entity_types": entity_types}

    response = as_owner.post(schema_url, add)

    field_error(response, says)
    assert 'id="add-role"' in response.content.decode()  # the role editor stays open
    assert sorted(roles_of(corpus)) == ["Place", "Victim"]


def test_an_owner_renames_a_role_and_edits_its_name_and_entity_types(as_owner, corpus, schema_url):
    edit = {"action": "role", "key": "Life.Die", "role": "Place", "name": "Where"}

    assert as_owner.post(schema_url, {**edit, "entity_types": ["GPE", "PER"]}).status_code == 302

    place = corpus.schema.event_types.get().roles.get(key="Place")
    assert place.name == "Where"
    assert roles_of(corpus)["Place"] == ["GPE", "PER"]
    assert SchemaChange.objects.filter(corpus=corpus, action="role").exists()


def test_renaming_a_role_previews_argument_counts_then_rewrites_arguments(
    as_owner, corpus, schema_url, deaths
):
    rename = {"action": "role-rename", "key": "Life.Die", "role": "Victim", "new_key": "Dead"}

    preview = as_owner.post(schema_url, rename)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 arguments in 2 layers change" in page
    assert "Rename and rewrite arguments" in page
    assert argument_roles(corpus) == ["Place", "Victim", "Victim"]

    assert as_owner.post(schema_url, {**rename, "confirm": "yes"}).status_code == 302
    assert argument_roles(corpus) == ["Dead", "Dead", "Place"]
    assert sorted(roles_of(corpus)) == ["Dead", "Place"]
    change = SchemaChange.objects.get(corpus=corpus, action="rename")
    assert change.detail == "renamed role Victim of Life.Die to Dead (2 arguments in 2 layers)"


def test_renaming_a_role_to_another_roles_key_merges_them(as_owner, corpus, schema_url, deaths):
    merge = {"action": "role-rename", "key": "Life.Die", "role": "Place", "new_key": "Victim"}

    assert as_owner.post(schema_url, {**merge, "confirm": "yes"}).status_code == 302

    assert argument_roles(corpus) == ["Victim", "Victim", "Victim"]
    assert roles_of(corpus) == {"Victim": ["GPE", "PER"]}  # the kept role takes both
    assert "merged role Place of Life.Die into Victim" in SchemaChange.objects.get().detail


def test_a_bad_new_role_key_is_shown_on_the_field(as_owner, corpus, schema_url):
    rename = {"action": "role-rename", "key": "Life.Die", "role": "Victim", "confirm": "yes"}

    field_error(as_owner.post(schema_url, {**rename, "new_key": "two words"}), "is not up to")
    field_error(as_owner.post(schema_url, {**rename, "new_key": "Victim"}), "key already")
    assert sorted(roles_of(corpus)) == ["Place", "Victim"]


def test_deleting_a_role_in_use_is_refused_with_counts_unless_its_arguments_go_too(
    as_owner, corpus, schema_url, deaths
):
    delete = {"action": "role-delete", "key": "Life.Die", "role": "Victim"}

    refused = as_owner.post(schema_url, delete)

    field_error(refused, "used by 2 arguments in 2 layers")
    assert argument_roles(corpus) == ["Place", "Victim", "Victim"]
    assert as_owner.post(schema_url, {**delete, "with_arguments": "on"}).status_code == 302
    assert roles_of(corpus) == {"Place": ["GPE"]}
    assert argument_roles(corpus) == ["Place"]
    assert Event.objects.filter(annotation__document__corpus=corpus).count() == 2
    assert "deleted role Victim of Life.Die" in SchemaChange.objects.get(action="delete").detail


def test_a_role_edit_copies_a_preset_and_leaves_it_and_its_items_elsewhere_alone(
    as_owner, corpus, schema_url, deaths
):
    preset = corpus.schema
    preset.preset = "ace2005"
    preset.save()
    other = CorpusFactory(schema=preset)
    rename = {"action": "role-rename", "key": "Life.Die", "role": "Victim", "new_key": "Dead"}

    assert as_owner.post(schema_url, {**rename, "confirm": "yes"}).status_code == 302

    assert refreshed(corpus).schema != preset
    assert sorted(roles_of(other)) == ["Place", "Victim"]
    assert sorted(roles_of(corpus)) == ["Dead", "Place"]
    arguments = Argument.objects.filter(event__annotation__document__corpus=corpus)
    assert set(arguments.values_list("role__event_type__schema", flat=True)) == {corpus.schema.pk}
    assert SchemaChange.objects.filter(corpus=corpus, action="copy").exists()


# Relation types


def test_an_owner_adds_and_edits_a_relation_type(as_owner, corpus, schema_url):
    add = {"action": "relation-add", "key": "Located", "name": "Located in"}

    response = as_owner.post(schema_url, {**add, "arg1_types": ["PER"], "arg2_types": ["GPE"]})

    assert response.status_code == 302
    relation_type = corpus.schema.relation_types.get(key="Located")
    assert list(relation_type.arg2_types.values_list("key", flat=True)) == ["GPE"]
    edit = {"action": "relation-save", "key": "Located", "name": "In", "description": "Inside."}
    assert as_owner.post(schema_url, {**edit, "arg1_types": ["PER", "GPE"]}).status_code == 302
    relation_type.refresh_from_db()
    assert (relation_type.name, relation_type.description) == ("In", "Inside.")
    assert sorted(relation_type.arg1_types.values_list("key", flat=True)) == ["GPE", "PER"]
    assert not relation_type.arg2_types.exists()  # none ticked: any entity
    details = list(SchemaChange.objects.values_list("action", "detail"))
    assert ("edit", "relation type Located (PER, GPE to any entity)") in details
    page = as_owner.get(schema_url, {"relation": "Located"}).content.decode()
    assert 'id="relation-editor"' in page
    assert "Save relation type" in page


@pytest.mark.parametrize(
    ("key", "arg1", "says"),
    [
        ("", [], "missing or empty"),
        ("Located", [], "has a relation type Located already"),
        ("Near", ["NOPE"], "unknown entity types NOPE"),
    ],
)
def test_a_bad_new_relation_type_is_shown_on_its_field(
    as_owner, corpus, schema_url, located, key, arg1, says
):
    add = {"action": "relation-add", "key": key, "arg1_types": arg1}

    field_error(as_owner.post(schema_url, add), says)
    assert list(corpus.schema.relation_types.values_list("key", flat=True)) == ["Located"]


def test_renaming_a_relation_type_previews_counts_then_rewrites_relations(
    as_owner, corpus, schema_url, located
):
    rename = {"action": "relation-rename", "key": "Located", "new_key": "PHYS.Located"}

    preview = as_owner.post(schema_url, rename)

    assert preview.status_code == 200
    assert "1 relation in 1 layer change" in preview.content.decode()
    assert as_owner.post(schema_url, {**rename, "confirm": "yes"}).status_code == 302
    relations = Relation.objects.filter(annotation__document__corpus=corpus)
    assert list(relations.values_list("relation_type__key", flat=True)) == ["PHYS.Located"]
    assert "renamed relation type Located to PHYS.Located" in SchemaChange.objects.get().detail


def test_merging_a_relation_type_repoints_its_relations(as_owner, corpus, schema_url, located):
    RelationType.objects.create(schema=corpus.schema, key="Near", name="Near")
    merge = {"action": "relation-rename", "key": "Located", "new_key": "Near", "confirm": "yes"}

    assert as_owner.post(schema_url, merge).status_code == 302

    assert list(corpus.schema.relation_types.values_list("key", flat=True)) == ["Near"]
    relations = Relation.objects.filter(annotation__document__corpus=corpus)
    assert list(relations.values_list("relation_type__key", flat=True)) == ["Near"]


def test_deleting_a_relation_type_in_use_is_refused_with_counts_unless_they_go_too(
    as_owner, corpus, schema_url, located
):
    delete = {"action": "relation-delete", "key": "Located"}

    field_error(as_owner.post(schema_url, delete), "used by 1 relation in 1 layer")
    assert corpus.schema.relation_types.filter(key="Located").exists()
    assert as_owner.post(schema_url, {**delete, "with_relations": "on"}).status_code == 302
    assert not corpus.schema.relation_types.exists()
    assert not Relation.objects.filter(annotation__document__corpus=corpus).exists()
    assert Span.objects.filter(annotation__document__corpus=corpus).count() == 3


def test_a_relation_edit_copies_a_shared_schema_and_the_other_corpus_keeps_it(
    as_owner, corpus, schema_url, located
):
    shared = corpus.schema
    other = CorpusFactory(schema=shared)
    rename = {"action": "relation-rename", "key": "Located", "new_key": "In", "confirm": "yes"}

    assert as_owner.post(schema_url, rename).status_code == 302

    assert refreshed(corpus).schema != shared
    assert list(other.schema.relation_types.values_list("key", flat=True)) == ["Located"]
    relation = Relation.objects.get(annotation__document__corpus=corpus)
    assert (relation.relation_type.key, relation.relation_type.schema) == ("In", corpus.schema)


# Attributes


def test_an_owner_adds_an_attribute_and_edits_its_values(as_owner, corpus, schema_url):
    add = {"action": "attribute-add", "key": "Mention", "name": "Mention"}
    add |= {"applies_to": "entity", "values": "NAM\r\nNOM\r\n\r\nPRO", "default": "NAM"}

    assert as_owner.post(schema_url, add).status_code == 302

    mention = corpus.schema.attribute_types.get(key="Mention")
    assert (mention.applies_to, mention.values, mention.default) == (
        "entity",
        ["NAM", "NOM", "PRO"],
        "NAM",
    )
    edit = {"action": "attribute-save", "kind": "entity", "key": "Mention", "name": "Kind"}
    response = as_owner.post(schema_url, {**edit, "values": "NAM\nNOM", "default": ""})
    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.name, mention.values, mention.default) == ("Kind", ["NAM", "NOM"], "")
    assert [change.action for change in SchemaChange.objects.all()] == ["edit", "add"]
    page = as_owner.get(schema_url).content.decode()
    assert ">NAM\nNOM</textarea>" in page  # one value a line
    assert 'name="values" rows="3" cols="14"></textarea>' in page  # the add form starts empty


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"key": ""}, "missing or empty"),
        ({"key": "Polarity"}, "event items have an attribute Polarity already"),
        ({"key": "Tense", "values": "Past\nPast"}, "listed twice"),
        ({"key": "Tense", "values": "Past", "default": "Future"}, "is not one of Past"),
        ({"key": "Tense", "applies_to": "paragraph"}, "is not a valid choice"),
        ({"key": "Tense", "values": "Past", "multiple": "on"}, "only a document label"),
    ],
)
def test_a_bad_new_attribute_is_shown_on_its_field(
    as_owner, corpus, schema_url, polarity, fields, says
):
    add = {"action": "attribute-add", "applies_to": "event", "values": "", **fields}

    response = as_owner.post(schema_url, add)

    field_error(response, says)
    assert f">{add['values']}</textarea>" in response.content.decode()  # kept to correct
    assert list(corpus.schema.attribute_types.values_list("key", flat=True)) == ["Polarity"]


def test_removing_a_value_items_hold_is_refused_with_counts(as_owner, corpus, schema_url, polarity):
    edit = {"action": "attribute-save", "kind": "event", "key": "Polarity", "default": ""}

    field_error(
        as_owner.post(schema_url, {**edit, "values": "Positive"}),
        "Negative is held by 1 item in 1 layer",
    )
    field_error(
        as_owner.post(schema_url, {**edit, "values": ""}), "1 item in 1 layer hold Polarity"
    )
    moved = {**edit, "values": "Positive\nNegative", "applies_to": "entity"}
    field_error(as_owner.post(schema_url, moved), "of kind event hold Polarity")

    assert as_owner.post(schema_url, {**edit, "values": "Negative\nUnclear"}).status_code == 302
    polarity.refresh_from_db()
    assert polarity.values == ["Negative", "Unclear"]


def test_deleting_an_attribute_items_hold_needs_removing_it_from_them(
    as_owner, corpus, schema_url, polarity
):
    delete = {"action": "attribute-delete", "kind": "event", "key": "Polarity"}

    field_error(as_owner.post(schema_url, delete), "held by 1 item in 1 layer")
    assert as_owner.post(schema_url, {**delete, "with_items": "on"}).status_code == 302
    assert not corpus.schema.attribute_types.exists()
    events = Event.objects.filter(annotation__document__corpus=corpus)
    assert [event.attributes for event in events] == [{}, {}]
    assert (
        "deleted event attribute Polarity (1 item in 1 layer)" in SchemaChange.objects.get().detail
    )


def test_an_attribute_edit_copies_a_preset_and_leaves_it_alone(
    as_owner, corpus, schema_url, polarity
):
    preset = corpus.schema
    preset.preset = "ace2005"
    preset.save()
    edit = {"action": "attribute-save", "kind": "event", "key": "Polarity", "name": "Truth"}

    assert as_owner.post(schema_url, {**edit, "values": "Positive\nNegative"}).status_code == 302

    assert refreshed(corpus).schema != preset
    assert preset.attribute_types.get().name == "Polarity"
    assert corpus.schema.attribute_types.get().name == "Truth"


# Who may, and the page


ACTIONS = [
    {"action": "role-add", "key": "Life.Die", "role": "Agent"},
    {"action": "role-rename", "key": "Life.Die", "role": "Victim", "new_key": "X"},
    {"action": "role-delete", "key": "Life.Die", "role": "Place"},
    {"action": "relation-add", "key": "Near"},
    {"action": "relation-delete", "key": "Near"},
    {"action": "attribute-add", "key": "Tense", "applies_to": "event"},
    {"action": "attribute-delete", "kind": "event", "key": "Tense"},
]


@pytest.mark.parametrize("action", ACTIONS, ids=[item["action"] for item in ACTIONS])
def test_annotators_and_reviewers_get_403_and_outsiders_404_for_every_new_action(
    client, corpus, schema_url, annotator, reviewer, outsider, action
):
    for user, status in ((annotator, 403), (reviewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(schema_url, action).status_code == status
    assert sorted(roles_of(corpus)) == ["Place", "Victim"]
    assert not SchemaChange.objects.exists()


def test_unknown_roles_relation_types_and_attributes_are_404(as_owner, schema_url):
    for action in (
        {"action": "role", "key": "Life.Die", "role": "Nobody"},
        {"action": "role-delete", "key": "Nope", "role": "Victim"},
        {"action": "relation-save", "key": "Nope"},
        {"action": "attribute-save", "kind": "event", "key": "Nope"},
    ):
        assert as_owner.post(schema_url, action).status_code == 404


def test_the_ace_2005_page_stays_light_with_a_role_or_relation_editor_open(client, owner):
    corpus = CorpusFactory(schema=schema_get_or_create(name_or_path="ace2005"))
    Membership.objects.create(corpus=corpus, user=owner, role=Membership.Role.OWNER)
    client.force_login(owner)
    url = reverse("corpus-schema", kwargs={"slug": corpus.slug})

    page = client.get(url)
    transfer = client.get(url, {"roles": "Transaction.Transfer-Ownership"})  # 14 roles, the most
    located = client.get(url, {"relation": "PHYS.Located"})

    assert len(page.content) < PAGE_BUDGET
    assert "Attacker (PER, ORG, GPE)" in page.content.decode()
    assert 'id="roles-editor"' not in page.content.decode()
    assert len(transfer.content) < PAGE_BUDGET
    assert 'id="roles-editor"' in transfer.content.decode()
    assert 'name="role" value="Buyer"' in transfer.content.decode()
    assert len(located.content) < PAGE_BUDGET
    assert 'id="relation-editor"' in located.content.decode()
