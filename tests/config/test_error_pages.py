"""Errors a person can read: styled 403/404/500 pages with a way back, JSON on /api/, and
admin schema pages that answer bad input with a form error instead of a 500."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from config.error_views import permission_denied, server_error
from corpus.models import EntityType, EventType
from tests.factories import LabelSchemaFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def assert_our_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert "goldset/css/goldset.css" in html
    assert 'href="/"' in html  # the way back to the corpus list
    assert not INLINE.search(html)
    return html


def test_an_unknown_page_is_a_styled_404_with_a_way_back(client, owner):
    client.force_login(owner)

    response = client.get("/no/such/page/", headers={"referer": "http://testserver/"})

    html = assert_our_page(response, 404, "Page not found")
    assert "<code>/no/such/page/</code>" in html
    assert "Back to the previous page" in html
    assert owner.username in html  # inside the normal layout, signed in
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_corpus_an_outsider_cannot_see_is_the_same_404(client, corpus, outsider):
    client.force_login(outsider)

    response = client.get(f"/corpora/{corpus.slug}/")

    assert_our_page(response, 404, "Page not found")
    assert corpus.name not in response.content.decode()


def test_a_link_back_is_offered_only_to_our_own_pages(client, owner):
    client.force_login(owner)

    response = client.get("/no/such/page/", headers={"referer": "https://evil.example/"})

    assert "evil.example" not in response.content.decode()


def test_an_unknown_api_url_is_still_json(client, owner):
    client.force_login(owner)

    response = client.get("/api/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json()["message"] == "No API endpoint at /api/no-such-endpoint/."


def test_a_refusal_is_a_styled_403_saying_why(owner):
    request = RequestFactory().get("/corpora/x/members/")
    request.user = owner

    response = permission_denied(request, PermissionDenied("Only owners manage members."))

    html = assert_our_page(response, 403, "Not allowed")
    assert "Only owners manage members." in html


def test_a_server_error_page_renders_without_request_or_database(django_assert_num_queries):
    request = RequestFactory().get("/corpora/")

    with django_assert_num_queries(0):
        response = server_error(request)

    html = assert_our_page(response, 500, "Server error")
    assert "the problem is logged" in html


def test_a_server_error_under_api_is_json():
    response = server_error(RequestFactory().get("/api/corpora/"))

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "message": "Server error: the problem is logged.",
        "extra": {},
    }


# -- the admin's schema pages --


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def entity(key: str, hotkey: str = "", **fields) -> dict[str, str]:
    row = {"order": "0", "key": key, "name": key, "color": "#112233", "hotkey": hotkey}
    return row | {"spacy_labels": "[]"} | fields


def schema_form(key: str, entities: list[dict], attributes: list[dict] = (), **kw) -> dict:
    data = {"key": key, "name": "Schema", "description": "", "preset": ""}
    data |= formset("entity_types", entities, **kw) | formset("attribute_types", list(attributes))
    return data


def form_errors(response) -> str:
    assert response.status_code == 200, "the form should come back with its error"
    return " ".join(
        re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    )


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([entity("PER"), entity("PER")], "duplicate data for key"),
        (
            [entity("PER", "p"), entity("ORG", "p")],
            "hotkey &#x27;p&#x27; is already the hotkey of PER",
        ),
        (
            [entity("PER", "p"), entity("ORG", "P")],
            "hotkey &#x27;p&#x27; is already the hotkey of PER",
        ),
        ([entity("PER", "a")], "the editor"),
        ([entity("PER", color="red")], "red"),
        ([entity("P R")], "P R"),
    ],
    ids=["key", "hotkey", "hotkey-case", "editor-key", "colour", "key-format"],
)
def test_adding_a_schema_with_bad_entity_types_is_a_form_error(admin_client, rows, error):
    response = admin_client.post("/admin/corpus/labelschema/add/", schema_form("fresh", rows))

    assert error in form_errors(response)
    assert not EntityType.objects.filter(schema__key="fresh").exists()


def test_a_new_row_taking_an_existing_key_or_hotkey_is_a_form_error(admin_client):
    schema = LabelSchemaFactory()
    EntityType.objects.filter(schema=schema, key="PER").update(hotkey="p")
    rows = [
        entity(t.key, t.hotkey, id=str(t.pk), schema=str(schema.pk), order=str(t.order))
        for t in schema.entity_types.all()
    ]
    url = f"/admin/corpus/labelschema/{schema.pk}/change/"

    by_key = admin_client.post(url, schema_form(schema.key, [*rows, entity("PER")], initial=2))
    by_hotkey = admin_client.post(
        url, schema_form(schema.key, [*rows, entity("ORG", "p")], initial=2)
    )

    assert "duplicate data for key" in form_errors(by_key)
    assert "already the hotkey of entity type PER" in form_errors(by_hotkey)
    assert schema.entity_types.count() == 2


def test_an_event_type_taking_an_entity_types_hotkey_is_a_form_error(admin_client):
    schema = LabelSchemaFactory()
    EntityType.objects.filter(schema=schema, key="PER").update(hotkey="p")
    data = {
        "schema": str(schema.pk), "key": "Conflict.Attack", "name": "Attack", "group": "",
        "description": "", "examples": "[]", "order": "0", "color": "#112233", "hotkey": "p",
        "triggers": "[]",
    }  # fmt: skip
    data |= formset("roles", [])

    response = admin_client.post("/admin/corpus/eventtype/add/", data)

    assert "already the hotkey of entity type PER" in form_errors(response)
    assert not EventType.objects.filter(key="Conflict.Attack").exists()


def test_two_roles_with_one_key_are_a_form_error(admin_client):
    schema = LabelSchemaFactory()
    die = schema.event_types.get(key="Life.Die")
    data = {
        "schema": str(schema.pk), "key": die.key, "name": die.name, "group": die.group,
        "description": "", "examples": "[]", "order": "0", "color": die.color, "hotkey": "",
        "triggers": "[]",
    }  # fmt: skip
    roles = [
        {"order": "0", "key": "Agent", "name": "Agent", "description": ""},
        {"order": "1", "key": "Agent", "name": "Agent", "description": ""},
    ]
    data |= formset("roles", roles)

    response = admin_client.post(f"/admin/corpus/eventtype/{die.pk}/change/", data)

    assert "duplicate data for key" in form_errors(response)
    assert die.roles.count() == 2


def test_two_attributes_with_one_key_are_a_form_error(admin_client):
    attribute = {"order": "0", "applies_to": "entity", "key": "negated", "name": "Negated"}
    attribute |= {"values": "[]", "default": ""}
    data = schema_form("attrs", [], [attribute, attribute])

    response = admin_client.post("/admin/corpus/labelschema/add/", data)

    assert "duplicate data for applies_to and key" in form_errors(response)
