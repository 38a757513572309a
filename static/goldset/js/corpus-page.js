// Corpus page: follow the latest pre-annotation run until it is done, then refresh the counts.

const POLL_MS = 1000;
const panel = document.getElementById("preannotation");

async function follow(url) {
  let run;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    run = await response.json();
  } catch (error) {
    setText("run-status", `progress unavailable (${error.message}); retrying`);
    setTimeout(() => follow(url), POLL_MS * 5);
    return;
  }
  show(run);
  if (run.status === "done") {
    window.location.reload();
  } else {
    setTimeout(() => follow(url), POLL_MS);
  }
}

function show(run) {
  const bar = document.getElementById("run-bar");
  bar.max = Math.max(run.total, 1);
  bar.value = run.processed + run.failed;
  setText("run-done", run.processed);
  setText("run-total", run.total);
  setText("run-failed", run.failed);
  setText("run-status", run.status);
  document.getElementById("run-waiting")?.toggleAttribute("hidden", run.status !== "queued");
  const list = document.getElementById("run-failures");
  list.replaceChildren(
    ...run.failures.map((failure) => {
      const item = document.createElement("li");
      item.textContent = `${failure.document_name}: ${failure.message}`;
      return item;
    }),
  );
}

function setText(id, value) {
  const element = document.getElementById(id);
  if (element) element.textContent = String(value);
}

if (panel?.dataset.statusUrl && panel.dataset.status !== "done") follow(panel.dataset.statusUrl);

// Bulk actions (owners): tick documents, or the whole page; ticking chooses "the ticked documents".
const bulk = document.getElementById("bulk");
if (bulk) {
  const boxes = [...document.querySelectorAll('input[name="id"][form="bulk"]')];
  const tickPage = document.getElementById("tick-page");
  const count = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    setText("ticked-count", ticked);
    tickPage.checked = ticked === boxes.length;
    tickPage.indeterminate = ticked > 0 && ticked < boxes.length;
    if (ticked) bulk.querySelector('input[name="scope"][value="ticked"]').checked = true;
  };
  for (const box of boxes) box.addEventListener("change", count);
  tickPage.addEventListener("change", () => {
    for (const box of boxes) box.checked = tickPage.checked;
    count();
  });
  count();
}

// The search form leaves out empty filters and the default sort, so the URL to share reads
// `?q=Homs&state=new`, not every parameter; fields come back when the page is shown again.
const search = document.querySelector("form.document-search");
const unused = (field) =>
  field.name && (field.value === "" || (field.name === "sort" && field.value === "order"));
search?.addEventListener("submit", () => {
  for (const field of search.elements) if (unused(field)) field.disabled = true;
});
window.addEventListener("pageshow", () => {
  for (const field of search?.elements ?? []) field.disabled = false;
});
