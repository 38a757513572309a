import assert from "node:assert/strict";
import { test } from "node:test";

import { changedRanges, itemsAfter, itemsOf } from "../../static/goldset/js/items.js";

const span = (id, start, end, label) => Object.freeze({ id, start, end, label, score: 0.9, accepted: false, attributes: { model_label: label } });
const event = (id, start, end, type) => Object.freeze({ id, start, end, type, score: null, accepted: true, arguments: [] });

function state(spans, events = []) {
  return {
    spans: new Map(spans.map((item) => [String(item.id), item])),
    events: new Map(events.map((item) => [String(item.id), item])),
    relations: new Map(),
  };
}

test("items of a state are its entities then its triggers, with DOM ids", () => {
  const items = itemsOf(state([span(1, 0, 4, "PER")], [event(2, 5, 11, "Life.Die")]));
  assert.deepEqual(items, [
    { id: "s:1", kind: "entity", start: 0, end: 4, label: "PER", score: 0.9, accepted: false, modelLabel: "PER" },
    { id: "e:2", kind: "trigger", start: 5, end: 11, label: "Life.Die", score: null, accepted: true },
  ]);
});

test("an edit rebuilds the item it changed and keeps the others' items", () => {
  const ali = span(1, 0, 3, "PER");
  const homs = span(2, 10, 14, "ORG");
  const before = state([ali, homs]);
  const after = state([ali, Object.freeze({ ...homs, label: "GPE" })]);
  const [aliBefore, homsBefore] = itemsOf(before);
  const [aliAfter, homsAfter] = itemsOf(after);
  assert.equal(aliAfter, aliBefore);
  assert.notEqual(homsAfter, homsBefore);
  assert.equal(homsAfter.label, "GPE");
  assert.equal(homsBefore.label, "ORG");
  assert.deepEqual(changedRanges(before, after), [[10, 14], [10, 14]]);
});

test("an unchanged kind of item adds no changed range", () => {
  const spans = state([span(1, 0, 3, "PER")]).spans;
  const before = { spans, events: new Map([["2", event(2, 5, 9, "Life.Die")]]) };
  const after = { spans, events: new Map() };
  assert.deepEqual(changedRanges(before, after), [[5, 9]]);
});

test("items after an edit in place patch the previous items; other edits build them anew", () => {
  const ali = span(1, 0, 3, "PER");
  const homs = span(2, 10, 14, "ORG");
  const die = event(3, 5, 9, "Life.Die");
  const before = state([ali, homs], [die]);
  const relabelled = state([ali, Object.freeze({ ...homs, label: "GPE" })], [die]);
  const items = itemsOf(before);
  const patched = itemsAfter(items, before, relabelled);
  assert.deepEqual(patched.items, itemsOf(relabelled));
  assert.equal(patched.items[0], items[0]);
  assert.deepEqual(patched.ranges, [[10, 14], [10, 14]]);
  assert.equal(items[1].label, "ORG");
  const added = state([ali, homs, span(4, 20, 24, "LOC")], [die]);
  assert.deepEqual(itemsAfter(items, before, added), { items: itemsOf(added), ranges: [[20, 24]] });
  const reordered = state([homs, ali], [die]);
  assert.deepEqual(itemsAfter(items, before, reordered).items, itemsOf(reordered));
});
