// Annotate page: wire the editor to the keyboard, the mouse, the sidebar and autosave.
//
// The same page edits a document's gold layer (`data.mode` "gold", for reviewers): it saves
// the same way, but has no submit or skip (nor Ctrl+Enter), only a way back to the review.

import { acceptPreview, acceptPreviewText } from "./accept.js";
import { Autosaver, apiRequest, editorDataLoad, submitEndorsed } from "./api.js";
import { LayerDelta } from "./layer-delta.js";
import { Editor } from "./editor.js";
import { commandFor, hotkeysOf } from "./keyboard.js";
import { drawEvent, drawEventList, drawGuide, drawHelp, drawRelationList, drawSelection } from "./panels.js";
import { ReviewPanel, drawReviewHelp } from "./review-panel.js";
import { paintEntityColors } from "./render.js";
import { paletteOrder, recentWith } from "./palette.js";
import { RelationChooser } from "./relation-chooser.js";
import { layerPayload } from "./state.js";
import { drawDetails, drawDocumentLabels, focusNote, noteOfMark } from "./details-panel.js";
import { CommentThread } from "./comments.js";

paintEntityColors();
const csrfToken = document.querySelector("#csrf input[name=csrfmiddlewaretoken]").value;
const $ = (id) => document.getElementById(id);
const article = $("article");
const notice = $("notice");

function notify(message, tone = "info") {
  notice.textContent = message;
  notice.dataset.tone = tone;
}

// The page holds the mode and the URLs; what is edited comes as JSON (preloaded by the head).
const page = JSON.parse($("editor-page").textContent);
const loaded = await editorDataLoad(page.urls.data).catch((error) => {
  article.textContent = `Could not open this document. ${error.message}`;
  article.dataset.failed = "true";
  notify(`Not opened: ${error.message}`, "error");
  return null;
});
if (!loaded) await new Promise(() => {}); // nothing to edit: no handler, no autosave is set up
const data = { ...page, ...loaded };
const goldMode = data.mode === "gold";

let loadingTheirs = false;
let lastEvents = null;
let lastFocused = null;
let lastRelations = null;
let lastRelation = null;
let lastLink = null;
let lastLabels = null;

function changed(editor, kind) {
  if (kind === "layer" && !loadingTheirs) saver.changed();
  drawSelection($("selection-panel"), editor);
  drawEvent($("event-panel"), editor);
  if (editor.state.events !== lastEvents || editor.ui.focused !== lastFocused) {
    drawEventList($("event-list"), $("event-count"), editor);
    lastEvents = editor.state.events;
    lastFocused = editor.ui.focused;
  }
  drawRelations(editor);
  drawDetails($("details-panel"), editor);
  if (editor.state.labels !== lastLabels && $("document-labels")) {
    drawDocumentLabels($("document-labels"), editor);
    lastLabels = editor.state.labels;
  }
  if (kind === "layer") {
    $("undo").disabled = editor.history.past.length === 0;
    $("redo").disabled = editor.history.future.length === 0;
    drawPendingLater(editor);
    drawAcceptPreview(editor);
    reviewPanel?.draw();
  }
}

function drawRelations(editor) {
  const { link } = editor.ui;
  if (link !== lastLink && link && !link.type) {
    // A relation's type is chosen next: the search takes the keyboard.
    $("relation-filter")?.focus();
  }
  lastLink = link;
  const list = $("relation-list");
  if (!list || (editor.state.relations === lastRelations && editor.ui.relation === lastRelation)) return;
  drawRelationList(list, $("relation-count"), editor);
  lastRelations = editor.state.relations;
  lastRelation = editor.ui.relation;
}

let pendingQueued = false;

/** Count the predictions still to accept after the frame that shows an edit (it walks them all). */
function drawPendingLater(editor) {
  if (pendingQueued) return;
  pendingQueued = true;
  requestAnimationFrame(() => setTimeout(() => {
    pendingQueued = false;
    drawPending(editor);
  }));
}

function drawPending(editor) {
  let pending = 0;
  for (const span of editor.state.spans.values()) if (!span.accepted) pending++;
  for (const event of editor.state.events.values()) if (!event.accepted) pending++;
  $("pending-count").textContent = pending ? `${pending} predictions not yet accepted` : "everything accepted";
}

const STATUS_TEXT = {
  saved: "All changes saved",
  pending: "Saving…",
  saving: "Saving…",
  offline: "Unsaved changes",
  conflict: "Not saved: conflict",
  rejected: "Not saved",
};

