"""An owner pre-annotates a corpus from its page and watches the run finish."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from corpus.models import EventRole, Membership
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, DocumentFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.model]


def test_owner_starts_a_run_and_sees_its_progress_then_the_events(
    page: Page, live_server, corpus, owner, nlp
):
    corpus.schema.event_types.update(triggers=[{"lemma": "kill", "pos": ["VERB"]}])
    EventRole.objects.filter(event_type__schema=corpus.schema, key="Place").update(syntax=["place"])
    DocumentFactory(corpus=corpus, text="Troops killed 13 civilians in Idlib on Friday.")
    DocumentFactory(corpus=corpus, text="Kofi Annan arrived in Damascus on Saturday.")
    assert Membership.objects.filter(corpus=corpus, user=owner, role="owner").exists()
    sign_in(page, live_server.url, owner.username, PASSWORD)
    page.get_by_role("link", name=corpus.name).click()
    expect(page.locator("#preannotation")).to_contain_text("not been pre-annotated yet")

    page.get_by_role("button", name="Pre-annotate", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Pre-annotation queued: 2 documents.")
    expect(page.locator("#run-status")).to_have_text("queued")
    expect(page.locator("#run-total")).to_have_text("2")

    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())

    expect(page.locator("#run-status")).to_have_text("done", timeout=20_000)
    expect(page.locator("#run-done")).to_have_text("2")
    expect(page.locator("#documents")).to_contain_text("pre-annotated")
    page.get_by_role("link", name="doc-").first.click()
    trigger = page.locator('mark[data-kind="trigger"]')
    expect(trigger).to_have_text("killed")
    expect(trigger).to_have_attribute("data-label", "Life.Die")
    expect(page.locator("#events")).to_contain_text("Place: Idlib")
