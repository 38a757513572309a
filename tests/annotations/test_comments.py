"""A document's comment thread: members read and write it, authors and owners delete."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import DocumentComment
from annotations.services.comments import COMMENT_MAX_CHARS

pytestmark = pytest.mark.django_db


def post(user, document, text: str):
    return api(user).post(thread_url(document), {"text": text}, format="json")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def thread_url(document) -> str:
    return reverse("api-document-comments", args=[document.corpus.slug, document.pk])


def test_members_comment_and_read_the_thread_in_order_with_author_and_time(
    document, annotator, reviewer, owner
):
    first = post(annotator, document, "  Is the regime an ORG?  ")
    assert first.status_code == 201
    assert first.json()["text"] == "Is the regime an ORG?"
    assert first.json()["may_delete"] is True
    api(reviewer).post(thread_url(document), {"text": "Yes: see the guidelines."}, format="json")
    thread = api(owner).get(thread_url(document)).json()
    assert [(c["author"], c["text"], c["may_delete"]) for c in thread] == [
        ("ana-annotator", "Is the regime an ORG?", True),
        ("rita-reviewer", "Yes: see the guidelines.", True),
    ]
    assert thread[0]["created_at"] <= thread[1]["created_at"]
    as_annotator = api(annotator).get(thread_url(document)).json()
    assert [c["may_delete"] for c in as_annotator] == [True, False]


def test_an_empty_or_long_comment_is_a_400_naming_the_field(document, annotator):
    empty = api(annotator).post(thread_url(document), {"text": "   "}, format="json")
    assert empty.status_code == 400
    assert "text" in empty.json()["message"]
    long = api(annotator).post(
        thread_url(document), {"text": "x" * (COMMENT_MAX_CHARS + 1)}, format="json"
    )
    assert long.status_code == 400
    assert "text" in long.json()["message"]
    assert not DocumentComment.objects.exists()


def test_only_the_author_or_an_owner_deletes_and_outsiders_see_nothing(
    document, annotator, reviewer, owner, outsider
):
    made = api(annotator).post(thread_url(document), {"text": "A question."}, format="json")
    url = reverse("api-comment-detail", args=[made.json()["id"]])
    assert api(reviewer).delete(url).status_code == 403
    assert api(outsider).delete(url).status_code == 404
    assert api(outsider).get(thread_url(document)).status_code == 404
    assert post(outsider, document, "hi").status_code == 404
    assert api(owner).delete(url).status_code == 204
    again = post(annotator, document, "Another.").json()["id"]
    assert api(annotator).delete(reverse("api-comment-detail", args=[again])).status_code == 204
    assert not DocumentComment.objects.exists()


def test_a_comment_stays_when_its_author_is_deleted(document, annotator):
    api(annotator).post(thread_url(document), {"text": "Kept."}, format="json")
    annotator.delete()
    comment = DocumentComment.objects.get()
    assert (comment.author, comment.text) == (None, "Kept.")