function drawStatus(saver) {
  const status = $("save-status");
  status.dataset.status = saver.status;
  status.textContent = STATUS_TEXT[saver.status] + (saver.message && saver.status !== "conflict" ? `: ${saver.message}` : "");
  $("layer-version").textContent = String(saver.version);
  $("conflict").hidden = saver.status !== "conflict";
  if (saver.status === "conflict") $("conflict-message").textContent = saver.message;
}

// Saves send what changed since the last save (PATCH), or the whole layer after a conflict.
let delta = null; // made from the editor's first state, below
const saver = new Autosaver({
  version: data.layer.version,
  payload: (version) => delta.request(layerPayload(editor.state, version), version),
  save: async (request) =>
    request.saved(await apiRequest(request.method, data.urls.layer, request.body, { csrfToken })),
  onStatus: drawStatus,
});
// Gold mode: the annotators' items the gold does not settle, in a panel and in the text.
const reviewPanel = goldMode
  ? new ReviewPanel({ root: $("review-panel"), url: data.urls.review, text: data.text, article, notify })
  : null;
const editor = new Editor({
  data, article, onChange: changed, notify,
  ...(reviewPanel ? { drawn: (items, state) => reviewPanel.drawn(items, state) } : {}),
});
delta = new LayerDelta(layerPayload(editor.state, data.layer.version), data.layer.version);
const hotkeys = hotkeysOf(data.schema);

// Keyboard ------------------------------------------------------------------------------------

const COMMANDS = {
  undo: () => editor.undo(),
  redo: () => editor.redo(),
  submit: () => {
    if (!goldMode) finish("submit");
  },
  cursor: ({ step }) => editor.moveCursor(step),
  "cursor-edge": ({ step }) => editor.moveCursor(step, { far: true }),
  "move-end": ({ step }) => editor.moveEdge("end", step),
  "move-start": ({ step }) => editor.moveEdge("start", step),
  "next-item": ({ step }) => editor.selectNext(step),
  escape: () => editor.escape(),
  confirm: () => editor.confirm(),
  link: () => editor.linking.start(),
  reverse: () => editor.linking.reverse(),
  delete: () => editor.deleteSelected(),
  help: () => toggleDialog($("help")),
  role: ({ index }) => {
    const event = editor.state.events.get(editor.ui.focused);
    const role = event && data.schema.eventTypes[event.type].roles[index];
    if (role) editor.roles.chooseRole(role.key);
  },
  entity: ({ label }) => editor.applyEntity(label),
  event: ({ type }) => editor.applyEvent(type),
  accept: () => editor.acceptSelected(),
  "label-all": () => editor.labelAllOccurrences(),
  "accept-all": () => editor.acceptPredictions(),
  "event-picker": () => {
    $("event-filter").focus();
    $("event-filter").select();
  },
  "role-picker": () => editor.roles.chooseRoleMode(),
  note: () => focusNote($("details-panel"), editor),
  document: () => $("document-panel").querySelector("input, textarea")?.focus(),
  panel: () => {
    const first = $("event-panel").querySelector("select, button");
    if (first) first.focus();
    else notify("Select an event trigger first: its attributes and roles appear in the panel.", "error");
  },
};

document.addEventListener("keydown", (press) => {
  const target = press.target;
  if (target.closest?.("dialog") || press.isComposing) return;
  const inSidebar = target !== article && target !== document.body;
  if (inSidebar && press.key === "Escape") {
    article.focus({ preventScroll: true });
    return;
  }
  if (target.matches?.("input, select, textarea")) return;
  if (reviewPanel && press.key === "V" && !press.ctrlKey && !press.metaKey && !press.altKey) {
    press.preventDefault();
    reviewPanel.focus();
    return;
  }
  if (inSidebar && ["Enter", " ", "Tab"].includes(press.key)) return;
  const command = commandFor(press, { ...hotkeys, mode: editor.ui.mode });
  if (!command) return;
  press.preventDefault();
  if (editor.ui.mode === "role" && command.name !== "role") editor.setUi({ mode: "normal" });
  COMMANDS[command.name](command);
});

function toggleDialog(dialog) {
  if (dialog.open) dialog.close();
  else dialog.showModal();
}

// Mouse ---------------------------------------------------------------------------------------

let dragged = false;
article.addEventListener("mouseup", (release) => {
  const selection = getSelection();
  dragged = false;
  if (selection.isCollapsed || !article.contains(selection.anchorNode)) return;
  const anchor = editor.view.offsetOf(selection.anchorNode, selection.anchorOffset);
  const focus = editor.view.offsetOf(selection.focusNode, selection.focusOffset);
  selection.removeAllRanges();
  if (anchor == null || focus == null) return;
  dragged = true;
  editor.selectText(Math.min(anchor, focus), Math.max(anchor, focus), { exact: release.altKey });
  article.focus({ preventScroll: true });
});

