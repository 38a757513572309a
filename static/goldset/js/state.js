// State: the annotator's layer as plain immutable data, the edits on it, and the undo stack.
//
// Pure (no DOM, no network). Every edit takes a state and returns a new one, sharing the
// items it did not touch, so undo is a pointer move and a renderer can compare items by
// identity to repaint only what changed. An edit the schema forbids throws an EditError whose
// message is meant for the annotator. Offsets are code points.

import { acceptable } from "./accept.js";

/**
 * @typedef {{id: string|number, start: number, end: number, label: string, source: string,
 *            score: number|null, accepted: boolean, attributes: object, note: string}} Span
 * @typedef {{role: string, span?: string|number, event?: string|number, source: string,
 *            score: number|null}} Argument
 * @typedef {{id: string|number, type: string, start: number, end: number, source: string,
 *            score: number|null, accepted: boolean, attributes: object, note: string,
 *            arguments: Argument[]}} Event
 * @typedef {{id: string|number, type: string, head: string|number, tail: string|number,
 *            source: string, score: number|null, attributes: object, note: string}} Relation
 * @typedef {{spans: Map<string, Span>, events: Map<string, Event>,
 *            relations: Map<string, Relation>, labels: Record<string, string[]|boolean>,
 *            serial: number}} State
 * @typedef {{text: string, entityTypes: Record<string, object>,
 *            eventTypes: Record<string, {roles: {key: string, entityTypes: string[]}[]}>,
 *            relationTypes?: Record<string, {name: string, headTypes: string[], tailTypes: string[]}>,
 *            eventAttributes: {key: string, values: string[], default: string}[]}} Schema
 */

/** A refused edit, with a message for the annotator. */
export class EditError extends Error {}

/** Build a state from a layer as the API returns it. */
export function stateFromLayer(layer) {
  const spans = new Map();
  for (const span of layer.spans) {
    const item = {
      id: span.id, start: span.start, end: span.end, label: span.label,
      source: span.source, score: span.score, accepted: span.accepted,
      attributes: span.attributes ?? {}, note: span.note ?? "",
    };
    spans.set(key(span.id), Object.freeze(item));
  }
  const events = new Map();
  for (const event of layer.events) {
    const item = {
      id: event.id, type: event.type, start: event.trigger_start, end: event.trigger_end,
      source: event.source, score: event.score, accepted: event.accepted,
      attributes: event.attributes ?? {}, note: event.note ?? "",
      arguments: event.arguments.map((argument) => ({
        role: argument.role,
        ...(argument.span != null ? { span: argument.span } : { event: argument.target_event }),
        source: argument.source, score: argument.score,
      })),
    };
    events.set(key(event.id), Object.freeze(item));
  }
  const relations = new Map();
  for (const relation of layer.relations ?? []) {
    const item = {
      id: relation.id, type: relation.type, head: relation.head, tail: relation.tail,
      source: relation.source, score: relation.score,
      attributes: relation.attributes ?? {}, note: relation.note ?? "",
    };
    relations.set(key(relation.id), Object.freeze(item));
  }
  return { spans, events, relations, labels: Object.freeze({ ...(layer.labels ?? {}) }), serial: 0 };
}

/** The layer's content in the API's exchange format, for a save based on `version`. */
export function layerPayload(state, version) {
  return {
    version,
    spans: [...state.spans.values()].map((span) => ({
      id: span.id, start: span.start, end: span.end, label: span.label, source: span.source,
      score: span.score, accepted: span.accepted, attributes: span.attributes, note: span.note,
    })),
    events: [...state.events.values()].map((event) => ({
      id: event.id, type: event.type, trigger_start: event.start, trigger_end: event.end,
      source: event.source, score: event.score, accepted: event.accepted,
      attributes: event.attributes, note: event.note,
      arguments: event.arguments.map((argument) => ({
        role: argument.role,
        ...(argument.span != null ? { span: argument.span } : { target_event: argument.event }),
        source: argument.source, score: argument.score,
      })),
    })),
    relations: [...state.relations.values()].map((relation) => ({
      id: relation.id, type: relation.type, head: relation.head, tail: relation.tail,
      source: relation.source, score: relation.score, attributes: relation.attributes,
      note: relation.note,
    })),
    labels: state.labels ?? {},
  };
}

/** Map key of an item id: ids from the server are numbers, new ones strings. */
export function key(id) {
  return String(id);
}

