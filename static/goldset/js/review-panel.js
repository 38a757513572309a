// Review panel: the gold editor's list of the candidates the gold does not settle yet, with
// accept and reject for each (review.js computes the rows and the edits).
//
// Keyboard: Shift+V (from the text) goes to the list; ↑/↓ move through the rows, A accepts,
// X rejects, Enter shows the item in the text, Esc goes back to the text. Accepting or
// rejecting is one undoable edit of the gold through the editor (autosaved as any other);
// rejecting an item the gold lacks only hides it for this session.

import { apiRequest } from "./api.js";
import { ENTITY, TRIGGER } from "./items.js";
import { OffsetMap } from "./offsets.js";
import { element } from "./panels.js";
import {
  acceptEdit, candidatesOf, describeRow, drawnItems, rejectEdit, statusText, unsettledRows,
} from "./review.js";

/** The shortcuts of the panel, for the "?" overlay. */
export const REVIEW_SHORTCUTS = [
  ["Shift+V", "Go to the Review list (Esc comes back to the text)"],
  ["↑ / ↓", "Previous / next item to decide"],
  ["A", "Accept the item into the gold"],
  ["X", "Reject the item (remove it from the gold, or hide it)"],
  ["Enter", "Show the item in the text"],
];

/** The Review panel of the gold editor, in `root`. */
export class ReviewPanel {
  /** @param {{root: HTMLElement, url: string, text: string, article: HTMLElement, notify: Function}} options */
  constructor({ root, url, text, article, notify }) {
    this.root = root;
    this.url = url;
    this.text = text;
    this.offsets = new OffsetMap(text);
    this.article = article;
    this.notify = notify;
    this.editor = null;
    this.review = null;
    this.byId = null;
    this.decided = new Map(); // candidate id -> "accepted" | "rejected", this session
    this.rows = [];
    this.current = 0;
    this.list = root.querySelector("ol");
    this.count = root.querySelector(".legend-count");
    this.status = root.querySelector(".review-status");
    this.list.addEventListener("keydown", (press) => this.onKey(press));
  }

  /** What the article draws for a state: the gold's items with the review's marks. */
  drawn(items, state) {
    if (!this.review) return items;
    return drawnItems(items, this.rowsFor(state));
  }

  rowsFor(state) {
    return unsettledRows(this.review, state, { text: this.text, decided: this.decided, offsets: this.offsets, byId: this.byId });
  }

  /** Load the candidates and draw them, in the list and in the text. */
  async load(editor) {
    this.editor = editor;
    try {
      this.review = await apiRequest("GET", this.url);
    } catch (error) {
      this.status.textContent = `Could not load the annotators' layers: ${error.message}`;
      return;
    }
    this.byId = candidatesOf(this.review);
    this.draw();
    editor.redraw();
    this.root.dataset.ready = "true";
  }

  /** Redraw the list from the candidates and the gold as it stands. */
  draw() {
    if (!this.review || !this.editor) return;
    const hadFocus = this.list.contains(document.activeElement);
    this.rows = this.rowsFor(this.editor.state);
    this.current = Math.max(0, Math.min(this.current, this.rows.length - 1));
    this.count.textContent = String(this.rows.length);
    const voters = this.review.voters.map((voter) => voter.name);
    this.status.textContent = !voters.length
      ? "No annotator has submitted this document yet."
      : this.rows.length
        ? `${this.rows.length} to decide, from ${voters.join(", ")}.`
        : "Everything is settled: the gold has what all annotators agree on, and you decided the rest.";
    this.list.replaceChildren(...this.rows.map((row, index) => this.rowElement(row, index)));
    if (hadFocus) this.focusRow(this.current);
  }

  rowElement(row, index) {
    return element("li", {
      class: "review-row", tabindex: index === this.current ? "0" : "-1", dataset: { id: row.id, status: row.status },
      "aria-label": `${describeRow(row)}, ${statusText(row)}, ${row.inGold ? "in the gold" : "not in the gold"}`,
      onfocus: () => this.setCurrent(index),
    },
    element("span", { class: "review-mark", dataset: { status: row.status } }, statusText(row)),
    " ", element("span", { class: "review-item" }, describeRow(row)),
    element("span", { class: "review-who" }, `${row.inGold ? "in the gold" : "not in the gold"} · ${row.voters.join(", ") || "nobody"}`),
    element("span", { class: "review-actions" },
      element("button", { type: "button", tabindex: "-1", onclick: () => this.accept(index) }, "Accept (A)"),
      element("button", { type: "button", tabindex: "-1", onclick: () => this.reject(index) }, "Reject (X)")));
  }

