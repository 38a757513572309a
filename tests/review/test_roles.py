"""Roles and blind annotation, the same in pages and API, for the whole cast.

Owner, annotator (Ana), second annotator (Ben), reviewer and outsider on one document
holding a prediction, Ana's and Ben's submitted layers and a reviewed gold layer.
Every case names the status it expects; a 500 would fail it.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.content import LayerContent, SpanItem
from annotations.models import Annotation, Revision
from annotations.services.content import layer_content_read
from corpus.models import Corpus
from review.services import gold_adjudicate
from tests.factories import prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LAYERS = ("prediction", "ana", "ben", "gold")
# Who sees which layer while the corpus keeps gold from annotators (the default).
VISIBLE = {
    "owner": {"prediction", "ana", "ben", "gold"},
    "annotator": {"prediction", "ana"},
    "ben": {"prediction", "ben"},
    "reviewer": {"prediction", "ana", "ben", "gold"},
    "outsider": set(),
}
# With `annotators_see_gold` on: the same, and the gold for both annotators.
VISIBLE_WITH_GOLD = {
    **VISIBLE,
    "annotator": {"prediction", "ana", "gold"},
    "ben": {"prediction", "ben", "gold"},
}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def cast(owner, annotator, ben, reviewer, outsider) -> dict:
    return {
        "owner": owner,
        "annotator": annotator,
        "ben": ben,
        "reviewer": reviewer,
        "outsider": outsider,
    }


@pytest.fixture
def stack(document, reviewer, layers) -> dict[str, int]:
    """The document's four layers by name: the model's, Ana's, Ben's and the gold."""
    prediction = prediction_create(document)
    gold = gold_adjudicate(
        document=document,
        user=reviewer,
        content=LayerContent(spans=[SpanItem(id="a", start=0, end=10, label="PER")]),
        sources=layers,
        method="edited",
    )
    return {
        "prediction": prediction.pk,
        "ana": layers["ana-annotator"],
        "ben": layers["ben-annotator"],
        "gold": gold.pk,
    }


def show_gold_to_annotators(document) -> None:
    document.corpus.annotators_see_gold = True
    document.corpus.save(update_fields=["annotators_see_gold"])


def layer_url(pk: int) -> str:
    return reverse("api-layer-detail", kwargs={"pk": pk})


def document_kwargs(document) -> dict:
    return {"slug": document.corpus.slug, "pk": document.pk}


def gold_state(pk: int) -> tuple:
    """What a write to the gold would change: its version, spans and revisions."""
    gold = Annotation.objects.get(pk=pk)
    spans = {(span.start, span.end, span.label) for span in layer_content_read(gold).spans}
    return gold.version, spans, Revision.objects.filter(annotation=gold).count()


# Blind annotation: layers by id.


def test_an_annotator_asking_for_another_annotators_layer_by_id_gets_404(api, annotator, stack):
    api.force_authenticate(annotator)

    response = api.get(layer_url(stack["ben"]))

    assert response.status_code == 404
    assert response.json() == {"message": f"No annotation layer {stack['ben']}.", "extra": {}}
    assert api.get(layer_url(stack["ana"])).status_code == 200


def test_an_annotator_asking_for_the_gold_by_id_gets_404_while_the_corpus_hides_it(
    api, annotator, ben, stack
):
    for user in (annotator, ben):
        api.force_authenticate(user)
        assert api.get(layer_url(stack["gold"])).status_code == 404, user
        revisions = reverse("api-layer-revisions", kwargs={"pk": stack["gold"]})
        assert api.get(revisions).status_code == 404, user


def test_with_gold_shown_an_annotator_reads_the_gold_but_cannot_put_it(
    api, annotator, document, stack
):
    show_gold_to_annotators(document)
    before = gold_state(stack["gold"])
    api.force_authenticate(annotator)

    read = api.get(layer_url(stack["gold"]))
    put = api.put(
        layer_url(stack["gold"]),
        {"version": read.json()["version"], "spans": [], "events": []},
        format="json",
    )

    assert read.status_code == 200
    assert read.json()["kind"] == "gold"
    assert put.status_code == 403
    assert put.json()["message"] == "Only a corpus owner or reviewer can change the gold layer."
    assert gold_state(stack["gold"]) == before


@pytest.mark.parametrize("see_gold", [False, True], ids=["gold hidden", "gold shown"])
def test_every_persona_reads_by_id_exactly_the_layers_its_role_allows(
    api, cast, document, stack, see_gold
):
    if see_gold:
        show_gold_to_annotators(document)
    visible = VISIBLE_WITH_GOLD if see_gold else VISIBLE
    for persona, user in cast.items():
        api.force_authenticate(user)
        for name in LAYERS:
            expected = 200 if name in visible[persona] else 404
            response = api.get(layer_url(stack[name]))
            assert response.status_code == expected, (persona, name)
            revisions = reverse("api-layer-revisions", kwargs={"pk": stack[name]})
            assert api.get(revisions).status_code == expected, (persona, name, "revisions")


@pytest.mark.parametrize("see_gold", [False, True], ids=["gold hidden", "gold shown"])
def test_the_document_api_and_page_list_the_same_layers_for_every_persona(
    api, client, cast, document, stack, see_gold
):
    if see_gold:
        show_gold_to_annotators(document)
    visible = VISIBLE_WITH_GOLD if see_gold else VISIBLE
    api_url = reverse("api-document-detail", kwargs=document_kwargs(document))
    page_url = reverse("document-detail", kwargs=document_kwargs(document))
    for persona, user in cast.items():
        expected = {stack[name] for name in visible[persona]}
        api.force_authenticate(user)
        client.force_login(user)
        response = api.get(api_url)
        page = client.get(page_url)
        if persona == "outsider":
            assert (response.status_code, page.status_code) == (404, 404)
            continue
        assert response.status_code == 200, persona
        assert {layer["id"] for layer in response.json()["layers"]} == expected, persona
        assert page.status_code == 200, persona
        assert {layer.pk for layer in page.context["layers"]} == expected, persona
        for name in LAYERS:
            chosen = client.get(page_url, {"layer": stack[name]})
            assert chosen.status_code == (200 if stack[name] in expected else 404), (persona, name)


def test_an_annotator_opens_the_document_page_on_the_prediction_not_the_hidden_gold(
    client, annotator, document, stack
):
    client.force_login(annotator)

    page = client.get(reverse("document-detail", kwargs=document_kwargs(document)))

    assert page.context["layer"].pk == stack["prediction"]


# Writing gold.


@pytest.mark.parametrize(
    ("see_gold", "expected"), [(False, 404), (True, 403)], ids=["gold hidden", "gold shown"]
)
def test_an_annotator_cannot_write_gold_through_the_layer_api(
    api, annotator, document, stack, see_gold, expected
):
    if see_gold:
        show_gold_to_annotators(document)
    before = gold_state(stack["gold"])
    api.force_authenticate(annotator)
    body = {"version": before[0], "spans": [], "events": []}

    put = api.put(layer_url(stack["gold"]), body, format="json")
    submit = api.post(
        reverse("api-layer-submit", kwargs={"pk": stack["gold"]}), body, format="json"
    )
    skip = api.post(reverse("api-layer-skip", kwargs={"pk": stack["gold"]}), body, format="json")

    assert (put.status_code, submit.status_code, skip.status_code) == (expected,) * 3
    assert gold_state(stack["gold"]) == before


def test_an_annotator_cannot_write_gold_through_the_review_api_or_pages(
    api, client, annotator, ben, document, stack
):
    before = gold_state(stack["gold"])
    kwargs = document_kwargs(document)
    for user in (annotator, ben):
        api.force_authenticate(user)
        client.force_login(user)
        for body in (
            {"action": "agreed", "k": 1},
            {"action": "take", "voter": user.username},
            {"action": "save", "version": before[0], "spans": [], "events": []},
        ):
            response = api.post(reverse("api-document-review", kwargs=kwargs), body, format="json")
            assert response.status_code == 403, (user, body)
        page = client.post(
            reverse("document-review", kwargs=kwargs),
            {"action": "agreed", "k": "1", "version": str(before[0])},
        )
        assert page.status_code == 403, user
        assert client.get(reverse("document-gold-edit", kwargs=kwargs)).status_code == 403
        assert client.post(reverse("document-gold-edit", kwargs=kwargs)).status_code == 403
    assert gold_state(stack["gold"]) == before


def test_owners_and_reviewers_write_gold_through_the_layer_api(api, owner, reviewer, stack):
    for user in (reviewer, owner):
        api.force_authenticate(user)
        version = api.get(layer_url(stack["gold"])).json()["version"]
        put = api.put(
            layer_url(stack["gold"]), {"version": version, "spans": [], "events": []}, format="json"
        )
        assert put.status_code == 200, user
        assert put.json()["version"] == version + 1


# Review, dashboard and agreement: owners and reviewers only.


REVIEWING = [
    ("page", "document-review"),
    ("api", "api-document-review"),
    ("page", "document-gold-edit"),
    ("page", "corpus-dashboard"),
    ("api", "api-corpus-dashboard"),
    ("api", "api-corpus-agreement"),
    ("api", "api-corpus-agreement-csv"),
]
REVIEWING_CODES = {"owner": 200, "reviewer": 200, "annotator": 403, "ben": 403, "outsider": 404}


@pytest.mark.parametrize(("kind", "name"), REVIEWING, ids=[name for _, name in REVIEWING])
def test_review_dashboard_and_agreement_are_for_owners_and_reviewers(
    api, client, cast, document, stack, kind, name
):
    kwargs = {"slug": document.corpus.slug}
    if "document" in name:
        kwargs["pk"] = document.pk
    url = reverse(name, kwargs=kwargs)
    for persona, user in cast.items():
        if kind == "api":
            api.force_authenticate(user)
            response = api.get(url)
        else:
            client.force_login(user)
            response = client.get(url)
        assert response.status_code == REVIEWING_CODES[persona], (persona, url)
        if kind == "api" and response.status_code != 200:
            assert set(response.json()) == {"message", "extra"}, (persona, url)


# Outsiders and signed-out visitors.


def every_url(document, stack) -> list[tuple[str, str, str]]:
    """Every page and endpoint of the corpus: (page or api, method, URL)."""
    slug = document.corpus.slug
    corpus = {"slug": slug}
    one = document_kwargs(document)
    gold = {"pk": stack["gold"]}
    return [
        ("page", "get", reverse("corpus-detail", kwargs=corpus)),
        ("page", "get", reverse("document-detail", kwargs=one)),
        ("page", "get", reverse("document-annotate", kwargs=one)),
        ("page", "get", reverse("corpus-annotate", kwargs=corpus)),
        ("page", "get", reverse("document-review", kwargs=one)),
        ("page", "post", reverse("document-review", kwargs=one)),
        ("page", "get", reverse("document-gold-edit", kwargs=one)),
        ("page", "post", reverse("document-gold-edit", kwargs=one)),
        ("page", "get", reverse("corpus-dashboard", kwargs=corpus)),
        ("page", "get", reverse("corpus-export", kwargs=corpus)),
        ("page", "get", reverse("corpus-import", kwargs=corpus)),
        ("page", "post", reverse("corpus-preannotate", kwargs=corpus)),
        ("api", "get", reverse("api-corpus-detail", kwargs=corpus)),
        ("api", "get", reverse("api-document-list", kwargs=corpus)),
        ("api", "get", reverse("api-document-detail", kwargs=one)),
        ("api", "get", reverse("api-layer-detail", kwargs=gold)),
        ("api", "put", reverse("api-layer-detail", kwargs=gold)),
        ("api", "post", reverse("api-layer-submit", kwargs={"pk": stack["ana"]})),
        ("api", "post", reverse("api-layer-skip", kwargs={"pk": stack["ana"]})),
        ("api", "get", reverse("api-layer-revisions", kwargs=gold)),
        ("api", "get", reverse("api-layer-revision", kwargs={**gold, "version": 1})),
        ("api", "get", reverse("api-next-document", kwargs=corpus)),
        ("api", "post", reverse("api-my-layer", kwargs=one)),
        ("api", "get", reverse("api-document-review", kwargs=one)),
        ("api", "post", reverse("api-document-review", kwargs=one)),
        ("api", "get", reverse("api-corpus-agreement", kwargs=corpus)),
        ("api", "get", reverse("api-corpus-agreement-csv", kwargs=corpus)),
        ("api", "get", reverse("api-corpus-dashboard", kwargs=corpus)),
        ("api", "get", reverse("api-corpus-export", kwargs=corpus)),
        ("api", "get", reverse("api-corpus-export-preview", kwargs=corpus)),
        ("api", "get", reverse("api-run-list", kwargs=corpus)),
        ("api", "post", reverse("api-run-list", kwargs=corpus)),
    ]


# Sent with every API request: a write that would change the gold if it got through.
WRITE = {"action": "agreed", "k": 1, "version": 1, "spans": [], "events": []}


def test_an_outsider_gets_404_on_every_page_and_endpoint_of_the_corpus(
    api, client, outsider, document, stack
):
    api.force_authenticate(outsider)
    client.force_login(outsider)
    before = gold_state(stack["gold"])
    for kind, method, url in every_url(document, stack):
        if kind == "api":
            response = getattr(api, method)(url, WRITE, format="json")
            assert response.status_code == 404, (method, url)
            assert set(response.json()) == {"message", "extra"}, (method, url)
        else:
            response = getattr(client, method)(url, {"action": "agreed", "k": "1"})
            assert response.status_code == 404, (method, url)
    assert gold_state(stack["gold"]) == before
    assert not Annotation.objects.filter(user=outsider).exists()


def test_signed_out_pages_go_to_the_login_and_the_api_answers_in_json(document, stack):
    client = Client()
    login = reverse("login")
    for kind, method, url in every_url(document, stack):
        response = getattr(client, method)(url)
        if kind == "page":
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(f"{login}?next="), (method, url)
        else:
            assert response.status_code in (401, 403), (method, url)
            assert set(response.json()) == {"message", "extra"}, (method, url)


# Managing the corpus: owners only.


def test_import_preannotation_and_export_are_for_owners(api, client, cast, document, stack):
    corpus = {"slug": document.corpus.slug}
    pages = [
        ("get", reverse("corpus-import", kwargs=corpus)),
        ("get", reverse("corpus-export", kwargs=corpus)),
        ("post", reverse("corpus-preannotate", kwargs=corpus)),
    ]
    endpoints = [
        ("get", reverse("api-corpus-export-preview", kwargs=corpus)),
        ("get", reverse("api-corpus-export", kwargs=corpus)),
        ("post", reverse("api-run-list", kwargs=corpus)),
    ]
    for persona in ("annotator", "ben", "reviewer"):
        client.force_login(cast[persona])
        api.force_authenticate(cast[persona])
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 403, (persona, url)
        for method, url in endpoints:
            response = getattr(api, method)(url, {}, format="json")
            assert response.status_code == 403, (persona, url)
    client.force_login(cast["owner"])
    api.force_authenticate(cast["owner"])
    for _, url in pages[:2]:
        assert client.get(url).status_code == 200, url
    assert api.get(endpoints[0][1]).status_code == 200


# The setting's migration.


@pytest.mark.django_db(transaction=True)
def test_corpora_made_before_the_setting_keep_gold_from_annotators():
    executor = MigrationExecutor(connection)
    try:
        apps = executor.migrate([("corpus", "0004_queue_settings")]).apps
        schema = apps.get_model("corpus", "LabelSchema").objects.create(key="old", name="Old")
        apps.get_model("corpus", "Corpus").objects.create(slug="old", name="Old", schema=schema)
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())

    assert Corpus.objects.get(slug="old").annotators_see_gold is False
