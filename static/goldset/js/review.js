// Review: in the gold editor, which of the merged candidates the gold does not settle yet,
// and the edits that accept or reject one of them.
//
// Pure (no DOM, no network). The candidates are the review API's answer
// (`GET /api/corpora/{slug}/documents/{id}/review/`): every distinct entity, event and
// argument of the annotators' layers (and the model's), with who has it. A candidate is
// settled when the gold has it and every annotator agrees, or when the reviewer has decided
// it in this session (accepted and in the gold, rejected and out of it). Offsets are code
// points, as in state.js; the quoted text is cut from the page's UTF-16 string with an
// OffsetMap.

import { OffsetMap } from "./offsets.js";
import * as edit from "./state.js";

/**
 * @typedef {{id: string, kind: "entity"|"event"|"argument", start: number, end: number,
 *            label: string, text: string, voters: string[], status: string, inGold: boolean,
 *            conflicts: string[], attributes: object, event?: object, role?: string,
 *            filler?: object}} Row
 */

/** What a row's status says, in words (never colour alone). */
export const STATUS_TEXT = {
  agreed: "agreed",
  disputed: "disputed",
  clash: "label clash",
  model: "model only",
};

/** The candidates of a review answer, by id, with offsets and labels under one name. */
export function candidatesOf(review) {
  const byId = new Map();
  for (const entity of review.entities ?? []) {
    byId.set(entity.id, { ...entity, kind: "entity" });
  }
  for (const event of review.events ?? []) {
    byId.set(event.id, { ...event, kind: "event", start: event.trigger_start, end: event.trigger_end, label: event.type });
  }
  for (const argument of review.arguments ?? []) {
    byId.set(argument.id, { ...argument, kind: "argument" });
  }
  return byId;
}

/** Where the gold (`state`) holds items: map keys by "start:end:label". */
function indexOf(state) {
  const spans = new Map();
  for (const [key, span] of state.spans) spans.set(offsetsKey(span.start, span.end, span.label), key);
  const events = new Map();
  for (const [key, event] of state.events) events.set(offsetsKey(event.start, event.end, event.type), key);
  return { spans, events };
}

function offsetsKey(start, end, label) {
  return `${start}:${end}:${label}`;
}

/** The map key of the gold item a candidate entity or event matches, or undefined. */
function goldKeyOf(index, candidate) {
  if (!candidate) return undefined;
  const items = candidate.kind === "entity" ? index.spans : index.events;
  return items.get(offsetsKey(candidate.start, candidate.end, candidate.label));
}

/** The index, in its event's arguments, of the gold argument a candidate matches, or -1. */
function goldArgumentIndex(state, index, byId, candidate) {
  const eventKey = goldKeyOf(index, byId.get(candidate.event));
  if (eventKey === undefined) return -1;
  const filler = byId.get(candidate.span ?? candidate.target_event);
  const fillerKey = goldKeyOf(index, filler);
  if (fillerKey === undefined) return -1;
  const isSpan = candidate.span != null;
  return state.events.get(eventKey).arguments.findIndex((argument) =>
    argument.role === candidate.role &&
    (isSpan ? argument.span != null && edit.key(argument.span) === fillerKey
      : argument.event != null && edit.key(argument.event) === fillerKey));
}

function statusOf(candidate) {
  if (candidate.conflicts?.length) return "clash";
  if (candidate.agreed) return "agreed";
  if (candidate.disputed) return "disputed";
  return "model";
}

/**
 * The candidates the gold does not settle, in text order: those the gold lacks, and those it
 * has that not every annotator has. `decided` maps candidate ids to "accepted" or "rejected"
 * (this session's decisions); a decision the gold still follows hides its candidate, one an
 * undo has reversed does not.
 * @param {object} review the review API's answer
 * @param {{spans: Map, events: Map}} state the gold layer as the editor holds it
 * @param {{text: string, decided?: Map<string, string>, offsets?: OffsetMap}} options
 * @returns {Row[]}
 */
export function unsettledRows(review, state, { text, decided = new Map(), offsets = new OffsetMap(text), byId = candidatesOf(review) }) {
  const index = indexOf(state);
  const rows = [];
  for (const candidate of byId.values()) {
    const row = rowOf(candidate, state, index, byId, offsets);
    if (!row) continue;
    const decision = decided.get(row.id);
    if (decision === "accepted" && row.inGold) continue;
    if (decision === "rejected" && !row.inGold) continue;
    if (row.inGold && candidate.agreed) continue;
    rows.push(row);
  }
  const order = { entity: 0, event: 1, argument: 2 };
  return rows.sort((a, b) => a.start - b.start || b.end - a.end || order[a.kind] - order[b.kind] || a.id.localeCompare(b.id));
}

function rowOf(candidate, state, index, byId, offsets) {
  const base = {
    id: candidate.id, kind: candidate.kind, voters: [...candidate.voters], status: statusOf(candidate),
    conflicts: [...(candidate.conflicts ?? [])], attributes: candidate.attributes ?? {},
  };
  if (candidate.kind !== "argument") {
    return {
      ...base, start: candidate.start, end: candidate.end, label: candidate.label,
      text: offsets.slice(candidate.start, candidate.end), inGold: goldKeyOf(index, candidate) !== undefined,
      goldKey: goldKeyOf(index, candidate),
    };
  }
  const event = byId.get(candidate.event);
  const filler = byId.get(candidate.span ?? candidate.target_event);
  if (!event || !filler) return null;
  const at = goldArgumentIndex(state, index, byId, candidate);
  return {
    ...base, start: event.start, end: event.end, label: candidate.role, role: candidate.role,
    text: offsets.slice(event.start, event.end), inGold: at >= 0, argumentIndex: at,
    event: { id: event.id, type: event.label, start: event.start, end: event.end, text: offsets.slice(event.start, event.end) },
    filler: { id: filler.id, kind: filler.kind, label: filler.label, start: filler.start, end: filler.end, text: offsets.slice(filler.start, filler.end) },
  };
}

