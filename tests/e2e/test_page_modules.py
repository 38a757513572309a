"""In Chromium, each page fetches its JavaScript modules at once, as its HTML arrives: every
module it loads is asked for by the HTML parser (the page's module script or a
modulepreload link), none only once the module importing it has arrived (a round trip per
level of the import graph), and no preload goes unused."""

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# The owner's pages with a module script (the editor's is the annotator's).
OWNER_PAGES = (
    "corpus-detail",
    "corpus-create",
    "corpus-schema",
    "document-detail",
    "document-gold-edit",
    "corpus-export",
    "import-job-detail",
    "documents-delete",
    "corpus-preannotate",
)
PRELOADED = """[...document.querySelectorAll("link[rel=modulepreload]")].map((link) => link.href)"""


def assert_modules_preloaded(page: Page, url: str) -> list[str]:
    """Open `url`; check every module was asked for by the parser and every preload used;
    return the preloaded URLs."""
    cdp = page.context.new_cdp_session(page)  # Chromium's record of who asked for each file
    cdp.send("Network.enable")
    asked: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda event: asked.setdefault(event["request"]["url"], event["initiator"]["type"]),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    modules = {name: initiator for name, initiator in asked.items() if name.endswith(".js")}
    script = page.locator("script[type=module]").get_attribute("src")
    preloaded = page.evaluate(PRELOADED)

    assert script, url
    assert any(name.endswith(script) for name in modules), url
    late = [name for name, initiator in modules.items() if initiator != "parser"]
    assert not late, f"{url}: modules found only by importing them: {late}"
    assert set(preloaded) == {name for name in modules if not name.endswith(script)}, url
    return preloaded


def test_every_page_preloads_the_modules_it_loads(page: Page, live_server, world, owner):
    sign_in(page, live_server.url, owner.username, PASSWORD)
    for name in OWNER_PAGES:
        assert_modules_preloaded(page, live_server.url + world[name])


def test_the_editor_preloads_all_its_modules(page: Page, live_server, world, annotator):
    sign_in(page, live_server.url, annotator.username, PASSWORD)

    preloaded = assert_modules_preloaded(page, live_server.url + world["document-annotate"])

    assert any(name.endswith("/layer-delta.js") for name in preloaded)  # the list had missed it
    assert len(preloaded) >= 20
