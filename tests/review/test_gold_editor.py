"""The gold editor: the document's gold layer in the annotation editor, started from agreement."""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Revision
from tests.editor_page import editor_data
from tests.layers import events_of, spans_of

pytestmark = pytest.mark.postgres


def gold_url(document) -> str:
    return reverse("document-gold-edit", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def review_url(document) -> str:
    return reverse("document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def gold_of(document) -> Annotation:
    return Annotation.objects.get(document=document, kind=Annotation.Kind.GOLD)


def test_starting_the_gold_keeps_what_every_annotator_has_and_opens_the_editor(
    client, reviewer, document, layers
):
    client.force_login(reviewer)

    response = client.post(gold_url(document))

    assert response.status_code == 302
    assert response.url == gold_url(document)
    gold = gold_of(document)
    assert (gold.version, gold.status) == (1, Annotation.Status.REVIEWED)
    assert gold.origin["method"] == "agreed, then edited"
    assert gold.origin["adjudicated_by"] == "rita-reviewer"
    assert gold.origin["from"] == layers
    assert spans_of(gold) == {(0, 10, "PER", "Kofi Annan")}  # Damascus is disputed
    assert events_of(gold) == {("Life.Die", "arrived", None, (("Victim", 1, "Kofi Annan"),))}
    assert not gold.spans.filter(accepted=False).exists()
    page = client.get(response.url).content.decode()
    assert "Gold started from the agreed items: 1 entities, 1 events, 1 arguments." in page


def test_the_editor_opens_the_gold_layer_with_a_way_back_and_no_submit(
    client, owner, document, layers
):
    client.force_login(owner)
    client.post(gold_url(document))
    gold = gold_of(document)

    response = client.get(gold_url(document))

    assert response.status_code == 200
    data = editor_data(client, response)
    assert data["mode"] == "gold"
    assert (data["layer"]["id"], data["layer"]["version"]) == (gold.pk, 1)
    assert data["urls"]["layer"] == f"/api/annotations/{gold.pk}/"
    assert data["urls"]["back"] == review_url(document)
    assert "submit" not in data["urls"]
    assert "skip" not in data["urls"]
    html = response.content.decode()
    assert 'Gold layer, version <span id="layer-version">1</span>' in html
    assert ">Back to review</a>" in html
    assert 'id="submit"' not in html
    assert 'id="skip"' not in html
    assert not Annotation.objects.filter(kind=Annotation.Kind.ANNOTATOR, user=owner).exists()


def test_without_gold_the_editor_sends_the_reviewer_back_to_the_review(
    client, reviewer, document, layers
):
    client.force_login(reviewer)

    response = client.get(gold_url(document), follow=True)

    assert response.redirect_chain == [(review_url(document), 302)]
    page = response.content.decode()
    assert "This document has no gold layer yet" in page
    assert "Start gold from agreed items and edit" in page
    assert "Edit the gold in the editor" not in page
    assert not Annotation.objects.filter(kind=Annotation.Kind.GOLD).exists()


def test_starting_again_leaves_an_existing_gold_alone(client, reviewer, document, layers):
    client.force_login(reviewer)
    client.post(review_url(document), {"action": "take", "voter": "ana-annotator"})

    response = client.post(gold_url(document))

    assert response.url == gold_url(document)
    gold = gold_of(document)
    assert gold.version == 1
    assert len(spans_of(gold)) == 2  # still all of Ana's
    page = client.get(review_url(document)).content.decode()
    assert "Edit the gold in the editor" in page
    assert "Start gold from agreed items and edit" not in page


def test_saving_from_the_editor_keeps_gold_items_accepted(client, reviewer, document, layers):
    client.force_login(reviewer)
    client.post(gold_url(document))
    layer = editor_data(client, client.get(gold_url(document)))["layer"]
    # Whatever a client sends as `accepted`, nothing in the gold is pending, a model's item
    # (as a script might send it) included.
    for item in (*layer["spans"], *layer["events"]):
        item.update(source="model", score=0.5, accepted=False)
    damascus = {"id": "n1", "start": 22, "end": 30, "label": "GPE", "accepted": False}
    body = {**layer, "spans": [*layer["spans"], damascus]}

    response = client.put(f"/api/annotations/{layer['id']}/", body, content_type="application/json")

    assert response.status_code == 200, response.json()
    gold = gold_of(document)
    assert gold.version == 2
    assert spans_of(gold) == {(0, 10, "PER", "Kofi Annan"), (22, 30, "GPE", "Damascus")}
    assert not gold.spans.filter(accepted=False).exists()
    assert not gold.events.filter(accepted=False).exists()
    assert Revision.objects.filter(annotation=gold, version=2, user=reviewer).exists()


def test_only_owners_and_reviewers_edit_the_gold(client, annotator, outsider, document, layers):
    client.force_login(annotator)
    assert client.post(gold_url(document)).status_code == 403
    assert client.get(gold_url(document)).status_code == 403
    client.force_login(outsider)
    assert client.post(gold_url(document)).status_code == 404
    assert client.get(gold_url(document)).status_code == 404
    assert not Annotation.objects.filter(kind=Annotation.Kind.GOLD).exists()


def test_annotators_get_403_even_when_the_gold_exists(
    client, reviewer, annotator, document, layers
):
    client.force_login(reviewer)
    client.post(gold_url(document))
    client.force_login(annotator)

    assert client.get(gold_url(document)).status_code == 403
    assert gold_of(document).version == 1


def test_the_annotators_editor_still_submits_and_skips(client, annotator, document):
    client.force_login(annotator)

    response = client.get(
        reverse("document-annotate", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    )

    data = editor_data(client, response)
    assert data["mode"] == "annotate"
    assert {"layer", "submit", "skip", "corpus"} <= set(data["urls"])
    html = response.content.decode()
    assert 'Your layer, version <span id="layer-version">1</span>' in html
    assert 'id="submit"' in html
    assert "Back to review" not in html