/** One line for a row, e.g. `Life.Die “killed” · Victim: “Ali” (PER)`. */
export function describeRow(row) {
  if (row.kind === "argument") {
    return `${row.event.type} “${row.event.text}” · ${row.role}: “${row.filler.text}” (${row.filler.label})`;
  }
  return `${row.label} “${row.text}”${row.kind === "event" ? " (event)" : ""}`;
}

/** What a row's mark says: its status, the clashing labels, and whether the gold has it. */
export function statusText(row) {
  const status = STATUS_TEXT[row.status];
  const clash = row.conflicts.length ? ` (also ${row.conflicts.join(", ")})` : "";
  return `${status}${clash}`;
}

/**
 * The gold with the row's item added (an argument with its event and filler, when the gold
 * lacks them); a pending gold item is confirmed instead. Throws an EditError the schema
 * refuses. Entities are added by `edit.spanAdd`, as labelling a selection does.
 */
export function acceptEdit(state, schema, row) {
  if (row.kind === "entity") {
    if (row.inGold) return edit.spanAccept(state, row.goldKey);
    return edit.spanAdd(state, schema, { start: row.start, end: row.end, label: row.label })[0];
  }
  if (row.kind === "event") {
    if (row.inGold) return edit.eventAccept(state, row.goldKey);
    return eventWith(state, schema, row)[0];
  }
  if (row.inGold) return state;
  const [withEvent, eventKey] = eventWith(state, schema, { ...row.event, label: row.event.type, attributes: {} });
  let next = withEvent;
  const index = indexOf(next);
  let fillerKey = goldKeyOf(index, row.filler);
  if (fillerKey === undefined) {
    const { start, end, label } = row.filler;
    [next, fillerKey] = row.filler.kind === "entity"
      ? edit.spanAdd(next, schema, { start, end, label })
      : edit.eventAdd(next, schema, { start, end, type: label });
  }
  if (row.filler.kind === "entity") return edit.roleFill(next, schema, eventKey, row.role, fillerKey);
  const event = edit.eventOf(next, eventKey);
  if (!edit.roleOf(schema, event.type, row.role)) throw new edit.EditError(`${event.type} has no role ${row.role}.`);
  const argument = { role: row.role, event: edit.eventOf(next, fillerKey).id, source: "human", score: null };
  const changed = Object.freeze({ ...event, arguments: [...event.arguments, argument] });
  return { ...next, events: new Map(next.events).set(eventKey, changed) };
}

/** [state, key] with the event `{start, end, label}` in the gold, added (with `attributes`) if it lacks it. */
function eventWith(state, schema, { start, end, label, attributes = {} }) {
  const existing = indexOf(state).events.get(offsetsKey(start, end, label));
  if (existing !== undefined) return [state, existing];
  let [next, eventKey] = edit.eventAdd(state, schema, { start, end, type: label });
  for (const [name, value] of Object.entries(attributes)) {
    if (!schema.eventAttributes.some((attribute) => attribute.key === name)) continue;
    try {
      next = edit.eventAttributeSet(next, schema, eventKey, name, value);
    } catch (error) {
      if (!(error instanceof edit.EditError)) throw error;
    }
  }
  return [next, eventKey];
}

/** The gold without the row's item (its arguments go with an entity or event); unchanged if it lacks it. */
export function rejectEdit(state, row) {
  if (!row.inGold) return state;
  if (row.kind === "entity") return edit.spanDelete(state, row.goldKey);
  if (row.kind === "event") return edit.eventDelete(state, row.goldKey);
  const eventKey = indexOf(state).events.get(offsetsKey(row.event.start, row.event.end, row.event.type));
  return edit.roleClear(state, eventKey, row.argumentIndex);
}

/**
 * What the article draws besides the gold, in the same pass: `items` (the gold's, from
 * items.js) with each unsettled gold entity or trigger marked `disputed` (a title saying who
 * has it), and one "candidate" item per unsettled entity or event the gold lacks.
 */
export function drawnItems(items, rows) {
  const disputed = new Map();
  const candidates = [];
  for (const row of rows) {
    if (row.kind === "argument") continue;
    const who = `${statusText(row)}: ${row.voters.join(", ") || "nobody"}`;
    if (row.inGold) {
      disputed.set((row.kind === "entity" ? "s:" : "e:") + row.goldKey, who);
    } else {
      candidates.push({
        kind: "candidate", candidateOf: row.kind === "entity" ? "entity" : "trigger", reviewId: row.id,
        start: row.start, end: row.end, label: row.label,
        title: `Not in the gold: ${row.kind === "entity" ? "" : "event "}${row.label}, ${who}`,
      });
    }
  }
  const drawn = items.map((item) => (disputed.has(item.id) ? { ...item, disputed: disputed.get(item.id) } : item));
  return drawn.concat(candidates);
}
