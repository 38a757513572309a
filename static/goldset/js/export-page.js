// Export page: preview what an export holds as its options change; Download is a plain link.
//
// Without this script the form still works: it is a GET to the download URL. With it, the
// form's own button gives way to a link whose URL follows the options, so the browser's
// download manager streams the zip.

import { apiRequest } from "./api.js";

const DEBOUNCE_MS = 250;
const FILES_SHOWN = 6;
const form = document.getElementById("export-form");
const panel = document.getElementById("export-preview");
const download = document.getElementById("export-download");
const annotator = document.getElementById("export-annotator");
let asked = 0; // the newest preview asked for; older answers are dropped
let timer = null;

/** Return the form's choices as a query string, without the empty ones. */
function query() {
  const submitted = form.elements.source.value === "submitted";
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    // Only the submitted source takes an annotator.
    if (value !== "" && (name !== "annotator" || submitted)) params.append(name, value);
  }
  return params.toString();
}

function withQuery(url, search) {
  return search ? `${url}?${search}` : url;
}

async function refresh() {
  const search = query();
  const number = ++asked;
  download.href = withQuery(form.action, search);
  download.removeAttribute("aria-disabled");
  busy(true);
  try {
    const report = await apiRequest("GET", withQuery(form.dataset.previewUrl, search));
    if (number !== asked) return;
    show(report);
    setError("");
  } catch (error) {
    if (number !== asked) return;
    setError(error.message);
    download.removeAttribute("href");
    download.setAttribute("aria-disabled", "true");
  } finally {
    if (number === asked) busy(false);
  }
}

function busy(on) {
  panel.setAttribute("aria-busy", String(on));
  document.getElementById("export-progress").hidden = !on;
}

function setError(message) {
  const error = document.getElementById("export-error");
  error.textContent = message;
  error.hidden = !message;
  document.getElementById("export-results").hidden = Boolean(message);
}

function show(report) {
  const total = (counts) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  setText(
    "export-summary",
    `${report.total_documents} documents, ${total(report.entities)} entities, ` +
      `${total(report.events)} events, ${total(report.arguments)} arguments, ` +
      `${total(report.relations)} relations (${report.source}).`,
  );
  setText("export-files", fileList([...report.files, "report.json"]));
  fill("export-documents", Object.entries(report.documents), "No documents");
  fill("export-entities", Object.entries(report.entities), "No entities");
  fill("export-events", Object.entries(report.events), "No events");
  setText("export-warnings-total", report.warnings_total);
  const kinds = Object.entries(report.warning_counts).map(([kind, { count, meaning }]) => [
    kind,
    count,
    meaning,
  ]);
  fill("export-warning-kinds", kinds, "None");
  const rows = report.warnings.map((warning) => [
    warning.kind,
    warning.split ?? "",
    warning.document,
    warning.message,
  ]);
  fill("export-warnings", rows, "");
  document.getElementById("export-warnings").hidden = rows.length === 0;
  const note = document.getElementById("export-warnings-note");
  const listed = report.warnings_listed;
  note.textContent =
    report.warnings_total > listed
      ? `The first ${listed} of ${report.warnings_total} warnings are listed here and in ` +
        "report.json; the counts by kind are complete."
      : "";
  note.hidden = !note.textContent;
}

/** Name the files, or the first few of many (brat writes two per document). */
function fileList(files, shown = FILES_SHOWN) {
  if (files.length <= shown) return files.join(", ");
  return `${files.slice(0, shown - 1).join(", ")} and ${files.length - shown + 1} more files`;
}

/** Replace a table's rows; cells are text, never markup. Numbers are right-aligned. */
function fill(id, rows, emptyText) {
  const body = document.getElementById(id).tBodies[0];
  const columns = document.getElementById(id).tHead.rows[0].cells.length;
  if (rows.length === 0) {
    const cell = document.createElement("td");
    cell.colSpan = columns;
    cell.className = "empty";
    cell.textContent = emptyText;
    const row = document.createElement("tr");
    row.append(cell);
    if (emptyText) body.replaceChildren(row);
    else body.replaceChildren();
    return;
  }
  body.replaceChildren(
    ...rows.map((values) => {
      const row = document.createElement("tr");
      for (const value of values) {
        const cell = document.createElement("td");
        cell.textContent = String(value);
        if (typeof value === "number") cell.className = "num";
        row.append(cell);
      }
      return row;
    }),
  );
}

function setText(id, value) {
  document.getElementById(id).textContent = String(value);
}

function changed(event) {
  if (event.target === annotator) form.elements.source.value = "submitted";
  clearTimeout(timer);
  // Typing a split waits for a pause; a click asks at once.
  timer = setTimeout(refresh, event.type === "input" ? DEBOUNCE_MS : 0);
}

if (form && panel) {
  document.getElementById("export-submit").hidden = true;
  panel.hidden = false;
  form.addEventListener("change", changed);
  form.addEventListener("input", (event) => {
    if (event.target.type === "text" || event.target.type === "number") changed(event);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  refresh();
}
