// Editor: the annotate page's behaviour — what each command does to the layer and the view.
//
// Holds the undo history (history.js over state.js), what is selected, and the view
// (render.js, with relations drawn as arcs by arcs.js); filling event roles is in roles.js,
// drawing and editing relations in linking.js. The page module wires DOM events to these
// methods and the sidebar (panels.js) shows the result.

import { ArticleView } from "./render.js";
import { OffsetMap } from "./offsets.js";
import { ENTITY, itemsAfter, itemsOf, TRIGGER } from "./items.js";
import { Linking } from "./linking.js";
import { RoleFilling } from "./roles.js";
import * as edit from "./state.js";
import { historyPush, historyRedo, historyStart, historyUndo } from "./history.js";
import { moveEdge, offsetPairs, snapToTokens, tokenAfter, tokenBefore, tokenize } from "./tokens.js";


/** The editor of one annotator layer. */
export class Editor {
  /**
   * `drawn` (optional) turns the render items of a state into what the article draws (the
   * gold editor adds the review's candidates); by default the layer's items as they are.
   * @param {{data: object, article: HTMLElement, onChange: (editor: Editor, kind: string) => void,
   *          notify: (message: string, tone?: string) => void,
   *          drawn?: (items: object[], state: object) => object[]}} options
   */
  constructor({ data, article, onChange, notify, drawn = (items) => items }) {
    this.text = data.text;
    this.offsets = new OffsetMap(data.text);
    this.tokens = data.tokens?.length ? offsetPairs(data.tokens) : tokenize(data.text);
    this.schema = {
      ...data.schema,
      text: data.text,
      length: this.offsets.length,
    };
    // The last label change of a span, {key, from}: what "label all occurrences" repeats.
    this.lastLabelling = null;
    this.history = historyStart(edit.stateFromLayer(data.layer));
    this.layerItemsOf = null; // {state, items}: the render items of the layer state drawn last
    // `relation`: the key of the selected relation. `link`: a relation being drawn, {head}
    // while its type is chosen, {head, type} while its tail is; or {retype} for the selected.
    this.ui = { selection: null, selected: null, focused: null, role: null, mode: "normal", relation: null, link: null };
    this.onChange = onChange;
    this.notify = notify;
    this.drawn = drawn;
    this.view = new ArticleView(article, data.text, {
      types: typesOf(data.schema), sentences: offsetPairs(data.sentences), offsets: this.offsets,
    });
    this.view.paint(this.drawnItems());
    this.roles = new RoleFilling(this);
    this.linking = new Linking(this, article);
  }

  get state() {
    return this.history.present;
  }

  /** Replace the layer's content with `state` (an undoable edit unless `history` is given). */
  commit(state, label, history = null) {
    const previous = this.state;
    this.history = history ?? historyPush(this.history, state, label);
    if (this.state === previous) return;
    const selected = this.ui.selected;
    if (selected && !this.itemOf(selected)) this.ui = { ...this.ui, selected: null };
    if (this.ui.focused != null && !this.state.events.has(this.ui.focused)) {
      this.ui = { ...this.ui, focused: null, role: null };
    }
    this.linking.forgetRemoved();
    const { items, ranges } = itemsAfter(this.layerItems(previous), previous, this.state);
    this.layerItemsOf = { state: this.state, items };
    this.view.update(this.drawn(items, this.state), ranges);
    this.decorate();
    this.onChange(this, "layer");
  }

  /** The render items of layer `state`, kept for the last one asked (the next edit patches them). */
  layerItems(state = this.state) {
    if (this.layerItemsOf?.state !== state) this.layerItemsOf = { state, items: itemsOf(state) };
    return this.layerItemsOf.items;
  }

  /** What the article draws for the current state. */
  drawnItems() {
    return this.drawn(this.layerItems(), this.state);
  }

  /** Repaint [start, end) `ranges`, or the whole article, when what is drawn changed but not the layer. */
  redraw(ranges = null) {
    if (ranges) this.view.update(this.drawnItems(), ranges);
    else this.view.paint(this.drawnItems());
  }