article.addEventListener("click", (click) => {
  if (dragged) {
    dragged = false;
    return;
  }
  const mark = click.target.closest("mark[data-id]");
  if (mark) editor.selectItem(mark.dataset.id);
  else editor.setUi({ selected: null, selection: null });
  article.focus({ preventScroll: true });
});

// A mark's note shows on hover (read when the pointer comes, so drawing marks costs nothing).
article.addEventListener("mouseover", (over) => {
  const mark = over.target.closest?.("mark[data-id]");
  if (mark) mark.title = noteOfMark(editor, mark);
});

// Sidebar -------------------------------------------------------------------------------------

$("entity-palette").addEventListener("click", (click) => {
  const button = click.target.closest("button[data-label]");
  if (!button) return;
  editor.applyEntity(button.dataset.label);
  article.focus({ preventScroll: true });
});

// The event palette is search-first: type to filter, ↑/↓ to choose, Enter to apply; the types
// used last (remembered per corpus in this browser) come first.
const eventButtons = new Map(
  [...document.querySelectorAll("#event-palette button[data-type]")].map((button) => [button.dataset.type, button]),
);
const eventTypes = [...eventButtons.values()].map((button) => ({
  key: button.dataset.type, name: button.getAttribute("aria-label") ?? "",
}));
const RECENT_KEY = `goldset:recent-event-types:${data.urls.corpus}`;
let recentTypes = readRecent();
let shownTypes = [];
let activeType = 0;

function readRecent() {
  try {
    const stored = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((type) => eventButtons.has(type)) : [];
  } catch {
    return [];
  }
}

function applyEventButton(button) {
  editor.applyEvent(button.dataset.type);
  recentTypes = recentWith(recentTypes, button.dataset.type);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recentTypes));
  } catch {
    // Private browsing may refuse storage: the order is then only kept for this page.
  }
  $("event-filter").value = "";
  filterEventTypes("");
  article.focus({ preventScroll: true });
}

$("event-palette").addEventListener("click", (click) => {
  const button = click.target.closest("button[data-type]");
  if (button) applyEventButton(button);
});

function filterEventTypes(query, chosen = 0) {
  shownTypes = paletteOrder(eventTypes, recentTypes, query);
  activeType = Math.max(0, Math.min(chosen, shownTypes.length - 1));
  const order = new Map(shownTypes.map((type, index) => [type, index]));
  for (const [type, button] of eventButtons) {
    button.hidden = !order.has(type);
    button.style.setProperty("order", String(order.get(type) ?? 0));
    button.classList.toggle("recent", recentTypes.includes(type));
    button.classList.toggle("active", Boolean(query) && order.get(type) === activeType);
  }
  const active = query && shownTypes[activeType];
  $("event-filter-status").textContent = query
    ? `${shownTypes.length} type${shownTypes.length === 1 ? "" : "s"}${active ? `; Enter applies ${active}` : ""}`
    : "";
}

$("event-filter").addEventListener("input", (typing) => filterEventTypes(typing.target.value));
$("event-filter").addEventListener("keydown", (press) => {
  const query = press.target.value;
  if (press.key === "ArrowDown" || press.key === "ArrowUp") {
    press.preventDefault();
    const step = press.key === "ArrowDown" ? 1 : -1;
    const count = Math.max(shownTypes.length, 1);
    filterEventTypes(query || " ", (activeType + step + count) % count);
  } else if (press.key === "Enter") {
    press.preventDefault();
    const chosen = shownTypes[activeType];
    if (chosen) applyEventButton(eventButtons.get(chosen));
  } else if (press.key === "Escape") {
    press.target.value = "";
    filterEventTypes("");
    article.focus({ preventScroll: true });
  }
});
filterEventTypes("");

// The relation type chooser (relation-chooser.js) applies to the relation being drawn (- with an
// entity selected) or the selected relation.
if ($("relation-palette")) {
  new RelationChooser({
    palette: $("relation-palette"), filter: $("relation-filter"), status: $("relation-filter-status"),
    types: data.schema.relationTypes,
    onChoose: (type) => {
      article.focus({ preventScroll: true });
      editor.linking.chooseType(type);
    },
    onCancel: () => {
      if (editor.ui.link) editor.escape();
      article.focus({ preventScroll: true });
    },
  });
}

