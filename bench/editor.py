"""Speed of the annotation editor on a long article, as ratios against a plain static page.

    .venv/bin/python -m bench.editor [--runs 5] [--size 10k|50k|200k]
        [--tokens 10000] [--spans 1000] [--events 100]

Generates a news-like article with `--spans` predicted entity spans and `--events` events
(bench/editor_article.py); `--size` picks one of SIZES (tokens, spans, events and how busy
the sentences are), which the other options then override. Serves Goldset with
`manage.py runserver` on a throwaway SQLite database and drives Debian's Chromium with
Playwright. Two baselines: the same text in the same layout and stylesheet as a plain page,
served over HTTP on this machine by a minimal server ("static"); and the document's read-only
page in Goldset itself ("page": the same server, session and middleware, the text with the
predicted entities drawn by render.js, no editor). Medians over `--runs`, in ms of the
page's performance.now():

- open, first byte: navigation start to the first byte of the page (mostly server time);
  last byte: to its last byte; the editor's data: to the last byte of the JSON the editor
  page preloads and fetches. Sizes are given as sent and as unpacked.
- open, ready: navigation start to the editor's `goldset-editor-ready` mark (article drawn,
  handlers wired), or to the mark an inline script sets at the end of the baseline's body.
- open, painted: until the first frame after that mark is laid out and painted (a message
  posted from its requestAnimationFrame callback arrives once the frame's work is done):
  the page is interactive. The editor draws a long article's first screens at once and
  the rest's marks in the background; drawn: until its `goldset-article-drawn` mark (the
  baselines set it with their ready mark; the document page when its scripts have run, at
  DOMContentLoaded).
- label: with an entity in the middle selected, press a label hotkey (real input events);
  from the keydown to the page's keydown handlers done, to the next animation frame and to
  that frame painted. The baseline's keydown toggles a class on one word. Frames =
  ceil((second animation frame - keydown) / 16.7 ms): 1 or 2 when the change is drawn at
  once (in the frame that handles the key or the next one, depending on when it came).

Targets (informational): painted within 1.5 times the static page's painted (and, reported
beside it, the document page's, which pays for the same server); the first
byte within 300 ms; a label repaints within 2 frames. Each page's first open (which copies
the predictions into the user's layer) is not measured.
"""

