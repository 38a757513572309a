// Details: the edits that describe rather than mark — an item's note and attributes, and the
// document's labels (the schema's document attributes, chosen for the whole document).
//
// Pure, like state.js, whose states it takes and returns. `kind` names the item's map:
// "spans", "events" or "relations"; the schema's attributes of each are
// `schema.attributes[ATTRIBUTE_KIND[kind]]` ({key, name, values, multiple}; no values: yes/no).

import { EditError, key } from "./state.js";

/** The schema's name (`applies_to`) for the attributes of each kind of item. */
export const ATTRIBUTE_KIND = { spans: "entity", events: "event", relations: "relation" };

/** The longest note the server keeps (NOTE_MAX_CHARS). */
export const NOTE_MAX = 2000;

function itemOf(state, kind, id) {
  const item = state[kind]?.get(key(id));
  if (!item) throw new EditError("That item no longer exists.");
  return item;
}

function withItem(state, kind, id, item) {
  return { ...state, [kind]: new Map(state[kind]).set(key(id), Object.freeze(item)) };
}

/** Give item `id` of `kind` the note `note` (trimmed; empty removes it). */
export function noteSet(state, kind, id, note) {
  const item = itemOf(state, kind, id);
  const text = note.trim();
  if ([...text].length > NOTE_MAX) throw new EditError(`A note holds at most ${NOTE_MAX} characters.`);
  if (text === item.note) return state;
  return withItem(state, kind, id, { ...item, note: text });
}

/** The schema's attributes of items of `kind` (or of the document, for "document"). */
export function attributesOf(schema, kind) {
  const appliesTo = ATTRIBUTE_KIND[kind] ?? kind;
  return schema.attributes?.[appliesTo] ?? (appliesTo === "event" ? schema.eventAttributes ?? [] : []);
}

function checkValue(attribute, value, what) {
  if (attribute.values.length === 0) {
    if (typeof value !== "boolean") throw new EditError(`${attribute.key} is yes/no.`);
  } else if (!attribute.values.includes(value)) {
    throw new EditError(`${attribute.key} must be one of ${attribute.values.join(", ")}${what}.`);
  }
}

/**
 * Set attribute `name` of item `id` of `kind` to `value` (one of its values, or true/false
 * for a yes/no one); null removes it.
 */
export function attributeSet(state, schema, kind, id, name, value) {
  const item = itemOf(state, kind, id);
  const attribute = attributesOf(schema, kind).find((candidate) => candidate.key === name);
  if (!attribute) throw new EditError(`The schema has no attribute ${name} for these items.`);
  if (value !== null) checkValue(attribute, value, "");
  if ((item.attributes[name] ?? null) === value) return state;
  const attributes = { ...item.attributes };
  if (value === null) delete attributes[name];
  else attributes[name] = value;
  return withItem(state, kind, id, { ...item, attributes });
}

/**
 * Choose (`chosen` true) or drop value `value` of document label `name`; a yes/no label takes
 * `value` true or false (null clears it). A label that takes one value gives up the one it had.
 */
export function documentLabelSet(state, schema, name, value, chosen = true) {
  const label = attributesOf(schema, "document").find((candidate) => candidate.key === name);
  if (!label) throw new EditError(`The schema has no document label ${name}.`);
  const labels = { ...state.labels };
  if (label.values.length === 0) {
    if (value === null) delete labels[name];
    else {
      checkValue(label, value, "");
      labels[name] = value;
    }
  } else {
    checkValue(label, value, " (a document label)");
    const had = Array.isArray(labels[name]) ? labels[name] : [];
    const kept = label.multiple ? had.filter((other) => other !== value) : [];
    const next = chosen ? label.values.filter((other) => other === value || kept.includes(other)) : kept;
    if (next.length) labels[name] = next;
    else delete labels[name];
  }
  if (sameLabels(labels, state.labels ?? {})) return state;
  return { ...state, labels: Object.freeze(labels) };
}

function sameLabels(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((name) => String(a[name]) === String(b[name]) && name in b);
}
