// Items: what the view draws for a layer state (entity spans and event triggers, each with
// a DOM id "s:KEY" or "e:KEY"), and which of them changed between two states.
//
// Pure. Server ids of spans and events can be equal, hence the prefixes.

export const ENTITY = "s:";
export const TRIGGER = "e:";

/** Render items (entities and triggers) of `state`. */
export function itemsOf(state) {
  const items = [];
  for (const [key, span] of state.spans) {
    items.push({
      id: ENTITY + key, kind: "entity", start: span.start, end: span.end, label: span.label,
      score: span.score, accepted: span.accepted, modelLabel: span.attributes.model_label,
    });
  }
  for (const [key, event] of state.events) {
    items.push({
      id: TRIGGER + key, kind: "trigger", start: event.start, end: event.end, label: event.type,
      score: event.score, accepted: event.accepted,
    });
  }
  return items;
}

/** Ranges of the items that differ between two states (compared by identity). */
export function changedRanges(previous, next) {
  const ranges = [];
  for (const kind of ["spans", "events"]) {
    for (const [key, item] of previous[kind]) if (next[kind].get(key) !== item) ranges.push([item.start, item.end]);
    for (const [key, item] of next[kind]) if (previous[kind].get(key) !== item) ranges.push([item.start, item.end]);
  }
  return ranges;
}

