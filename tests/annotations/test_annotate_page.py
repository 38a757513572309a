"""The annotate page: who may open it, what it gives the editor, the way to the next document."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from corpus.models import Membership
from tests.editor_page import editor_data
from tests.factories import DocumentFactory, UserFactory, prediction_create

pytestmark = pytest.mark.django_db


def annotate_url(document) -> str:
    return reverse("document-annotate", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def test_annotator_opens_a_copy_of_the_predictions_in_the_editor(client, annotator, document):
    prediction = prediction_create(document)
    client.force_login(annotator)
    response = client.get(annotate_url(document))
    assert response.status_code == 200
    data = editor_data(client, response)
    layer = Annotation.objects.get(document=document, kind="annotator", user=annotator)
    assert data["layer"]["id"] == layer.pk
    assert layer.origin["copied_from"]["layer"] == prediction.pk
    spans = data["layer"]["spans"]
    assert [(span["label"], span["source"], span["accepted"]) for span in spans] == [
        ("PER", "model", False),
        ("GPE", "model", False),
    ]
    assert data["text"] == document.text
    assert data["urls"]["layer"] == f"/api/annotations/{layer.pk}/"
    victim = data["schema"]["eventTypes"]["Life.Die"]["roles"][0]
    assert (victim["key"], victim["entityTypes"]) == ("Victim", ["PER"])


def test_palette_buttons_are_named_after_the_labels(client, annotator, document):
    client.force_login(annotator)
    html = client.get(annotate_url(document)).content.decode()
    assert 'data-label="PER" aria-label="PER Person"' in html  # the visible key, then the name
    assert 'data-type="Life.Die" aria-label="Life.Die Die"' in html


def test_reopening_keeps_the_annotators_work(client, annotator, document):
    prediction_create(document)
    client.force_login(annotator)
    first = editor_data(client, client.get(annotate_url(document)))["layer"]
    Annotation.objects.filter(pk=first["id"]).update(version=7)
    again = editor_data(client, client.get(annotate_url(document)))["layer"]
    assert (again["id"], again["version"]) == (first["id"], 7)


def test_owner_without_annotator_role_may_not_annotate(client, owner, document):
    client.force_login(owner)
    response = client.get(annotate_url(document))
    assert response.status_code == 403
    assert not Annotation.objects.filter(kind="annotator").exists()


def test_outsider_gets_404(client, outsider, document):
    client.force_login(outsider)
    assert client.get(annotate_url(document)).status_code == 404


def test_reviewer_annotates_in_a_layer_of_their_own(client, reviewer, annotator, document):
    client.force_login(annotator)
    mine = editor_data(client, client.get(annotate_url(document)))["layer"]["id"]
    client.force_login(reviewer)
    theirs = editor_data(client, client.get(annotate_url(document)))["layer"]["id"]
    assert mine != theirs


def test_start_annotating_goes_to_the_first_unfinished_document(client, annotator, corpus):
    done, todo = DocumentFactory(corpus=corpus), DocumentFactory(corpus=corpus)
    Annotation.objects.create(
        document=done, kind="annotator", user=annotator, status=Annotation.Status.SUBMITTED
    )
    client.force_login(annotator)
    assert "Start annotating" in client.get(corpus.get_absolute_url()).content.decode()
    response = client.get(reverse("corpus-annotate", kwargs={"slug": corpus.slug}))
    assert response.url == annotate_url(todo)


def test_start_annotating_says_when_nothing_is_left(client, annotator, corpus):
    client.force_login(annotator)
    response = client.get(reverse("corpus-annotate", kwargs={"slug": corpus.slug}), follow=True)
    assert response.redirect_chain[-1][0] == corpus.get_absolute_url()
    assert "Nothing left to annotate in this corpus." in response.content.decode()


def test_owners_who_do_not_annotate_get_no_start_button(client, corpus):
    owner_only = UserFactory(username="otto-owner-only")
    Membership.objects.create(corpus=corpus, user=owner_only, role=Membership.Role.OWNER)
    client.force_login(owner_only)
    assert "Start annotating" not in client.get(corpus.get_absolute_url()).content.decode()


def test_guidelines_are_rendered_from_markdown_without_scripts(client, annotator, document):
    corpus = document.corpus
    corpus.guidelines = "# Rules\n\nMark **names**.<script>alert(1)</script>"
    corpus.save()
    client.force_login(annotator)
    html = client.get(annotate_url(document)).content.decode()
    assert "<h1>Rules</h1>" in html
    assert "<strong>names</strong>" in html
    assert "<script>alert(1)</script>" not in html