/** A new item id with prefix `prefix` and the serial it takes: [id, serial]. */
export function newId(state, prefix) {
  return [`${prefix}${state.serial + 1}`, state.serial + 1];
}

function withSpans(state, spans, serial = state.serial) {
  return { ...state, spans, serial };
}

/** The text of `item` (a span or an event) in quotes. */
export function quote(schema, item) {
  return `“${[...schema.text].slice(item.start, item.end).join("")}”`;
}

function checkOffsets(schema, start, end) {
  const length = schema.length ?? [...schema.text].length;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= length)) {
    throw new EditError(`No text between ${start} and ${end}.`);
  }
}

/** Return a span of `state` or throw. */
export function spanOf(state, id) {
  const span = state.spans.get(key(id));
  if (!span) throw new EditError("That entity no longer exists.");
  return span;
}

/** Return an event of `state` or throw. */
export function eventOf(state, id) {
  const event = state.events.get(key(id));
  if (!event) throw new EditError("That event no longer exists.");
  return event;
}

// Entities ------------------------------------------------------------------------------------

/** Add an entity span labelled `label`; returns [state, id]. */
export function spanAdd(state, schema, { start, end, label }) {
  checkOffsets(schema, start, end);
  if (!schema.entityTypes[label]) throw new EditError(`The schema has no entity type ${label}.`);
  for (const span of state.spans.values()) {
    if (span.start === start && span.end === end && span.label === label) {
      throw new EditError(`${quote(schema, span)} is already ${label}.`);
    }
  }
  const [id, serial] = newId(state, "n");
  const span = Object.freeze({
    id, start, end, label, source: "human", score: null, accepted: true, attributes: {}, note: "",
  });
  return [withSpans(state, new Map(state.spans).set(id, span), serial), id];
}

/** Give span `id` another label; arguments the new label may not fill are removed. */
export function spanRelabel(state, schema, id, label) {
  const span = spanOf(state, id);
  if (!schema.entityTypes[label]) throw new EditError(`The schema has no entity type ${label}.`);
  if (span.label === label) return spanAccept(state, id);
  for (const other of state.spans.values()) {
    if (other.start === span.start && other.end === span.end && other.label === label) {
      throw new EditError(`${quote(schema, other)} is already ${label}.`);
    }
  }
  const changed = { ...span, label, source: "human", score: null, accepted: true };
  const spans = new Map(state.spans).set(key(id), Object.freeze(changed));
  const events = withoutFillers(state.events, (argument, event) => {
    if (argument.span == null || key(argument.span) !== key(id)) return false;
    return !roleAllows(schema, event.type, argument.role, label);
  });
  const relations = withoutRelations(state.relations, (relation) => {
    const end = key(relation.head) === key(id) ? 0 : key(relation.tail) === key(id) ? 1 : null;
    return end != null && !relationEndAllows(schema, relation.type, end, label);
  });
  return { ...state, spans, events, relations };
}

/**
 * Give the other occurrences of span `id`'s text its label, as one edit: an occurrence no span
 * touches gets a new span, one that is exactly a span labelled `from` (the label the span had
 * before its last relabelling) is relabelled; any other span there is left as it is. An
 * occurrence is the same characters, not inside a longer word. Returns [state, {added,
 * relabelled}]; arguments a relabelled span may no longer fill are removed, as by spanRelabel.
 */
export function spanLabelAll(state, schema, id, { from = null } = {}) {
  const span = spanOf(state, id);
  const points = schema.points ?? [...schema.text];
  const needle = points.slice(span.start, span.end);
  let next = state;
  const counts = { added: 0, relabelled: 0 };
  for (const start of occurrences(points, needle)) {
    const end = start + needle.length;
    if (start === span.start) continue;
    const touching = [...next.spans.values()].filter((other) => other.start < end && other.end > start);
    const exact = touching.find((other) => other.start === start && other.end === end && other.label === from);
    if (!touching.length) {
      [next] = spanAdd(next, schema, { start, end, label: span.label });
      counts.added++;
    } else if (exact && from !== span.label && !touching.some((other) => other.label === span.label)) {
      next = spanRelabel(next, schema, exact.id, span.label);
      counts.relabelled++;
    }
  }
  return [next, counts];
}

