"""A long generated article opens in the editor, is drawn whole, and is labelled at its end."""

import pytest
from playwright.sync_api import Page, Request, expect

from annotations.models import Annotation
from bench.editor_article import article_corpus_seed
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "long-article-password"
SPANS = 1_500


def test_a_label_applied_by_keyboard_in_the_last_paragraph_is_saved(page: Page, live_server):
    document, user = article_corpus_seed(
        tokens=12_000, spans=SPANS, events=300, busy=0.3, password=PASSWORD
    )
    assert len(document.text) > 60_000  # well past what the editor draws at once
    sign_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    article = page.locator("#article")
    expect(article).to_have_attribute("data-ready", "true")
    # The later paragraphs' predictions are drawn after the page is ready, all of them.
    expect(article.locator("mark[data-kind=entity]")).to_have_count(SPANS, timeout=30_000)

    start, end = document.tokens[-2]  # the last word, before the closing full stop
    layer = Annotation.objects.get(document=document, user=user)
    predicted = layer.spans.filter(start=start, end=end).values_list("entity_type__key", flat=True)
    label, hotkey = ("GPE", "g") if "ORG" in predicted else ("ORG", "o")
    saves = []

    def sent(request: Request) -> None:
        if "/api/annotations/" in request.url:
            saves.append((request.method, len(request.post_data_buffer or b"")))

    page.on("request", sent)
    article.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(hotkey)

    mark = article.locator(
        f'.paragraph:last-child mark[data-start="{start}"][data-label="{label}"]'
    )
    expect(mark).to_have_text(document.text[start:end])
    expect(mark).to_be_in_viewport()
    expect(page.locator("#save-status")).to_have_attribute("data-status", "saved")
    labels = layer.spans.filter(start=start, end=end).values_list("entity_type__key", flat=True)
    assert list(labels) == [label]
    # The save sent the one span changed (a PATCH), not the 1,500 spans and 300 events.
    [(method, size)] = saves
    assert method == "PATCH"
    assert size < 1_000, size


def test_a_long_event_list_is_drawn_whole_in_text_order(page: Page, live_server):
    document, user = article_corpus_seed(
        tokens=8_000, spans=1_000, events=600, busy=0.6, password=PASSWORD
    )
    sign_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/")
    expect(page.locator("#article")).to_have_attribute("data-ready", "true")
    expect(page.locator("#article")).to_be_focused()  # once the first frame is painted
    expect(page.locator("#event-count")).to_have_text("600")
    # The first entries come with the page, the others while the browser is idle.
    entries = page.locator("#event-list > li")
    expect(entries).to_have_count(600, timeout=30_000)
    layer = Annotation.objects.get(document=document, user=user)
    first, last = (
        layer.events.order_by(order, "pk").select_related("event_type").first()
        for order in ("trigger_start", "-trigger_start")
    )
    for entry, event in ((entries.first, first), (entries.last, last)):
        trigger = document.text[event.trigger_start : event.trigger_end]
        expect(entry.locator("button.event-jump")).to_have_text(
            f"{event.event_type.key}: “{trigger}”"
        )
