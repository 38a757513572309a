"""Every page passes axe-core with no serious or critical violation, in the light and the dark
colour scheme; every action shows where the keyboard focus is; and the article's marks say
their label's name in text that reads on the label's colour in both schemes."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from tests.config.test_csp import ANNOTATOR_PAGES, ANONYMOUS_PAGES, import_job_create, page_urls
from tests.factories import prediction_create
from tests.learning.versions import version_trained

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
# Third-party interfaces, not Goldset's templates: Django's admin and Swagger UI.
NOT_OURS = {"admin:index", "admin:corpus_corpus_changelist", "admin:corpus_corpus_change"}
NOT_OURS |= {"api-docs"}
# Pages the route list reaches only with a query string or not at all.
EXTRA_PAGES = {
    "corpus-schema-roles": ("corpus-schema", "?roles=Life.Die#roles-editor"),
    "not-found": ("corpus-list", "no-such-page/"),
}
PAGE_NAMES = [
    "login",
    "invitation",
    "corpus-list",
    "corpus-create",
    "corpus-detail",
    "corpus-members",
    "corpus-schema",
    "corpus-schema-roles",
    "document-detail",
    "document-annotate",
    "document-gold-edit",
    "document-review",
    "corpus-dashboard",
    "corpus-models",
    "corpus-import",
    "import-job-detail",
    "corpus-export",
    "documents-delete",
    "corpus-preannotate",
    "not-found",
]
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, "
    "textarea, summary, [tabindex]:not([tabindex='-1'])"
)

# The article, where a page has one, is drawn by a module after the page loads.
ARTICLE_DRAWN = "() => !document.getElementById('article')?.matches(':empty')"
# Run axe on the whole page; `impact` is axe's own severity of each violated rule.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((rule) => rule.impact === "serious" || rule.impact === "critical")
    .map((rule) => `${rule.id} (${rule.impact}): ` +
      rule.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ") +
      (rule.nodes.length > 3 ? `, … ${rule.nodes.length} in all` : ""));
}"""
# WCAG contrast in the page: `ratio` of two computed colours (rgb() or color(srgb …)), and the
# colour `behind` an element (its own or its nearest ancestor's background).
CONTRAST = """
  const channels = (colour) => {
    const numbers = colour.match(/[\\d.]+/g).map(Number).slice(0, 3);
    return colour.startsWith("color(") ? numbers.map((n) => n * 255) : numbers;
  };
  const luminance = (colour) => {
    const [r, g, b] = channels(colour).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const behind = (element) => {
    const clear = (node) => getComputedStyle(node).backgroundColor === "rgba(0, 0, 0, 0)";
    while (clear(element) && element.parentElement) element = element.parentElement;
    return getComputedStyle(element).backgroundColor;
  };
"""
# Focus every visible focusable element as the keyboard would, and name those without a ring
# of their own (an outline of 2px or more, or a box shadow; Chromium's thin default ring does
# not count) in a colour at least 3:1 against what is behind it.
UNMARKED_FOCUS = (
    """(selector) => {"""
    + CONTRAST
    + """
  const unmarked = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    element.focus({focusVisible: true});
    if (document.activeElement !== element) continue;
    const style = getComputedStyle(element);
    const outline = !["none", "auto"].includes(style.outlineStyle);
    const shadow = style.boxShadow.match(/(rgba?|color)\\([^)]*\\)/)?.[0];
    const ring = outline && parseFloat(style.outlineWidth) >= 2 ? style.outlineColor : shadow;
    const seen = ring && ratio(ring, behind(element.parentElement)) >= 3;
    if (!element.matches(":focus-visible") || !seen) unmarked.push(element.outerHTML.slice(0, 120));
  }
  return unmarked;
}"""
)
# The contrast of a mark's text, and of its label's name drawn after it, on the colour behind
# it (its label's, or the page's for a candidate, which is only outlined).
MARK_CONTRAST = (
    """(mark) => {"""
    + CONTRAST
    + """
  const after = getComputedStyle(mark, "::after");
  return {
    name: after.content,
    text: ratio(getComputedStyle(mark).color, behind(mark)),
    label: ratio(after.color, behind(mark)),
  };
}"""
)


@pytest.fixture
def world(corpus, document, owner):
    """Every page's URL for the owner's corpus: predictions, a gold layer, a finished import,
    a trained model version."""
    prediction_create(document)
    version_trained(corpus)
    client = Client()
    client.force_login(owner)
    client.post(reverse("document-gold-edit", kwargs={"slug": corpus.slug, "pk": document.pk}))
    urls = page_urls(
        corpus=corpus, document=document, job=import_job_create(corpus=corpus, owner=owner)
    )
    for name, (base, tail) in EXTRA_PAGES.items():
        urls[name] = urls[base] + tail
    return urls


def open_as(page: Page, live_server, user, url: str) -> None:
    """Open `url` signed in as `user` (None: signed out), with axe-core loaded in the page.

    axe is added as an init script, which Chromium runs outside the page's
    Content-Security-Policy, so the pages are checked under their real policy.
    """
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page.context.add_init_script(path=AXE)
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(ARTICLE_DRAWN)


def persona(name: str, owner, annotator):
    if name in ANONYMOUS_PAGES:
        return None
    return annotator if name in ANNOTATOR_PAGES else owner


def test_the_checked_pages_are_every_page_of_ours(world):
    assert set(world) - NOT_OURS == set(PAGE_NAMES)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_serious_accessibility_violation_in_either_scheme(
    page: Page, live_server, world, owner, annotator, name
):
    open_as(page, live_server, persona(name, owner, annotator), world[name])

    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        violations = page.evaluate(AXE_RUN)
        assert not violations, f"{name} in the {scheme} scheme:\n" + "\n".join(violations)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_action_on_the_page_shows_the_keyboard_focus(
    page: Page, live_server, world, owner, annotator, name
):
    open_as(page, live_server, persona(name, owner, annotator), world[name])
    page.keyboard.press("Shift")  # a keyboard user: focus is drawn where the keyboard puts it

    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        unmarked = page.evaluate(UNMARKED_FOCUS, FOCUSABLE)
        assert not unmarked, f"{name} in the {scheme} scheme:\n" + "\n".join(unmarked)


@pytest.mark.parametrize(
    ("name", "selector"),
    [
        pytest.param(name, selector, id=name)
        for name, selector in [
            ("document-detail", 'mark.entity[data-label="PER"][data-tail]'),
            ("document-annotate", 'mark.entity[data-label="PER"][data-tail]'),
            ("document-gold-edit", 'mark.candidate[data-candidate="PER"][data-tail]'),
        ]
    ],
)
def test_marks_name_their_label_in_readable_text_in_both_schemes(
    page: Page, live_server, world, owner, annotator, name, selector
):
    url = world[name]
    if name == "document-detail":
        prediction = Annotation.objects.get(kind=Annotation.Kind.PREDICTION)
        url += f"?layer={prediction.pk}"
    open_as(page, live_server, persona(name, owner, annotator), url)
    mark = page.locator(selector).first
    expect(mark).to_contain_text("Kofi Annan")

    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        contrast = mark.evaluate(MARK_CONTRAST)
        assert "PER" in contrast["name"], f"{scheme}: {contrast}"
        assert contrast["text"] >= 4.5, f"{scheme}: {contrast}"
        assert contrast["label"] >= 4.5, f"{scheme}: {contrast}"
