"""The review page: each item with who has it; gold from what both agree on, one voter, or ticks."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.layers import events_of, spans_of

pytestmark = pytest.mark.postgres


def page_url(document) -> str:
    return reverse("document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def gold_of(document) -> Annotation:
    return Annotation.objects.get(document=document, kind="gold")


def test_the_page_lists_every_item_with_its_voters_and_agreement(
    client, reviewer, document, layers
):
    client.force_login(reviewer)

    page = client.get(page_url(document)).content.decode()

    assert "“Kofi Annan” PER" in page
    assert "“Damascus” GPE" in page
    assert "“Damascus” PER" in page
    assert "label clash: GPE" in page  # Ben's PER on the text Ana calls GPE
    assert "ana-annotator, ben-annotator" in page
    assert "Take all of ben-annotator" in page
    assert "No gold yet." in page


def test_accepting_what_both_agree_on_writes_the_gold(client, reviewer, document, layers):
    client.force_login(reviewer)

    response = client.post(page_url(document), {"action": "agreed", "k": "2", "version": "0"})

    assert response.status_code == 302
    gold = gold_of(document)
    assert gold.status == "reviewed"
    assert spans_of(gold) == {(0, 10, "PER", "Kofi Annan")}
    assert {event[0] for event in events_of(gold)} == {"Life.Die"}
    assert "Gold saved (agreed by at least 2)" in client.get(page_url(document)).content.decode()


def test_ticked_items_become_the_gold_and_show_as_kept(client, owner, document, layers):
    client.force_login(owner)
    chosen = ["span:0:10:PER", "span:22:30:GPE"]

    client.post(page_url(document), {"action": "choose", "item": chosen, "version": "0"})

    assert {span[2] for span in spans_of(gold_of(document))} == {"PER", "GPE"}
    page = client.get(page_url(document)).content.decode()
    assert "Gold: version 1" in page
    assert 'value="span:22:30:GPE" id="item-1-2" checked' in page


def test_a_stale_version_changes_nothing(client, reviewer, document, layers):
    client.force_login(reviewer)
    client.post(page_url(document), {"action": "take", "voter": "ana-annotator", "version": "0"})

    response = client.post(
        page_url(document), {"action": "agreed", "k": "2", "version": "0"}, follow=True
    )

    assert "Nothing was saved" in response.content.decode()
    assert len(spans_of(gold_of(document))) == 2  # still all of Ana's


def test_only_owners_and_reviewers_review(client, annotator, outsider, document, layers):
    client.force_login(annotator)
    assert client.get(page_url(document)).status_code == 403
    assert client.post(page_url(document), {"action": "agreed"}).status_code == 403
    client.force_login(outsider)
    assert client.get(page_url(document)).status_code == 404
    assert not Annotation.objects.filter(kind="gold").exists()
