"""Any signed-in user creates a corpus in the app and owns it; a corpus added in admin too."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.errors import InvalidInput
from corpus.models import Corpus, Membership
from corpus.services.corpora import corpus_create
from tests.factories import UserFactory

NEW = "/corpora/new/"


def create(client, **fields):
    data = {
        "name": "Syria news",
        "slug": "",
        "description": "Articles about Syria.",
        "schema_source": "ace2005",
        "guidelines": "# Mark people\n\nEvery **person**.",
        "annotators_per_document": "2",
        "review_required": "on",
        "rule_id_line": "on",
        "rule_trailers": "on",
        **fields,
    }
    return client.post(NEW, data)


def owners_of(corpus):
    return set(corpus.memberships.filter(role="owner").values_list("user__username", flat=True))


def test_the_corpus_list_links_to_the_new_corpus_page(client, outsider):
    client.force_login(outsider)

    page = client.get(reverse("corpus-list")).content.decode()

    assert f'href="{reverse("corpus-create")}"' in page
    assert reverse("corpus-create") == NEW


def test_a_signed_in_user_creates_a_corpus_from_the_ace_preset_and_owns_it(client, outsider):
    client.force_login(outsider)

    response = create(client)

    corpus = Corpus.objects.get(slug="syria-news")
    assert response.status_code == 302
    assert response["Location"] == corpus.get_absolute_url()
    assert owners_of(corpus) == {"oscar-outsider"}
    assert corpus.schema.preset == "ace2005"
    assert corpus.description == "Articles about Syria."
    assert corpus.guidelines.startswith("# Mark people")
    assert corpus.annotators_per_document == 2
    assert corpus.review_required is True
    assert corpus.cleaning == {"rules": {"id_line": True, "captions": False, "trailers": True}}
    assert client.get(corpus.get_absolute_url()).status_code == 200


def test_an_ontonotes_corpus_gets_the_ontonotes_schema(client, owner):
    client.force_login(owner)

    create(client, name="OntoNotes names", schema_source="ontonotes")

    schema = Corpus.objects.get(slug="ontonotes-names").schema
    assert schema.preset == "ontonotes"
    assert schema.entity_types.filter(key="PERSON").exists()


def test_copying_the_schema_of_an_owned_corpus_makes_an_own_copy(client, owner, corpus):
    client.force_login(owner)

    response = create(client, name="Copy", schema_source="copy", copy_from=str(corpus.pk))

    copy = Corpus.objects.get(slug="copy")
    assert response.status_code == 302
    assert copy.schema != corpus.schema
    keys = set(copy.schema.entity_types.values_list("key", flat=True))
    assert keys == set(corpus.schema.entity_types.values_list("key", flat=True))
    die = copy.schema.event_types.get(key="Life.Die")
    victim = die.roles.get(key="Victim")
    assert list(victim.entity_types.values_list("key", flat=True)) == ["PER"]


@pytest.mark.parametrize("persona", ["annotator", "reviewer", "outsider"])
def test_copying_the_schema_of_a_corpus_one_does_not_own_is_refused(
    client, corpus, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    response = create(client, name="Stolen", schema_source="copy", copy_from=str(corpus.pk))

    assert response.status_code == 400
    assert "Select a valid choice" in response.context["form"].errors["copy_from"][0]
    assert not Corpus.objects.filter(slug="stolen").exists()


def test_a_brat_annotation_conf_becomes_the_corpus_schema(client, owner, testdata):
    conf = (testdata / "brat-news-tutorial" / "annotation.conf").read_bytes()
    client.force_login(owner)

    response = create(
        client,
        name="Brat news",
        schema_source="brat",
        schema_file=SimpleUploadedFile("annotation.conf", conf),
    )

    corpus = Corpus.objects.get(slug="brat-news")
    assert response.status_code == 302
    assert owners_of(corpus) == {"olivia-owner"}
    keys = set(corpus.schema.entity_types.values_list("key", flat=True))
    assert {"Person", "Organization", "GPE"} <= keys
    assert corpus.schema.relation_types.filter(key="Located").exists()


def test_a_goldset_schema_json_file_becomes_the_corpus_schema(client, owner):
    schema = {
        "key": "tiny",
        "name": "Tiny",
        "entity_types": [{"key": "PER", "name": "Person", "color": "#a6cee3", "hotkey": "p"}],
    }
    client.force_login(owner)

    create(
        client,
        name="From JSON",
        schema_source="json",
        schema_file=SimpleUploadedFile("schema.json", json.dumps(schema).encode()),
    )

    created = Corpus.objects.get(slug="from-json").schema
    assert created.name == "Tiny"
    assert list(created.entity_types.values_list("key", "hotkey")) == [("PER", "p")]


def test_a_bad_annotation_conf_is_shown_on_the_file_field_with_its_line(client, owner):
    conf = b"[entities]\nPerson\n[relations]\nKnows Arg1:Person, Arg2:Robot\n"
    client.force_login(owner)

    response = create(
        client,
        name="Bad conf",
        schema_source="brat",
        schema_file=SimpleUploadedFile("annotation.conf", conf),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["schema_file"]
    assert "annotation.conf: line 4" in errors[0]
    assert "Robot" in errors[0]
    assert "annotation.conf: line 4" in response.content.decode()
    assert not Corpus.objects.filter(slug="bad-conf").exists()


def test_bad_schema_json_is_shown_on_the_file_field_saying_what_and_where(client, owner):
    duplicate_hotkeys = {
        "key": "dup",
        "name": "Dup",
        "entity_types": [
            {"key": "PER", "hotkey": "p"},
            {"key": "ORG", "hotkey": "p", "color": "not a colour"},
        ],
    }
    client.force_login(owner)

    broken = create(
        client,
        name="Broken",
        schema_source="json",
        schema_file=SimpleUploadedFile("schema.json", b'{"key": "x",\n "name": }'),
    )
    invalid = create(
        client,
        name="Invalid",
        schema_source="json",
        schema_file=SimpleUploadedFile("schema.json", json.dumps(duplicate_hotkeys).encode()),
    )

    assert broken.status_code == 400
    assert "schema.json: line 2" in broken.context["form"].errors["schema_file"][0]
    assert invalid.status_code == 400
    problems = " ".join(invalid.context["form"].errors["schema_file"])
    assert "Entity type ORG: colour 'not a colour' is not #rrggbb" in problems
    assert "hotkey 'p' is already the hotkey of entity type PER" in problems
    assert not Corpus.objects.filter(slug__in=["broken", "invalid"]).exists()


def test_a_file_source_without_a_file_asks_for_one(client, owner):
    client.force_login(owner)

    response = create(client, name="No file", schema_source="brat")

    assert response.status_code == 400
    assert response.context["form"].errors["schema_file"] == ["Choose the schema file to upload."]


def test_a_duplicate_slug_is_refused_on_the_slug_field(client, owner, corpus):
    client.force_login(owner)

    given = create(client, name="Another", slug=corpus.slug)
    derived = create(client, name=corpus.slug)
    reserved = create(client, name="New")

    for response in (given, derived, reserved):
        assert response.status_code == 400
        assert "is taken" in response.context["form"].errors["slug"][0]
    assert Corpus.objects.filter(slug=corpus.slug).count() == 1


def test_an_invalid_slug_is_refused_with_a_suggestion(client, owner):
    client.force_login(owner)

    response = create(client, name="Fine", slug="Not A Slug!")

    assert response.status_code == 400
    assert "'not-a-slug'" in response.context["form"].errors["slug"][0]


def test_the_guidelines_preview_renders_markdown_without_script(client, owner):
    client.force_login(owner)
    text = "# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>"

    response = client.post(reverse("corpus-guidelines-preview"), {"text": text})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "onerror" not in html


def test_the_guidelines_preview_is_post_only(client, owner):
    client.force_login(owner)

    assert client.get(reverse("corpus-guidelines-preview")).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (NEW, reverse("corpus-guidelines-preview")):
        response = client.post(url, {"name": "x", "text": "x"})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Corpus.objects.exists()


def test_the_service_creates_nothing_when_the_schema_is_invalid(owner):
    with pytest.raises(InvalidInput, match="hotkey"):
        corpus_create(
            name="Half",
            schema={"key": "half", "name": "Half", "entity_types": [{"key": "A", "hotkey": "ab"}]},
            owner=owner,
        )

    assert not Corpus.objects.filter(slug="half").exists()
    assert not Membership.objects.exists()


def test_a_corpus_added_in_admin_gets_its_creator_as_owner(client, corpus):
    admin = UserFactory(username="ada-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:corpus_corpus_add"),
        {
            "name": "Admin made",
            "slug": "admin-made",
            "schema": str(corpus.schema.pk),
            "annotators_per_document": "1",
            "reservation_minutes": "30",
            "queue_order": "document",
            "queue_seed": "0",
            "cleaning": "{}",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": str(admin.pk),
            "memberships-0-role": "owner",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    made = Corpus.objects.get(slug="admin-made")
    assert owners_of(made) == {"ada-admin"}
    assert client.get(made.get_absolute_url()).status_code == 200