/** Starts of `needle` in `points` (both code point arrays), at word boundaries. */
function occurrences(points, needle) {
  const starts = [];
  const word = /[\p{L}\p{N}]/u;
  const length = needle.length;
  for (let start = 0; start + length <= points.length; start++) {
    if (points[start] !== needle[0]) continue;
    let same = true;
    for (let at = 1; at < length && same; at++) same = points[start + at] === needle[at];
    if (!same) continue;
    const inWord = (at) => at >= 0 && at < points.length && word.test(points[at]);
    const edges = [[start - 1, start], [start + length, start + length - 1]];
    if (edges.some(([outside, inside]) => inWord(outside) && inWord(inside))) continue;
    starts.push(start);
  }
  return starts;
}

/** Move the boundaries of span `id` to [start, end). */
export function spanResize(state, schema, id, { start, end }) {
  const span = spanOf(state, id);
  checkOffsets(schema, start, end);
  for (const other of state.spans.values()) {
    if (other !== span && other.start === start && other.end === end && other.label === span.label) {
      throw new EditError(`${quote(schema, other)} is already ${span.label}.`);
    }
  }
  const changed = { ...span, start, end, source: "human", score: null, accepted: true };
  return withSpans(state, new Map(state.spans).set(key(id), Object.freeze(changed)));
}

/** Remove span `id`, the arguments it fills and its relations. */
export function spanDelete(state, id) {
  spanOf(state, id);
  const spans = new Map(state.spans);
  spans.delete(key(id));
  const events = withoutFillers(state.events, (argument) => argument.span != null && key(argument.span) === key(id));
  const relations = withoutRelations(state.relations, (relation) => key(relation.head) === key(id) || key(relation.tail) === key(id));
  return { ...state, spans, events, relations };
}

/** Confirm the prediction span `id` as it is. */
export function spanAccept(state, id) {
  const span = spanOf(state, id);
  if (span.accepted) return state;
  return withSpans(state, new Map(state.spans).set(key(id), Object.freeze({ ...span, accepted: true })));
}

/**
 * Confirm predictions: every one, or those with `label` (an entity or event type) and a score
 * of at least `minScore`. Returns [state, how many were confirmed].
 */
export function predictionsAccept(state, filter = {}) {
  const chosen = (item, itemLabel) => acceptable(item, itemLabel, filter);
  let count = 0;
  let spans = state.spans;
  for (const [id, span] of state.spans) {
    if (!chosen(span, span.label)) continue;
    if (spans === state.spans) spans = new Map(state.spans);
    spans.set(id, Object.freeze({ ...span, accepted: true }));
    count++;
  }
  let events = state.events;
  for (const [id, event] of state.events) {
    if (!chosen(event, event.type)) continue;
    if (events === state.events) events = new Map(state.events);
    events.set(id, Object.freeze({ ...event, accepted: true }));
    count++;
  }
  return [count ? { ...state, spans, events } : state, count];
}

// Events --------------------------------------------------------------------------------------

/** Make [start, end) the trigger of a new event of `type`; returns [state, id]. */
export function eventAdd(state, schema, { start, end, type }) {
  checkOffsets(schema, start, end);
  if (!schema.eventTypes[type]) throw new EditError(`The schema has no event type ${type}.`);
  for (const event of state.events.values()) {
    if (event.start === start && event.end === end && event.type === type) {
      throw new EditError(`${quote(schema, event)} is already a ${type} trigger.`);
    }
  }
  const attributes = {};
  for (const attribute of schema.eventAttributes) {
    if (attribute.default) attributes[attribute.key] = attribute.default;
  }
  const [id, serial] = newId(state, "n");
  const event = Object.freeze({
    id, type, start, end, source: "human", score: null, accepted: true, attributes, note: "",
    arguments: [],
  });
  return [{ ...state, events: new Map(state.events).set(id, event), serial }, id];
}

/** Give event `id` another type; arguments whose role the new type lacks are removed. */
export function eventRetype(state, schema, id, type) {
  const event = eventOf(state, id);
  if (!schema.eventTypes[type]) throw new EditError(`The schema has no event type ${type}.`);
  if (event.type === type) return eventAccept(state, id);
  const kept = event.arguments.filter((argument) => {
    const span = argument.span != null ? state.spans.get(key(argument.span)) : null;
    return span ? roleAllows(schema, type, argument.role, span.label) : roleOf(schema, type, argument.role);
  });
  const changed = { ...event, type, arguments: kept, source: "human", score: null, accepted: true };
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze(changed)));
}