import argparse
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.database import PROJECT_DIR, throwaway_database
from bench.report import absolute_figure, figures_write, ratio_figure

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run"]
FRAME_MS = 1000 / 60
PASSWORD = "bench-editor-password"
# The articles measured: the first as in earlier READMEs, then an article as dense as an
# annotated wire report (about 50,000 characters) and one four times its length.
SIZES = {
    "10k": {"tokens": 10_000, "spans": 1_000, "events": 100, "busy": 0.0},
    "50k": {"tokens": 9_100, "spans": 2_000, "events": 800, "busy": 0.6},
    "200k": {"tokens": 36_300, "spans": 8_000, "events": 3_200, "busy": 0.6},
}
TARGET_OPEN_RATIO = 1.5  # painted, as a multiple of the static page's
TARGET_FIRST_BYTE_MS = 300
TARGET_LABEL_FRAMES = 2
# Runs before the page's scripts: times the first frame after a "*-ready" mark, a "*-drawn"
# mark (a long article's last marks drawn, in the background after ready), and each
# key press to the end of the page's keydown handlers and to the next two frames.
TIMING_SCRIPT = """(() => {
  const bench = (window.__bench = { presses: [] });
  const afterNextFrame = (record) => requestAnimationFrame(() => {
    record.frame = performance.now();
    requestAnimationFrame(() => { record.next = performance.now(); });
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { record.painted = performance.now(); };
    channel.port2.postMessage(null);
  });
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    const open = (bench.open ??= {});
    if (name.endsWith("-ready")) afterNextFrame(Object.assign(open, { ready: entry.startTime }));
    if (name.endsWith("-drawn")) open.drawn = entry.startTime;
    return entry;
  };
  // A page without marks of its own (the document page) is ready once its scripts have run.
  addEventListener("DOMContentLoaded", () => {
    if (bench.open?.ready === undefined && document.querySelector("#article[data-rendered]")) {
      performance.mark("goldset-document-ready");
      performance.mark("goldset-document-drawn");
    }
  });
  addEventListener("keydown", () => bench.presses.push({ start: performance.now() }), true);
  addEventListener("keydown", () => {
    const press = bench.presses.at(-1);
    press.handled = performance.now();
    afterNextFrame(press);
  });
})();"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each kind")
    parser.add_argument("--size", choices=SIZES, default="10k", help="article preset")
    parser.add_argument("--tokens", type=int, help="tokens in the article")
    parser.add_argument("--spans", type=int, help="predicted entity spans")
    parser.add_argument("--events", type=int, help="predicted events")
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    options = parser.parse_args()
    for name, value in SIZES[options.size].items():
        if getattr(options, name, None) is None:
            setattr(options, name, value)
    with throwaway_database() as directory:
        from annotations.models import Argument
        from bench.editor_article import article_corpus_seed, article_static_page, static_server

        document, user = article_corpus_seed(
            tokens=options.tokens,
            spans=options.spans,
            events=options.events,
            busy=options.busy,
            password=PASSWORD,
        )
        arguments = Argument.objects.count()
        path = f"/corpora/{document.corpus.slug}/documents/{document.pk}/annotate/"
        with django_server(directory) as base:
            page = article_static_page(document, css=f"{base}/static/goldset/css/goldset.css")
            pages = {"editor": path, "page": document.get_absolute_url()}
            with static_server(page) as static_url:
                figures = measure(options, base, pages, user.username, static_url)
    print(
        f"Article: {len(document.text):,} characters, {len(document.tokens):,} tokens, "
        f"{len(document.sentences):,} sentences; {options.spans:,} spans, {options.events:,} "
        f"events with {arguments:,} arguments (drawn as {figures['marks']} marks)"
    )
    figures_write(options.json, report(figures, runs=options.runs), size=options.size)


def measure(
    options: argparse.Namespace, base: str, pages: dict[str, str], username: str, static_url: str
) -> dict:
    """Open the three pages `options.runs` times each (`pages`: the editor's and the document
    page's paths); press a label hotkey in the editor and the static page as often."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Playwright polls wait_for_function through eval, which the pages' CSP refuses.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        context.set_default_timeout(30_000)
        context.add_init_script(TIMING_SCRIPT)
        context.on("page", lambda page: page.on("pageerror", lambda e: errors.append(str(e))))
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Corpora").wait_for()
        figures = {"chromium": browser.version}
        for name, url in [
            *((name, base + path) for name, path in pages.items()),
            ("static", static_url),
        ]:
            open_page(context.new_page(), url, close=True)  # warm-up, not measured
            runs = range(options.runs)
            figures[f"{name} open"] = [open_page(context.new_page(), url, close=True) for _ in runs]

        page = context.new_page()
        open_page(page, base + pages["editor"])
        marks = page.locator("#article mark[data-kind]")
        figures["marks"] = f"{marks.count():,}"
        entity = page.locator("#article mark[data-kind=entity]").nth(options.spans // 2)
        span_id, label = entity.get_attribute("data-id"), entity.get_attribute("data-label")
        entity.click()
        expect(entity).to_have_class(re.compile(r"\bselected\b"))
        labels = [("GPE", "g"), ("ORG", "o")] if label != "GPE" else [("ORG", "o"), ("GPE", "g")]
        figures["editor label"] = []
        for number in range(options.runs):
            new_label, hotkey = labels[number % 2]
            figures["editor label"].append(press(page, hotkey))
            relabelled = page.locator(f'#article mark[data-id="{span_id}"]')
            expect(relabelled).to_have_attribute("data-label", new_label)
            expect(page.locator("#save-status")).to_have_attribute("data-status", "saved")

        page = context.new_page()
        open_page(page, static_url)
        figures["static label"] = [press(page, "g") for _ in range(options.runs)]
        browser.close()
    if errors:
        raise SystemExit(f"JavaScript errors on the pages: {errors}")
    return figures


def open_page(page, url: str, *, close: bool = False) -> dict[str, float]:
    """Open `url` in `page`; return when it was ready and painted (ms from navigation)."""
    page.goto(url)
    timings = page.wait_for_function(
        """window.__bench.open?.painted && window.__bench.open.drawn && ((navigation, data) => ({
              ...window.__bench.open, response: navigation.responseStart,
              loaded: navigation.responseEnd, sent: navigation.transferSize,
              size: navigation.decodedBodySize, data: data?.responseEnd ?? 0,
              dataSent: data?.transferSize ?? 0, dataSize: data?.decodedBodySize ?? 0 }))(
            performance.getEntriesByType("navigation")[0],
            performance.getEntriesByType("resource").find((r) => r.name.includes("editor-data")))"""
    ).json_value()
    if close:
        page.close()
    return timings


def press(page, key: str) -> dict[str, float]:
    """Press `key`; return the times from its keydown to the handlers done and next frames."""
    index = page.evaluate("window.__bench.presses.length")
    page.keyboard.press(key)
    record = page.wait_for_function(
        f"window.__bench.presses[{index}]?.next && window.__bench.presses[{index}]"
    ).json_value()
    times = {name: record[name] - record["start"] for name in ("handled", "frame", "painted")}
    return {**times, "frames": math.ceil((record["next"] - record["start"]) / FRAME_MS)}


def report(figures: dict, *, runs: int) -> list[dict]:
    print(f"Chromium {figures['chromium']}, median of {runs} runs (first opens not measured)\n")

    def median(name: str, key: str) -> float:
        return statistics.median(record[key] for record in figures[name])

    header = f"{'editor ms':>10} {'static ms':>10} {'ratio':>7} {'page ms':>9} {'ratio':>7}"
    print(f"{'measure':44} {header}")
    for measure, kind, key in [
        ("open: first byte of the page (server)", "open", "response"),
        ("open: last byte of the page", "open", "loaded"),
        ("open: last byte of the editor's data (fetched)", "open", "data"),
        ("open: ready (article drawn, handlers wired)", "open", "ready"),
        ("open: first frame painted after ready", "open", "painted"),
        ("open: whole article drawn (in the background)", "open", "drawn"),
        ("label: keydown to handlers done", "label", "handled"),
        ("label: keydown to next frame (rAF)", "label", "frame"),
        ("label: keydown to that frame painted", "label", "painted"),
    ]:
        ours, theirs = median(f"editor {kind}", key), median(f"static {kind}", key)
        ratio = f"{ours / theirs:7.1f}" if theirs else f"{'-':>7}"
        # The document page: its opening only (it has no label hotkeys).
        page = median("page open", key) if kind == "open" else None
        beside = f" {page:9.1f} {ours / page:7.1f}" if page else ""
        print(f"{measure:44} {ours:10.1f} {theirs:10.1f} {ratio}{beside}")
    frames = median("editor label", "frames"), median("static label", "frames")
    print(f"{'label: frames to repaint':44} {frames[0]:10.0f} {frames[1]:10.0f}")
    sent, size = median("editor open", "sent"), median("editor open", "size")
    print(f"{'page size: sent / unpacked (KB)':44} {sent / 1000:4.0f} / {size / 1000:4.0f}")
    sent, size = median("editor open", "dataSent"), median("editor open", "dataSize")
    print(f"{'its data: sent / unpacked (KB)':44} {sent / 1000:4.0f} / {size / 1000:4.0f}")
    painted, baseline = median("editor open", "painted"), median("static open", "painted")
    page = median("page open", "painted")
    first_byte = median("editor open", "response")
    targets = [
        (f"open painted <= {TARGET_OPEN_RATIO} x the static page's", painted / baseline,
         TARGET_OPEN_RATIO, f"{painted:,.0f} ms, {painted / baseline:.2f} x {baseline:,.0f} ms"),
        (f"open painted <= {TARGET_OPEN_RATIO} x the document page's", painted / page,
         TARGET_OPEN_RATIO, f"{painted:,.0f} ms, {painted / page:.2f} x {page:,.0f} ms"),
        (f"first byte <= {TARGET_FIRST_BYTE_MS} ms", first_byte, TARGET_FIRST_BYTE_MS,
         f"{first_byte:,.0f} ms"),
        (f"label repaint <= {TARGET_LABEL_FRAMES} frames", frames[0], TARGET_LABEL_FRAMES,
         f"{frames[0]:.0f}"),
    ]  # fmt: skip
    print("\nTargets:")
    for name, value, target, shown in targets:
        print(f"  {name:44} {'met' if value <= target else 'NOT met':8} ({shown})")
    return [
        ratio_figure("editor open, painted", painted, baseline, unit="ms",
                     baseline="static page of the article", target=("<=", TARGET_OPEN_RATIO)),
        ratio_figure("editor open, painted", painted, page, unit="ms",
                     baseline="the document page", target=("<=", TARGET_OPEN_RATIO)),
        absolute_figure("editor open, first byte", first_byte, unit="ms",
                        target=("<=", TARGET_FIRST_BYTE_MS)),
        absolute_figure("editor label, frames to repaint", frames[0], unit="frames",
                        target=("<=", TARGET_LABEL_FRAMES)),
    ]  # fmt: skip


@contextmanager
def django_server(directory: Path) -> Iterator[str]:
    """Run `manage.py runserver` on a free port with this environment; yield its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = directory / "runserver.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=PROJECT_DIR,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while not answers(base + "/accounts/login/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"runserver did not start:\n{log_path.read_text()}")
                time.sleep(0.05)  # the port is not open yet; ask again
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