// "Draw arguments as arcs": off unless turned on, remembered in this browser.
const ARGUMENT_ARCS_KEY = "goldset:argument-arcs";
function readArgumentArcs() {
  try {
    return localStorage.getItem(ARGUMENT_ARCS_KEY) === "on";
  } catch {
    return false;
  }
}
$("argument-arcs").checked = readArgumentArcs();
editor.linking.setArgumentArcs($("argument-arcs").checked);
$("argument-arcs").addEventListener("change", (change) => {
  editor.linking.setArgumentArcs(change.target.checked);
  try {
    localStorage.setItem(ARGUMENT_ARCS_KEY, change.target.checked ? "on" : "off");
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this page.
  }
});

$("accept-all")?.addEventListener("click", () => editor.acceptPredictions());
$("accept-above")?.addEventListener("submit", (submit) => {
  submit.preventDefault();
  editor.acceptPredictions(acceptFilter());
});
$("accept-above")?.addEventListener("input", () => drawAcceptPreview(editor));
$("accept-above")?.closest("details").addEventListener("toggle", () => drawAcceptPreview(editor));

function acceptFilter() {
  const form = new FormData($("accept-above"));
  return { label: form.get("label") || null, minScore: Number(form.get("score")) };
}

/** Beside the threshold: how many it takes, and their expected precision (calibrated scores). */
function drawAcceptPreview(editor) {
  const preview = $("accept-preview");
  if (!preview?.closest("details").open) return;
  preview.textContent = acceptPreviewText(acceptPreview(editor.state, acceptFilter()));
}
$("undo").addEventListener("click", () => editor.undo());
$("redo").addEventListener("click", () => editor.redo());
$("show-help").addEventListener("click", () => toggleDialog($("help")));
$("show-guide").addEventListener("click", () => {
  if (!$("guide-types").childElementCount) drawGuide($("guide-types"), data.schema);
  toggleDialog($("guide"));
});
if (!goldMode) {
  $("submit").addEventListener("click", () => finish("submit"));
  $("skip").addEventListener("click", () => finish("skip"));
}

// Saving --------------------------------------------------------------------------------------

$("conflict-mine").addEventListener("click", () => saver.keepMine().catch(() => {}));
$("conflict-theirs").addEventListener("click", async () => {
  try {
    const layer = await apiRequest("GET", data.urls.layer);
    loadingTheirs = true;
    editor.replaceWith(layer);
    delta.reset(layerPayload(editor.state, layer.version), layer.version);
    saver.adopt(layer.version);
    notify(`Loaded version ${layer.version}. Undo (Ctrl+Z) brings your changes back.`);
  } catch (error) {
    notify(`Could not load their version: ${error.message}`, "error");
  } finally {
    loadingTheirs = false;
  }
});

async function finish(kind) {
  const buttons = [$("submit"), $("skip")];
  for (const button of buttons) button.disabled = true;
  notify(kind === "submit" ? "Submitting…" : "Skipping…");
  try {
    await saver.flush();
    const version = saver.version;
    const answer =
      kind === "submit"
        ? await submitEndorsed({ url: data.urls.submit, version, confirm: confirmPending, csrfToken })
        : await apiRequest("POST", data.urls.skip, { version }, { csrfToken });
    if (answer) {
      location.assign(answer.next?.url ?? data.urls.corpus);
      return;
    }
    notify("Not submitted: review the predictions, accept them (A, or Shift+A for all), then submit.");
    article.focus({ preventScroll: true });
  } catch (error) {
    notify(`Not ${kind === "submit" ? "submitted" : "skipped"}: ${error.message ?? error}`, "error");
  }
  for (const button of buttons) button.disabled = false;
}

/** Ask whether to accept the `pending` predictions and submit; Esc or "Go back" says no. */
function confirmPending(pending) {
  const dialog = $("endorse");
  $("endorse-title").textContent = `${pending} prediction${pending === 1 ? "" : "s"} not reviewed`;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "accept"), { once: true });
  });
}

addEventListener("beforeunload", (leaving) => {
  if (saver.dirty) leaving.preventDefault();
});

drawHelp($("help-body"), data.schema);  // small; the guide is drawn when first opened
if (goldMode) {
  // The gold layer is never submitted: drop that shortcut from the list.
  for (const key of $("help-body").querySelectorAll("kbd")) {
    if (key.textContent === "Ctrl+Enter") key.closest("tr").remove();
  }
  drawReviewHelp($("help-body"));
}
changed(editor, "ui");
drawPending(editor);
article.dataset.ready = "true";
performance.mark("goldset-editor-ready");
// The keys work from here (they are the document's); the article takes the focus once the
// first frame is laid out, as focusing now would lay the whole page out first.
requestAnimationFrame(() => setTimeout(() => {
  if (document.activeElement === document.body) article.focus({ preventScroll: true });
}));
reviewPanel?.load(editor);
new CommentThread({ root: $("comment-thread"), url: data.urls.comments, commentUrl: data.urls.comment, csrfToken }).load();