  /** Run an edit; a refusal becomes a notice and changes nothing. Returns the result or null. */
  attempt(run) {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof edit.EditError)) throw error;
      this.notify(error.message, "error");
      return null;
    }
  }

  setUi(patch) {
    // Selecting text or an item leaves the selected relation.
    const leaves = (patch.selected || patch.selection) && !("relation" in patch);
    this.ui = { ...this.ui, ...(leaves ? { relation: null } : {}), ...patch };
    this.decorate();
    this.onChange(this, "ui");
  }

  decorate() {
    const { selected, focused, selection } = this.ui;
    const roles = new Map();
    const event = focused != null ? this.state.events.get(focused) : null;
    for (const argument of event?.arguments ?? []) {
      const id = argument.span != null ? ENTITY + edit.key(argument.span) : TRIGGER + edit.key(argument.event);
      roles.set(id, [...(roles.get(id) ?? []), argument.role]);
    }
    this.view.decorate({ selected: selected ? selected.id : null, focused: event ? TRIGGER + focused : null, roles });
    this.linking?.drawArcs();
    if (globalThis.CSS?.highlights) {
      if (selection) CSS.highlights.set("goldset-selection", new Highlight(this.view.rangeOf(selection.start, selection.end)));
      else CSS.highlights.delete("goldset-selection");
    }
  }

  /** The span or event behind a selection `{kind, id, key}`, if it still exists. */
  itemOf(selected) {
    if (!selected) return null;
    const items = selected.kind === "entity" ? this.state.spans : this.state.events;
    return items.get(selected.key) ?? null;
  }

  /** The selected range: the selected item's, else the text selection's. */
  range() {
    const item = this.itemOf(this.ui.selected);
    if (item) return [item.start, item.end];
    return this.ui.selection ? [this.ui.selection.start, this.ui.selection.end] : null;
  }

  // Selecting -------------------------------------------------------------------------------

  /** Select text [start, end), snapped to tokens unless `exact`. */
  selectText(start, end, { exact = false } = {}) {
    const range = exact ? (start < end ? [start, end] : null) : snapToTokens(this.tokens, start, end);
    if (!range) return this.setUi({ selection: null });
    this.setUi({ selection: { start: range[0], end: range[1] }, selected: null });
    if (this.ui.role) this.roles.fillWithSelection();
    return range;
  }

  /**
   * Select the entity or trigger drawn with DOM id `id` ("s:12", "e:n3"). While a role waits
   * for a filler, choosing an entity this way (`fill`, as a click does) fills the role.
   */
  selectItem(id, { fill = true } = {}) {
    const kind = id.startsWith(ENTITY) ? "entity" : "trigger";
    const key = id.slice(2);
    const selected = { kind, key, id };
    if (!this.itemOf(selected)) return;
    if (kind === "entity" && this.ui.link?.type) {
      this.setUi({ selected, selection: null });
      if (fill) this.linking.linkTo(key);
      return;
    }
    if (kind === "entity" && this.ui.role && fill) {
      this.setUi({ selected, selection: null });
      this.roles.fillRole(key);
      return;
    }
    const focused = kind === "trigger" ? key : this.ui.focused;
    this.setUi({ selected, selection: null, focused, role: kind === "trigger" && focused !== this.ui.focused ? null : this.ui.role });
    this.reveal();
  }

  /** Select the next (step 1) or previous (-1) entity or trigger in text order. */
  selectNext(step) {
    // While a relation waits for its tail, only entities can be it.
    const items = itemsOf(this.state).filter((item) => !this.ui.link?.type || item.kind === "entity").sort((a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id));
    if (!items.length) return;
    const current = this.ui.selected ? items.findIndex((item) => item.id === this.ui.selected.id) : -1;
    let index;
    if (current >= 0) index = (current + step + items.length) % items.length;
    else {
      const from = this.ui.selection?.start ?? 0;
      index = step > 0 ? items.findIndex((item) => item.start >= from) : items.findLastIndex((item) => item.start < from);
      if (index < 0) index = step > 0 ? 0 : items.length - 1;
    }
    this.selectItem(items[index].id, { fill: false });
  }

  /** Move the token cursor one token right (1) or left (-1), or to the last or first (`far`). */
  moveCursor(step, { far = false } = {}) {
    const range = this.range();
    let index;
    if (far) index = step > 0 ? this.tokens.length - 1 : 0;
    else if (!range) index = step > 0 ? 0 : this.tokens.length - 1;
    else index = step > 0 ? tokenAfter(this.tokens, range[1]) : tokenBefore(this.tokens, range[0]);
    index = Math.max(0, Math.min(index, this.tokens.length - 1));
    const [start, end] = this.tokens[index];
    this.setUi({ selection: { start, end }, selected: null });
    this.reveal();
  }

  /** Move one edge of the selected item (or of the text selection) by a token. */
  moveEdge(edge, step) {
    const range = this.range();
    if (!range) return;
    const moved = moveEdge(this.tokens, range, edge, step);
    if (!moved) return;
    const [start, end] = moved;
    const selected = this.ui.selected;
    if (!selected) {
      this.setUi({ selection: { start, end } });
      return;
    }
    const resize = selected.kind === "entity" ? edit.spanResize : edit.eventResize;
    const next = this.attempt(() => resize(this.state, this.schema, selected.key, { start, end }));
    if (next) this.commit(next, "resize");
  }

  escape() {
    if (this.ui.link) {
      this.notify("No relation drawn.");
      return this.setUi({ link: null });
    }
    if (this.ui.role || this.ui.mode !== "normal") return this.setUi({ role: null, mode: "normal" });
    if (this.ui.selected || this.ui.selection || this.ui.relation != null) {
      return this.setUi({ selected: null, selection: null, relation: null });
    }
    return this.setUi({ focused: null });
  }

  reveal() {
    const id = this.ui.selected?.id;
    const target = id ? this.view.marksOf(id)[0] : null;
    if (target) target.scrollIntoView({ block: "nearest" });
    else if (this.ui.selection) {
      const rect = this.view.rangeOf(this.ui.selection.start, this.ui.selection.end).getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > innerHeight) scrollBy({ top: rect.top - innerHeight / 3 });
    }
  }

  // Labelling -------------------------------------------------------------------------------

  /** Label the text selection as `label`, or relabel the selected entity. */
  applyEntity(label) {
    const selected = this.ui.selected;
    if (selected?.kind === "entity") {
      const before = this.state;
      const from = this.itemOf(selected).label;
      const next = this.attempt(() => edit.spanRelabel(before, this.schema, selected.key, label));
      if (next) {
        if (from !== label) this.lastLabelling = { key: selected.key, from };
        this.commit(next, `relabel ${label}`);
        this.reportDroppedRoles(before, next);
      }
      return;
    }
    if (selected?.kind === "trigger") {
      this.notify("A trigger takes an event type: press E or an event hotkey.", "error");
      return;
    }
    const range = this.range();
    if (!range) {
      this.notify("Select some text first (drag over it, or use → and Shift+→).", "error");
      return;
    }
    const role = this.ui.role;
    if (role) this.roles.fillWithSelection(label);
    else this.addSpan(range, label);
  }

  addSpan([start, end], label) {
    const result = this.attempt(() => edit.spanAdd(this.state, this.schema, { start, end, label }));
    if (!result) return null;
    const [next, key] = result;
    this.ui = { ...this.ui, selection: null, selected: { kind: "entity", key, id: ENTITY + key } };
    this.lastLabelling = { key, from: null };
    this.commit(next, `add ${label}`);
    return key;
  }

  /**
   * Give every other occurrence of the selected entity's text its label, as one undoable
   * step: unlabelled occurrences, and those still carrying the label the entity had before
   * its last relabelling here. Says how many changed.
   */
  labelAllOccurrences() {
    const selected = this.ui.selected;
    const span = selected?.kind === "entity" ? this.itemOf(selected) : null;
    if (!span) {
      this.notify("Select an entity first: * gives its label to the other occurrences of its text.", "error");
      return;
    }
    this.schema.points ??= [...this.text];
    const from = this.lastLabelling?.key === selected.key ? this.lastLabelling.from : null;
    const before = this.state;
    const result = this.attempt(() => edit.spanLabelAll(before, this.schema, selected.key, { from }));
    if (!result) return;
    const [next, { added, relabelled }] = result;
    const text = `“${this.offsets.slice(span.start, span.end)}”`;
    if (!added && !relabelled) {
      const also = from ? ` or labelled ${from}` : "";
      this.notify(`No other occurrence of ${text} is unlabelled${also}: nothing changed.`);
      return;
    }
    this.commit(next, `label all ${span.label}`);
    const parts = [added ? `${added} added` : "", relabelled ? `${relabelled} relabelled from ${from}` : ""];
    const total = added + relabelled;
    const dropped = droppedArguments(before, next);
    this.notify(
      `${total} more occurrence${total === 1 ? "" : "s"} of ${text} labelled ${span.label}` +
        ` (${parts.filter(Boolean).join(", ")})` +
        (dropped ? `; ${dropped} argument${dropped === 1 ? "" : "s"} the new label may not fill removed` : "") +
        ". Ctrl+Z undoes it.",
    );
  }

  /** Make the selection a trigger of `type`, or give the selected trigger that type. */
  applyEvent(type) {
    const selected = this.ui.selected;
    if (selected?.kind === "trigger") {
      const before = this.state;
      const next = this.attempt(() => edit.eventRetype(before, this.schema, selected.key, type));
      if (next) {
        this.commit(next, `retype ${type}`);
        this.reportDroppedRoles(before, next);
      }
      return;
    }
    const range = this.range();
    if (!range) {
      this.notify("Select the trigger word first, then choose the event type.", "error");
      return;
    }
    const result = this.attempt(() => edit.eventAdd(this.state, this.schema, { start: range[0], end: range[1], type }));
    if (!result) return;
    const [next, key] = result;
    this.ui = { ...this.ui, selection: null, selected: { kind: "trigger", key, id: TRIGGER + key }, focused: key, role: null };
    this.commit(next, `add ${type}`);
    this.notify(`${type} added. Press R and a number to fill its roles.`);
  }

  deleteSelected() {
    if (this.ui.relation != null) return this.linking.remove();
    const selected = this.ui.selected;
    if (!selected) return undefined;
    const remove = selected.kind === "entity" ? edit.spanDelete : edit.eventDelete;
    const item = this.itemOf(selected);
    const next = this.attempt(() => remove(this.state, selected.key));
    if (next) {
      // The text stays selected, so the next key can label it again.
      this.ui = { ...this.ui, selected: null, selection: { start: item.start, end: item.end } };
      this.commit(next, "delete");
    }
    return undefined;
  }

  acceptSelected() {
    const selected = this.ui.selected;
    if (!selected) return this.notify("Select a prediction to accept it, or press Shift+A for all.", "error");
    const accept = selected.kind === "entity" ? edit.spanAccept : edit.eventAccept;
    return this.commit(accept(this.state, selected.key), "accept");
  }

  /** Accept every prediction, or those of `label` scoring at least `minScore`. */
  acceptPredictions(filter = {}) {
    const [next, count] = edit.predictionsAccept(this.state, filter);
    this.commit(next, "accept predictions");
    this.notify(count ? `Accepted ${count} prediction${count === 1 ? "" : "s"}.` : "No predictions to accept.");
  }

  clearRole(eventKey, index) {
    this.commit(edit.roleClear(this.state, eventKey, index), "remove argument");
  }

  setAttribute(eventKey, name, value) {
    const next = this.attempt(() => edit.eventAttributeSet(this.state, this.schema, eventKey, name, value));
    if (next) this.commit(next, `set ${name}`);
  }

  focusEvent(key) {
    this.setUi({ focused: key, selected: { kind: "trigger", key, id: TRIGGER + key }, selection: null, role: null });
    this.reveal();
  }

  reportDroppedRoles(before, after) {
    const dropped = droppedArguments(before, after);
    if (dropped > 0) this.notify(`Removed ${dropped} argument${dropped === 1 ? "" : "s"} the new type may not fill (undo brings them back).`);
  }

  /** Enter: take the entity chosen as a relation's tail, or fill the chosen role. */
  confirm() {
    return this.ui.link?.type ? this.linking.confirm() : this.roles.confirm();
  }

  // History ---------------------------------------------------------------------------------

  undo() {
    this.commit(null, "", historyUndo(this.history));
  }

  redo() {
    this.commit(null, "", historyRedo(this.history));
  }

  /** Take `layer` (from the server) as the content, undoably. */
  replaceWith(layer) {
    this.commit(edit.stateFromLayer(layer), "load their version");
  }
}

/** How many arguments the events of `before` lost in `after`. */
function droppedArguments(before, after) {
  if (before.events === after.events) return 0;
  let dropped = 0;
  for (const [key, event] of after.events) dropped += (before.events.get(key)?.arguments.length ?? 0) - event.arguments.length;
  return dropped;
}

function typesOf(schema) {
  return { ...schema.entityTypes, ...schema.eventTypes };
}
