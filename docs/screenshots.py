"""Take the README's screenshots of a running Goldset (`make run`), signed in as the demo user.

    .venv/bin/python docs/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]
    .venv/bin/python docs/screenshots.py --team   # after demo_user --team and docs/team_demo.py
    .venv/bin/python docs/screenshots.py --reliability   # against a server with no worker
    .venv/bin/python docs/screenshots.py --notes   # writes a note, labels and a comment
    .venv/bin/python docs/screenshots.py --models  # gold for seed 000, a model, a new article

Writes one PNG per page a user sees: the corpus list, a corpus with its pre-annotation
panel, a document, the editor, the import form, the export page, the dashboard, the
schema page, the preview of a bulk delete, the members page and the new-corpus form.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument(
        "--team",
        action="store_true",
        help="after docs/team_demo.py: also review both seeds as rita (writes their gold)",
    )
    parser.add_argument(
        "--reliability",
        action="store_true",
        help="only the no-worker banner and the sign-in lockout: run the server alone"
        " (`manage.py runserver`, no `workers`); this locks sign-in from this address until"
        " `manage.py axes_reset`",
    )
    parser.add_argument(
        "--notes",
        action="store_true",
        help="only the editor with a note, document labels and a comment (written on seed 000)",
    )
    parser.add_argument(
        "--models",
        action="store_true",
        help="only the models page and the editor with a trained model: submits seed 000 with"
        " Baba Amr as GPE (its gold), trains and activates a model, imports and pre-annotates"
        " a new article (needs the workers of `make run`)",
    )
    arguments = parser.parse_args()
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        if arguments.reliability:
            _reliability(page, arguments.url.rstrip("/"), out)
        elif arguments.notes:
            _notes(page, arguments.url.rstrip("/"), out)
        elif arguments.models:
            _models(page, arguments.url.rstrip("/"), out)
        else:
            _take(page, arguments.url.rstrip("/"), out)
        if arguments.team:
            _review(page, arguments.url.rstrip("/"), out)
        browser.close()


def _take(page: Page, url: str, out: Path) -> None:
    page.goto(url)
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("goldset-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("h1")
    page.screenshot(path=out / "corpora.png")
    page.goto(f"{url}/corpora/seeds/")
    page.wait_for_selector("#documents")
    page.screenshot(path=out / "corpus.png")
    page.locator("#documents a").first.click()
    page.wait_for_selector("#article mark")
    page.screenshot(path=out / "document.png")
    page.get_by_role("link", name="Annotate this document").click()
    page.wait_for_selector(".editor-bar")
    page.wait_for_selector("#article mark")
    page.screenshot(path=out / "editor.png")
    page.goto(f"{url}/corpora/seeds/import/")
    page.wait_for_selector("form")
    page.screenshot(path=out / "import.png")
    page.goto(f"{url}/corpora/seeds/export/")
    page.get_by_label("spaCy DocBin").check()
    page.get_by_role("radio", name="Predictions").check()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "export.png")
    page.goto(f"{url}/corpora/seeds/dashboard/")
    page.wait_for_selector("h1")
    page.screenshot(path=out / "dashboard.png", full_page=True)
    page.goto(f"{url}/corpora/seeds/schema/")
    page.wait_for_selector("h1")
    page.screenshot(path=out / "schema.png")
    page.goto(f"{url}/corpora/seeds/")
    page.locator("#tick-page").check()
    page.get_by_role("button", name="Delete…").click()
    page.wait_for_selector("#delete-preview")
    page.screenshot(path=out / "documents-delete.png")
    page.goto(f"{url}/corpora/seeds/members/")
    page.wait_for_selector("h1")
    page.screenshot(path=out / "members.png", full_page=True)
    page.goto(f"{url}/corpora/new/")
    page.locator("#id_name").fill("Protests 2013")
    page.locator("#id_guidelines").fill("# Protests\n\nMark **every** protester group as ORG.")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("#guidelines-preview h1")
    page.screenshot(path=out / "corpus-create.png", full_page=True)


def _review(page: Page, url: str, out: Path) -> None:
    """As reviewer rita, after `docs/team_demo.py`: the review page, then gold by agreement."""
    page.get_by_role("button", name="Sign out").click()
    page.goto(url)
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("goldset-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{url}/corpora/seeds/")
    links = page.locator("#documents td > a")
    documents = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for number, document in enumerate(documents):
        page.goto(f"{url}{document}review/")
        page.wait_for_selector("#review")
        if number == 0:
            page.screenshot(path=out / "review.png")
        page.get_by_role("button", name="Accept agreed").click()
        page.wait_for_selector(".message-success")
    page.goto(f"{url}{documents[0]}gold/")
    page.wait_for_selector("#article mark")
    page.keyboard.press("Shift+V")
    page.wait_for_selector("#review-panel .review-row")
    page.screenshot(path=out / "gold-review.png")
    page.goto(f"{url}/corpora/seeds/dashboard/")
    page.wait_for_selector("#agreement")
    page.screenshot(path=out / "dashboard.png", full_page=True)


def _reliability(page: Page, url: str, out: Path) -> None:
    """The banner when work waits and no worker runs, then the sign-in form locked."""
    _sign_in(page, url, "demo", "goldset-demo")
    page.goto(f"{url}/corpora/seeds/")
    page.get_by_role("button", name="Pre-annotate", exact=True).click()
    page.goto(f"{url}/corpora/seeds/")
    page.wait_for_selector("#worker-banner")
    page.screenshot(path=out / "no-worker.png")
    page.get_by_role("button", name="Sign out").click()
    for attempt in range(10):
        _sign_in(page, url, "demo", f"not-the-password-{attempt}")
    page.screenshot(path=out / "login-locked.png")


def _notes(page: Page, url: str, out: Path) -> None:
    """Seed 000 in the editor: a note on Baba Amr, two document labels and a comment."""
    _sign_in(page, url, "demo", "goldset-demo")
    page.goto(f"{url}/corpora/seeds/")
    page.locator("#documents td > a").first.click()
    page.get_by_role("link", name="Annotate this document").click()
    page.wait_for_selector("#article[data-ready]")
    page.locator("#article mark", has_text="Baba Amr").first.click()
    page.keyboard.press("Shift+N")
    page.keyboard.type("A district of Homs: GPE, not a person.")
    page.keyboard.press("Control+Enter")
    page.keyboard.press("Shift+L")
    page.get_by_role("radio", name="relevant").check()
    page.get_by_role("checkbox", name="fighting").check()
    page.get_by_role("checkbox", name="casualties").check()
    page.wait_for_function(
        "!document.querySelector('.comment-status').textContent.includes('Loading')"
    )
    if not page.locator("#comment-thread .comment").count():  # once, however often it runs
        comment = page.get_by_role("textbox", name="Your comment")
        comment.fill("Are the shelled neighbourhoods one Place argument each?")
        comment.press("Control+Enter")
        page.wait_for_selector("#comment-thread .comment")
    page.locator("#item-note").scroll_into_view_if_needed()
    page.wait_for_selector("#save-status[data-status=saved]")
    page.screenshot(path=out / "editor-notes.png")
    page.locator("#document-panel").scroll_into_view_if_needed()
    page.screenshot(path=out / "editor-document.png")


NEW_ARTICLE = (
    "Shelling resumed in Baba Amr on Tuesday, activists said. Residents of Baba Amr said"
    " tanks had surrounded the district of Homs overnight and that the Red Crescent could"
    " not reach the wounded.\n"
)


def _models(page: Page, url: str, out: Path) -> None:
    """As a new owner would: gold for seed 000 (Baba Amr relabelled GPE everywhere, submitted),
    a model trained and activated, a new article imported and pre-annotated with it."""
    _sign_in(page, url, "demo", "goldset-demo")
    page.goto(f"{url}/corpora/seeds/")
    page.locator("#documents td > a").first.click()
    page.get_by_role("link", name="Annotate this document").click()
    page.wait_for_selector("#article[data-ready]")
    page.locator("#article mark", has_text="Baba Amr").first.click()
    page.keyboard.press("g")  # GPE
    page.keyboard.press("*")  # and every other Baba Amr
    page.keyboard.press("Shift+A")  # accept the rest of the predictions
    seed = page.url
    page.keyboard.press("Control+Enter")  # submit: with one annotator, that is the gold
    page.wait_for_url(lambda address: address != seed)  # on to the next document
    page.goto(f"{url}/corpora/seeds/models/")
    page.get_by_role("button", name="Train a new version").click()
    page.wait_for_selector("#versions tbody tr:not(:has-text('training'))", timeout=300_000)
    if page.get_by_role("button", name="Activate v1").count():
        page.get_by_role("button", name="Activate v1").click()
    page.screenshot(path=out / "models.png", full_page=True)
    article = out / "new-article.txt"
    article.write_text(NEW_ARTICLE)
    page.goto(f"{url}/corpora/seeds/import/")
    page.locator("input[type=file]").set_input_files(str(article))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=done", timeout=120_000)
    article.unlink()
    page.goto(f"{url}/corpora/seeds/")
    page.get_by_label("Only documents without predictions from this model").check()
    page.get_by_role("button", name="Pre-annotate", exact=True).click()
    page.wait_for_selector("#run-status:text('done')", timeout=120_000)
    page.get_by_role("link", name="new-article").first.click()
    page.get_by_role("link", name="Annotate this document").click()
    page.wait_for_selector("#article[data-ready]")
    page.set_viewport_size({"width": 1280, "height": 960})
    page.locator("#article mark", has_text="Baba Amr").first.click()
    page.get_by_text("Accept predictions").click()
    page.locator("#selection-panel").scroll_into_view_if_needed()
    page.screenshot(path=out / "editor-learned.png")


def _sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("h1")


if __name__ == "__main__":
    main()
