// Linking: draw, select, retype, reverse and delete the layer's relations.
//
// Part of the editor (editor.js), kept apart like roles.js: it reads and changes the editor's
// state and selection through `this.editor`. A relation is drawn in three steps: "-" on an
// entity (`start`), its type (`chooseType`, from the relation type chooser), its tail
// (`linkTo`: a click, or Tab and Enter). The checks and their words are relation-state.js's.

import { ArcLayer } from "./arcs.js";
import { arcsOf, ENTITY, RELATION } from "./items.js";
import * as relations from "./relation-state.js";

/** The relation commands of one editor, and the arcs drawn over its article. */
export class Linking {
  constructor(editor, article) {
    this.editor = editor;
    this.argumentArcs = false;
    const types = Object.entries(editor.schema.relationTypes ?? {});
    const colours = Object.fromEntries(types.map(([type, { color }]) => [type, color]));
    this.arcs = new ArcLayer(article, { colours, onSelect: (id) => this.select(id.slice(RELATION.length)) });
    this.drawArcs();
  }

  /** Draw event arguments as arcs too (`on`), or relations only. */
  setArgumentArcs(on) {
    this.argumentArcs = on;
    this.drawArcs();
  }

  drawArcs() {
    const { state, ui } = this.editor;
    this.arcs.show(arcsOf(state, { withArguments: this.argumentArcs, selected: ui.relation }));
  }

  /** After an edit: let go of the selected relation, or the one being drawn, if it is gone. */
  forgetRemoved() {
    const { editor } = this;
    const { relation, link } = editor.ui;
    if (relation != null && !editor.state.relations.has(relation)) editor.ui = { ...editor.ui, relation: null };
    if (link && !(link.retype != null ? editor.state.relations.has(link.retype) : editor.state.spans.has(link.head))) {
      editor.ui = { ...editor.ui, link: null };
    }
  }

  /**
   * Start a relation from the selected entity, or a new type for the selected relation: the
   * relation type is chosen next (`chooseType`). Returns whether one is awaited.
   */
  start() {
    const { editor } = this;
    if (!Object.keys(editor.schema.relationTypes ?? {}).length) {
      editor.notify("This corpus's schema has no relation types.", "error");
      return false;
    }
    const keys = Object.values(editor.schema.relationTypes).some((type) => type.hotkey) ? "press a type's key, or " : "";
    if (editor.ui.relation != null) {
      editor.setUi({ link: { retype: editor.ui.relation } });
      editor.notify(`Choose the relation's new type: ${keys}type to find it, ↑/↓, Enter. Esc cancels.`);
      return true;
    }
    const selected = editor.ui.selected;
    if (selected?.kind !== "entity") {
      editor.notify("Select an entity first (Tab, or click it): - starts a relation from it.", "error");
      return false;
    }
    editor.setUi({ link: { head: selected.key } });
    editor.notify(`Relation from ${this.quoteSpan(selected.key)}: ${keys}type to find its type, ↑/↓, Enter. Esc cancels.`);
    return true;
  }

  /** Take `type` for the relation being drawn (its tail comes next), or as the selected relation's new type. */
  chooseType(type) {
    const { editor } = this;
    if (!editor.ui.link && !this.start()) return;
    const { link } = editor.ui;
    if (link.retype != null) {
      const next = editor.attempt(() => relations.relationRetype(editor.state, editor.schema, link.retype, type));
      editor.setUi({ link: null });
      if (next) editor.commit(next, `retype ${type}`);
      return;
    }
    // The head stays selected: Tab goes on from it to the entities after it.
    const head = { kind: "entity", key: link.head, id: ENTITY + link.head };
    editor.setUi({ link: { head: link.head, type }, selected: head, selection: null });
    editor.notify(
      `${type} from ${this.quoteSpan(link.head)}: now its target. Tab / Shift+Tab step through the entities, Enter takes one; or click it. Esc cancels.`,
    );
  }

  /** Draw the relation being drawn to span `key`; a refusal leaves it waiting for another target. */
  linkTo(key) {
    const { editor } = this;
    const { head, type } = editor.ui.link;
    const result = editor.attempt(() => relations.relationAdd(editor.state, editor.schema, { type, head, tail: key }));
    if (!result) return;
    const [next, relationKey] = result;
    editor.ui = { ...editor.ui, link: null, relation: relationKey, selected: null, selection: null };
    editor.commit(next, `relate ${type}`);
    editor.notify(`${type}: ${this.quoteSpan(head)} → ${this.quoteSpan(key)}. ~ reverses it, Delete removes it, - changes its type.`);
  }

  /** Enter while a relation waits for its tail: take the selected entity. */
  confirm() {
    const selected = this.editor.ui.selected;
    if (selected?.kind === "entity") return this.linkTo(selected.key);
    return this.editor.notify("Choose the relation's target first: Tab steps through the entities.", "error");
  }

  select(key) {
    if (!this.editor.state.relations.has(key)) return;
    this.editor.setUi({ relation: key, selected: null, selection: null, link: null });
  }

  reverse() {
    const { editor } = this;
    const key = editor.ui.relation;
    if (key == null) return editor.notify("Select a relation first: click its arc or pick it in Relations.", "error");
    const next = editor.attempt(() => relations.relationReverse(editor.state, editor.schema, key));
    if (next) editor.commit(next, "reverse");
    return undefined;
  }

  remove() {
    const { editor } = this;
    const next = editor.attempt(() => relations.relationDelete(editor.state, editor.ui.relation));
    if (next) editor.commit(next, "delete relation");
  }

  /** “The text” of span `key`. */
  quoteSpan(key) {
    const { editor } = this;
    const span = editor.state.spans.get(key);
    return span ? `“${editor.offsets.slice(span.start, span.end)}”` : "(removed)";
  }
}