/** Move the trigger of event `id` to [start, end). */
export function eventResize(state, schema, id, { start, end }) {
  const event = eventOf(state, id);
  checkOffsets(schema, start, end);
  const changed = { ...event, start, end, source: "human", score: null, accepted: true };
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze(changed)));
}

/** Remove event `id`, and its place as an argument of other events. */
export function eventDelete(state, id) {
  eventOf(state, id);
  const events = new Map(state.events);
  events.delete(key(id));
  const cleaned = withoutFillers(events, (argument) => argument.event != null && key(argument.event) === key(id));
  return withEvents(state, cleaned);
}

/** Confirm the predicted event `id` with its arguments. */
export function eventAccept(state, id) {
  const event = eventOf(state, id);
  if (event.accepted) return state;
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze({ ...event, accepted: true })));
}

/** Set attribute `name` of event `id` to `value` (a value the schema lists for it). */
export function eventAttributeSet(state, schema, id, name, value) {
  const event = eventOf(state, id);
  const attribute = schema.eventAttributes.find((item) => item.key === name);
  if (attribute?.values.length && !attribute.values.includes(value)) {
    throw new EditError(`${name} must be one of ${attribute.values.join(", ")}.`);
  }
  const attributes = { ...event.attributes, [name]: value };
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze({ ...event, attributes })));
}

/** Fill `role` of event `id` with span `spanId`, if the schema allows the span's type. */
export function roleFill(state, schema, id, role, spanId) {
  const event = eventOf(state, id);
  const span = spanOf(state, spanId);
  const slot = roleOf(schema, event.type, role);
  if (!slot) throw new EditError(`${event.type} has no role ${role}.`);
  if (!roleAllows(schema, event.type, role, span.label)) {
    throw new EditError(
      `Role ${role} of ${event.type} takes ${slot.entityTypes.join(", ")}, not ${span.label} (${quote(schema, span)}).`,
    );
  }
  if (event.arguments.some((argument) => argument.role === role && argument.span != null && key(argument.span) === key(spanId))) {
    throw new EditError(`${quote(schema, span)} already fills ${role}.`);
  }
  const argument = { role, span: span.id, source: "human", score: null };
  const changed = { ...event, arguments: [...event.arguments, argument] };
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze(changed)));
}

/** Remove the `index`-th argument of event `id`. */
export function roleClear(state, id, index) {
  const event = eventOf(state, id);
  const changed = { ...event, arguments: event.arguments.filter((_, at) => at !== index) };
  return withEvents(state, new Map(state.events).set(key(id), Object.freeze(changed)));
}

/** The schema's slot for `role` of event type `type`, if any. */
export function roleOf(schema, type, role) {
  return schema.eventTypes[type]?.roles.find((slot) => slot.key === role);
}

function roleAllows(schema, type, role, label) {
  const slot = roleOf(schema, type, role);
  return Boolean(slot) && (slot.entityTypes.length === 0 || slot.entityTypes.includes(label));
}

function withEvents(state, events) {
  return { ...state, events };
}

/** Events with the arguments for which `drop(argument, event)` is true removed. */
function withoutFillers(events, drop) {
  let result = events;
  for (const [id, event] of events) {
    // Most events keep every argument: look before building a copy of each one's list.
    if (!event.arguments.some((argument) => drop(argument, event))) continue;
    const kept = event.arguments.filter((argument) => !drop(argument, event));
    if (result === events) result = new Map(events);
    result.set(id, Object.freeze({ ...event, arguments: kept }));
  }
  return result;
}

/** The entity types end `end` (0 head, 1 tail) of relation type `type` takes; empty: any. */
export function relationEndTypes(schema, type, end) {
  const relationType = schema.relationTypes?.[type];
  return (end === 0 ? relationType?.headTypes : relationType?.tailTypes) ?? [];
}

/** Whether end `end` of relation type `type` takes an entity labelled `label`. */
export function relationEndAllows(schema, type, end, label) {
  const allowed = relationEndTypes(schema, type, end);
  return allowed.length === 0 || allowed.includes(label);
}

/** Relations with those for which `drop(relation)` is true removed (the same Map if none). */
function withoutRelations(relations, drop) {
  let result = relations;
  for (const [id, relation] of relations) {
    if (!drop(relation)) continue;
    if (result === relations) result = new Map(relations);
    result.delete(id);
  }
  return result;
}
