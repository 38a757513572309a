"""An owner runs a corpus without the admin: create it from a brat annotation.conf, invite a
reviewer, recolour a label and give it a hotkey, rename a label that annotations use, and
search the documents, then delete what the search found after its preview."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from annotations.models import Span
from corpus.models import Corpus, Membership
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_owner_creates_invites_edits_the_schema_renames_and_searches(
    page: Page, browser: Browser, live_server, owner, testdata
):
    folder = testdata / "brat-news-tutorial"
    sign_in(page, live_server.url, owner.username, PASSWORD)

    page.get_by_role("link", name="New corpus").click()
    page.locator("#id_name").fill("Tutorial news")
    page.get_by_label("A brat annotation.conf file").check()
    page.locator("#id_schema_file").set_input_files(folder / "annotation.conf")
    page.get_by_role("button", name="Create corpus").click()
    expect(page.get_by_role("heading", name="Tutorial news")).to_be_visible()
    corpus = Corpus.objects.get(name="Tutorial news")
    assert corpus.memberships.filter(user=owner, role=Membership.Role.OWNER).exists()

    call_command("import_documents", corpus.slug, str(folder), "--format", "brat", verbosity=0)
    persons = Span.objects.filter(annotation__document__corpus=corpus, entity_type__key="Person")
    assert persons.exists()

    page.get_by_role("link", name="Members").click()
    invite = page.locator("form:has(button:text('Create link'))")
    invite.locator("input[value=annotator]").uncheck()
    invite.locator("input[value=reviewer]").check()
    invite.get_by_role("button", name="Create link").click()
    link = page.locator("input[readonly]").first.input_value()
    guest = browser.new_context().new_page()
    guest.goto(link)
    guest.locator("#id_username").fill("rhea")
    guest.locator("#id_password").fill("a-long-enough-passphrase")
    guest.locator("#id_password_again").fill("a-long-enough-passphrase")
    guest.get_by_role("button", name="Sign up and join").click()
    expect(guest.get_by_role("heading", name="Tutorial news")).to_be_visible()
    assert corpus.memberships.filter(user__username="rhea", role="reviewer").exists()

    page.goto(f"{live_server.url}/corpora/{corpus.slug}/schema/")
    row = page.locator("#entity-gpe")
    row.locator("input[name=color]").fill("#33a02c")
    row.locator("input[name=hotkey]").fill("g")
    row.get_by_role("button", name="Save").click()
    gpe = page.locator("#entity-gpe")
    expect(gpe.locator("input[name=hotkey]")).to_have_value("g")
    expect(gpe.locator("input[name=color]")).to_have_value("#33a02c")

    used = persons.count()
    person = page.locator("#entity-person")
    person.locator("input[name=new_key]").fill("PER")
    person.get_by_role("button", name="Preview").click()
    expect(page.get_by_text(f"{used} item")).to_be_visible()
    page.get_by_role("button", name="Rename and rewrite annotations").click()
    expect(page.locator("#entity-per")).to_be_visible()
    spans = Span.objects.filter(annotation__document__corpus=corpus)
    assert spans.filter(entity_type__key="PER").count() == used
    assert not spans.filter(entity_type__key="Person").exists()

    page.goto(f"{live_server.url}/corpora/{corpus.slug}/")
    page.locator("input[name=q]").fill("navigation")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#documents")).to_contain_text("010-navigation")
    expect(page.locator("#documents")).not_to_contain_text("030-login")
    assert page.url.endswith("/?q=navigation")  # empty filters stay out of the URL to share

    documents = corpus.documents.count()
    page.get_by_label("every document matching this search").check()
    page.get_by_role("button", name="Delete…").click()
    expect(page.locator("#delete-preview")).to_contain_text("1 document")
    page.get_by_role("button", name="Delete 1 document").click()
    expect(page.get_by_text("Deleted 1 document.")).to_be_visible()
    assert corpus.documents.count() == documents - 1
    assert not corpus.documents.filter(external_id__contains="010-navigation").exists()
