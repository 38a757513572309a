// Items: what the view draws for a layer state (entity spans and event triggers, each with
// a DOM id "s:KEY" or "e:KEY"), which of them changed between two states, and the arcs drawn
// over them (relations "r:KEY"; event arguments when asked).
//
// Pure. Server ids of spans, events and relations can be equal, hence the prefixes.

export const ENTITY = "s:";
export const TRIGGER = "e:";
export const RELATION = "r:";

// The render item drawn for each span or event object of a state. States are immutable, so
// an unchanged span keeps its item from one edit to the next: an edit in a long article
// builds the items it changed, not thousands.
const drawnItems = new WeakMap();

/** Render items (entities and triggers) of `state`. */
export function itemsOf(state) {
  const items = [];
  for (const [key, span] of state.spans) items.push(itemFor(ENTITY + key, span, entityItem));
  for (const [key, event] of state.events) items.push(itemFor(TRIGGER + key, event, triggerItem));
  return items;
}

function itemFor(id, source, make) {
  const known = drawnItems.get(source);
  if (known?.id === id) return known;
  const item = make(id, source);
  drawnItems.set(source, item);
  return item;
}

function entityItem(id, span) {
  return {
    id, kind: "entity", start: span.start, end: span.end, label: span.label,
    score: span.score, accepted: span.accepted, modelLabel: span.attributes.model_label,
    ...taught(span),
  };
}

function triggerItem(id, event) {
  return {
    id, kind: "trigger", start: event.start, end: event.end, label: event.type,
    score: event.score, accepted: event.accepted, ...taught(event),
  };
}

/** `{fromGold: n}` for a prediction whose type the corpus's gold taught (n documents). */
function taught(item) {
  const documents = item.attributes?.from_gold;
  return documents ? { fromGold: documents } : {};
}

/**
 * The render items of `next` and the ranges that changed since `previous`, whose render items
 * are `items` (not changed): `{items, ranges}`, as `itemsOf(next)` and `changedRanges(previous,
 * next)` give them. An edit that replaced items in place (a relabel, an accept, a resize: the
 * same keys in the same order) patches a copy of `items`, so a key press in a long article
 * builds no thousands of items; any other edit builds them anew.
 */
export function itemsAfter(items, previous, next) {
  const patched = items.slice();
  const ranges = [];
  let at = 0; // where the items of the kind walked begin in `items`
  for (const [kind, prefix, make] of [["spans", ENTITY, entityItem], ["events", TRIGGER, triggerItem]]) {
    const before = previous[kind];
    const after = next[kind];
    if (before !== after) {
      if (before.size !== after.size) return { items: itemsOf(next), ranges: changedRanges(previous, next) };
      const entries = after.entries();
      let index = at;
      for (const [key, item] of before) {
        const [nextKey, nextItem] = entries.next().value;
        if (nextKey !== key) return { items: itemsOf(next), ranges: changedRanges(previous, next) };
        if (nextItem !== item) {
          ranges.push([item.start, item.end], [nextItem.start, nextItem.end]);
          patched[index] = itemFor(prefix + key, nextItem, make);
        }
        index++;
      }
    }
    at += after.size;
  }
  return { items: patched, ranges };
}

/** Ranges of the items that differ between two states (compared by identity). */
export function changedRanges(previous, next) {
  const ranges = [];
  for (const kind of ["spans", "events"]) {
    if (previous[kind] === next[kind]) continue;
    for (const [key, item] of previous[kind]) if (next[kind].get(key) !== item) ranges.push([item.start, item.end]);
    for (const [key, item] of next[kind]) if (previous[kind].get(key) !== item) ranges.push([item.start, item.end]);
  }
  return ranges;
}


/**
 * The arcs to draw over the article (see arcs.js): each relation from its head's mark to its
 * tail's, labelled with its type; with `withArguments`, each event argument from the trigger
 * to its filler, labelled with its role. `start`/`end` are the text both ends cover.
 */
export function arcsOf(state, { withArguments = false, selected = null } = {}) {
  const arcs = [];
  for (const [key, relation] of state.relations) {
    const head = state.spans.get(String(relation.head));
    const tail = state.spans.get(String(relation.tail));
    if (!head || !tail) continue;
    arcs.push({
      id: RELATION + key, kind: "relation", label: relation.type, selected: key === selected,
      from: ENTITY + String(relation.head), to: ENTITY + String(relation.tail),
      start: Math.min(head.start, tail.start), end: Math.max(head.end, tail.end),
    });
  }
  if (!withArguments) return arcs;
  for (const [key, event] of state.events) {
    event.arguments.forEach((argument, index) => {
      const filler = argument.span != null ? state.spans.get(String(argument.span)) : state.events.get(String(argument.event));
      if (!filler) return;
      arcs.push({
        id: `a:${key}:${index}`, kind: "argument", label: argument.role, selected: false,
        from: TRIGGER + key,
        to: argument.span != null ? ENTITY + String(argument.span) : TRIGGER + String(argument.event),
        start: Math.min(event.start, filler.start), end: Math.max(event.end, filler.end),
      });
    });
  }
  return arcs;
}
