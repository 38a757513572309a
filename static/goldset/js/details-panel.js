// Details panels: the selected item's note and attributes, and the document's labels — each
// change one undoable edit of the layer, saved with it — drawn in the editor's sidebar.
//
// The note is written into a text box and kept when the box loses the keyboard (Esc or Tab
// away, Ctrl+Enter back to the text), so typing never redraws the panel under the cursor.

import { NOTE_MAX, attributeSet, attributesOf, documentLabelSet, noteSet } from "./details.js";
import { element, redrawKeepingFocus } from "./panels.js";
import { key } from "./state.js";

const KIND_OF_SELECTED = { entity: "spans", trigger: "events" };
const KIND_NAME = { spans: "entity", events: "event", relations: "relation" };

/** The item the panel describes: the selected relation, else the selected entity or trigger. */
export function describedItem(editor) {
  const relation = editor.ui.relation != null ? editor.state.relations.get(editor.ui.relation) : null;
  if (relation) return { kind: "relations", key: editor.ui.relation, item: relation };
  const item = editor.itemOf(editor.ui.selected);
  return item ? { kind: KIND_OF_SELECTED[editor.ui.selected.kind], key: editor.ui.selected.key, item } : null;
}

function apply(editor, run, label) {
  const next = editor.attempt(run);
  if (next) editor.commit(next, label);
}

const shownDetails = new WeakMap(); // panel -> {kind, key, note, attributes, schema} it shows

/** The note and the attributes of the selected item (events keep theirs in the event panel). */
export function drawDetails(root, editor) {
  const described = describedItem(editor);
  const shown = described && {
    kind: described.kind, key: described.key, note: described.item.note,
    attributes: described.item.attributes, schema: editor.schema,
  };
  // A relabel or an accept leaves the note and the attributes as they were: the panel stays
  // (drawing its selects again costs a style and layout pass in the key press).
  const before = shownDetails.get(root);
  if (shown && before && Object.keys(shown).every((name) => shown[name] === before[name])) return;
  shownDetails.set(root, shown);
  redrawKeepingFocus(root, () => drawDetailControls(root, editor));
}

function drawDetailControls(root, editor) {
  const described = describedItem(editor);
  root.hidden = !described;
  if (!described) return root.replaceChildren();
  const { kind, key: itemKey, item } = described;
  const note = element("textarea", {
    id: "item-note", rows: 2, maxlength: NOTE_MAX, dataset: { focusKey: "note" },
    placeholder: "Shown on hover and to reviewers", "aria-keyshortcuts": "Shift+N",
  });
  note.value = item.note;
  note.addEventListener("change", () => apply(editor, () => noteSet(editor.state, kind, itemKey, note.value), "note"));
  note.addEventListener("keydown", (press) => {
    if (press.key !== "Enter" || !(press.ctrlKey || press.metaKey)) return;
    press.preventDefault();
    document.getElementById("article").focus({ preventScroll: true }); // the note is kept on blur
  });
  const attributes = kind === "events" ? [] : attributesOf(editor.schema, kind).map((attribute) =>
    attributeControl(attribute, item.attributes[attribute.key] ?? null, `attribute:${attribute.key}`,
      (value) => apply(editor, () => attributeSet(editor.state, editor.schema, kind, itemKey, attribute.key, value), `set ${attribute.key}`)));
  root.replaceChildren(
    element("h2", {}, `Note${attributes.length ? " and attributes" : ""} of the ${KIND_NAME[kind]}`),
    element("label", { class: "note" }, "Note ", element("kbd", {}, "Shift+N"), note),
    attributes.length ? element("div", { class: "attributes" }, ...attributes) : null,
  );
  return undefined;
}

/** A select for an attribute with values ("—": none), a checkbox for a yes/no one. */
function attributeControl(attribute, value, focusKey, onChange) {
  if (attribute.values.length === 0) {
    const box = element("input", { type: "checkbox", checked: value === true, dataset: { focusKey } });
    box.addEventListener("change", () => onChange(box.checked ? true : null));
    return element("label", { title: attribute.description }, box, " ", attribute.name);
  }
  const select = element("select", { dataset: { focusKey } },
    element("option", { value: "", selected: value == null }, "—"),
    ...attribute.values.map((choice) => element("option", { value: choice, selected: value === choice }, choice)));
  select.addEventListener("change", () => onChange(select.value === "" ? null : select.value));
  return element("label", { title: attribute.description }, `${attribute.name} `, select);
}

/** Give the keyboard to the note of the selected item, or say why not. */
export function focusNote(root, editor) {
  const note = root.querySelector("#item-note");
  if (note && !root.hidden) note.focus();
  else editor.notify("Select an entity, a trigger or a relation first: its note is in the panel.", "error");
}

/**
 * The document's labels: a radio group for a label that takes one value, checkboxes for one
 * that takes several, yes / no radios for a yes/no one (each single choice with Clear).
 * Returns whether the schema has any.
 */
export function drawDocumentLabels(root, editor) {
  const labels = attributesOf(editor.schema, "document");
  if (!labels.length) return false;
  redrawKeepingFocus(root, () => root.replaceChildren(...labels.map((label) => labelGroup(label, editor))));
  return true;
}

function labelGroup(label, editor) {
  const chosen = editor.state.labels?.[label.key];
  const set = (value, on) => apply(editor, () => documentLabelSet(editor.state, editor.schema, label.key, value, on), `label ${label.key}`);
  const clear = (on, drop) => element("button", {
    type: "button", class: "link-button", disabled: !on, dataset: { focusKey: `label:${label.key}:clear` }, onclick: drop,
  }, "Clear");
  if (label.values.length === 0) {
    // Yes, no, or not chosen yet: three states, so "no" is never read into an untouched box.
    const answers = [[true, "yes"], [false, "no"]].map(([value, text]) => {
      const input = element("input", {
        type: "radio", name: `label-${label.key}`, value: text, checked: chosen === value,
        dataset: { focusKey: `label:${label.key}:${text}` },
      });
      input.addEventListener("change", () => set(value, true));
      return element("label", {}, input, " ", text);
    });
    return element("fieldset", { class: "document-label", title: label.description },
      element("legend", {}, label.name, " (yes or no)"), ...answers, clear(chosen != null, () => set(null, true)));
  }
  const type = label.multiple ? "checkbox" : "radio";
  const options = label.values.map((value) => {
    const input = element("input", {
      type, name: `label-${label.key}`, value, checked: Array.isArray(chosen) && chosen.includes(value),
      dataset: { focusKey: `label:${label.key}:${value}` },
    });
    input.addEventListener("change", () => set(value, input.checked));
    return element("label", {}, input, " ", value);
  });
  return element("fieldset", { class: "document-label", title: label.description },
    element("legend", {}, label.name, label.multiple ? " (any of)" : " (one of)"), ...options,
    label.multiple ? null : clear(chosen?.length, () => chosen?.length && set(chosen[0], false)));
}

/** The note of the item drawn by `mark`, for its tooltip; empty when it has none. */
export function noteOfMark(editor, mark) {
  const id = mark.dataset.id ?? "";
  const kind = id.startsWith("s:") ? "spans" : id.startsWith("e:") ? "events" : null;
  const item = kind && editor.state[kind].get(key(id.slice(2)));
  return item?.note ?? "";
}