  setCurrent(index) {
    if (index === this.current) return;
    const rows = this.list.children;
    rows[this.current]?.setAttribute("tabindex", "-1");
    this.current = index;
    rows[index]?.setAttribute("tabindex", "0");
  }

  /** Put the keyboard on the list (Shift+V). */
  focus() {
    if (!this.rows.length) {
      this.notify(this.review ? "Nothing to decide in the Review list." : "The Review list is still loading.");
      return;
    }
    this.focusRow(this.current);
  }

  focusRow(index) {
    const row = this.list.children[index];
    if (!row) return;
    this.setCurrent(index);
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  onKey(press) {
    if (press.ctrlKey || press.metaKey || press.altKey || press.target.tagName === "BUTTON") return;
    const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
    const actions = {
      ArrowDown: () => this.focusRow(Math.min(this.current + 1, this.rows.length - 1)),
      ArrowUp: () => this.focusRow(Math.max(this.current - 1, 0)),
      Home: () => this.focusRow(0),
      End: () => this.focusRow(this.rows.length - 1),
      a: () => this.accept(this.current),
      x: () => this.reject(this.current),
      Enter: () => this.show(this.current),
    };
    const action = actions[key];
    if (!action) return;
    press.preventDefault();
    press.stopPropagation();
    action();
  }

  /** Add row `index`'s item to the gold: one undoable edit. */
  accept(index) {
    const row = this.rows[index];
    if (!row) return;
    const editor = this.editor;
    this.current = index;
    this.decided.set(row.id, "accepted");
    // An argument brings its event and filler when the gold lacks them: those are decided too.
    const brought = row.kind === "argument" ? [row.event.id, row.filler.id].filter((id) => !this.decided.has(id)) : [];
    for (const id of brought) this.decided.set(id, "accepted");
    let done;
    if (row.kind === "entity" && !row.inGold) {
      // The same action as labelling a selection with the entity's hotkey.
      done = editor.addSpan([row.start, row.end], row.label) != null;
    } else {
      const next = editor.attempt(() => acceptEdit(editor.state, editor.schema, row));
      done = next != null;
      if (done) editor.commit(next, `accept ${row.label}`);
    }
    if (!done) {
      for (const id of [row.id, ...brought]) this.decided.delete(id);
      return;
    }
    this.settled(row, `Accepted ${describeRow(row)}.`);
  }

  /** Remove row `index`'s item from the gold (one undoable edit), or hide it if the gold lacks it. */
  reject(index) {
    const row = this.rows[index];
    if (!row) return;
    const editor = this.editor;
    this.current = index;
    this.decided.set(row.id, "rejected");
    if (row.inGold) {
      const next = editor.attempt(() => rejectEdit(editor.state, row));
      if (next == null) {
        this.decided.delete(row.id);
        return;
      }
      editor.commit(next, `reject ${row.label}`);
    }
    this.settled(row, row.inGold ? `Removed ${describeRow(row)} from the gold.` : `Rejected ${describeRow(row)}.`);
  }

  settled(row, message) {
    // The layer may not have changed (a hidden candidate, an accepted gold item): redraw both.
    this.editor.redraw([[row.start, row.end]]);
    this.draw();
    this.notify(`${message} Undo (Ctrl+Z) takes it back.`);
  }

  /** Show row `index`'s item in the text: select it (or its text) and go there. */
  show(index) {
    const row = this.rows[index];
    if (!row) return;
    const editor = this.editor;
    if (row.kind === "argument") {
      const event = [...editor.state.events.entries()].find(
        ([, item]) => item.start === row.event.start && item.end === row.event.end && item.type === row.event.type);
      if (event) editor.focusEvent(event[0]);
      else editor.setUi({ selection: { start: row.start, end: row.end }, selected: null });
    } else if (row.inGold) {
      editor.selectItem((row.kind === "entity" ? ENTITY : TRIGGER) + row.goldKey, { fill: false });
    } else {
      editor.setUi({ selection: { start: row.start, end: row.end }, selected: null });
    }
    editor.reveal();
    this.article.focus({ preventScroll: true });
  }
}

/** Add the panel's shortcuts to the "?" overlay. */
export function drawReviewHelp(root) {
  root.append(element("section", {},
    element("h3", {}, "Review (gold)"),
    element("table", { class: "shortcuts" }, ...REVIEW_SHORTCUTS.map(([keys, action]) =>
      element("tr", {}, element("th", { scope: "row" }, element("kbd", {}, keys)), element("td", {}, action))))));
}
