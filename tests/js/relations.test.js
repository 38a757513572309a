import assert from "node:assert/strict";
import { test } from "node:test";

import * as edit from "../../static/goldset/js/state.js";
import * as rel from "../../static/goldset/js/relation-state.js";
import { historyPush, historyStart, historyUndo } from "../../static/goldset/js/history.js";
import { commandFor, hotkeysOf, SHORTCUTS } from "../../static/goldset/js/keyboard.js";
import { arcsOf } from "../../static/goldset/js/items.js";
import { arcLevels, arcPath } from "../../static/goldset/js/arcs.js";
import { chooserCommand, relationHotkeys } from "../../static/goldset/js/relation-chooser.js";

const text = "Ali lives in Homs with Omar.";
const schema = {
  text,
  entityTypes: { PER: {}, GPE: {} },
  eventTypes: {},
  eventAttributes: [],
  relationTypes: {
    Located: { name: "Located in", headTypes: ["PER"], tailTypes: ["GPE"] },
    Family: { name: "Family", headTypes: ["PER"], tailTypes: ["PER"] },
    Near: { name: "Near", headTypes: [], tailTypes: [] },
  },
};

/** Ali (PER, id 1), Homs (GPE, id 2), Omar (PER, id 3); Ali Located Homs (relation 7). */
function layer() {
  const span = (id, start, end, label) => ({ id, start, end, label, source: "human", score: null, accepted: true, attributes: {}, note: "" });
  return {
    spans: [span(1, 0, 3, "PER"), span(2, 13, 17, "GPE"), span(3, 23, 27, "PER")],
    events: [],
    relations: [{ id: 7, type: "Located", head: 1, tail: 2, source: "human", score: null, attributes: {}, note: "" }],
  };
}

test("relations survive the trip into state and back to the API's format", () => {
  const payload = edit.layerPayload(edit.stateFromLayer(layer()), 3);
  assert.deepEqual(payload.relations, layer().relations);
});

test("a layer from a server without relations gives a state with none", () => {
  const { relations, ...old } = layer();
  assert.equal(edit.stateFromLayer(old).relations.size, 0);
});

test("a relation joins two spans with a type that takes them", () => {
  const [state, id] = rel.relationAdd(edit.stateFromLayer(layer()), schema, { type: "Family", head: 3, tail: 1 });
  const relation = state.relations.get(id);
  assert.deepEqual([relation.type, relation.head, relation.tail, relation.source], ["Family", 3, 1, "human"]);
  assert.ok(Object.isFrozen(relation));
  assert.equal(edit.layerPayload(state, 1).relations.length, 2);
});

test("a relation whose end has a type it does not take is refused with the server's words", () => {
  const state = edit.stateFromLayer(layer());
  assert.throws(
    () => rel.relationAdd(state, schema, { type: "Located", head: 2, tail: 1 }),
    { message: 'Relation Located takes PER as its head, not GPE ("Homs").' },
  );
  assert.throws(
    () => rel.relationAdd(state, schema, { type: "Located", head: 1, tail: 3 }),
    { message: 'Relation Located takes GPE as its tail, not PER ("Omar").' },
  );
});

test("the message lists alternatives as the server does", () => {
  assert.equal(rel.either(["PER"]), "PER");
  assert.equal(rel.either(["PER", "ORG"]), "PER or ORG");
  assert.equal(rel.either(["PER", "ORG", "GPE"]), "PER, ORG or GPE");
});

test("a span cannot be related to itself, nor twice the same way", () => {
  const state = edit.stateFromLayer(layer());
  assert.throws(() => rel.relationAdd(state, schema, { type: "Near", head: 1, tail: 1 }), /two different spans/);
  assert.throws(() => rel.relationAdd(state, schema, { type: "Located", head: 1, tail: 2 }), /already Located/);
});

test("reversing swaps head and tail only where the type takes them the other way", () => {
  const [state, id] = rel.relationAdd(edit.stateFromLayer(layer()), schema, { type: "Family", head: 1, tail: 3 });
  const reversed = rel.relationReverse(state, schema, id).relations.get(id);
  assert.deepEqual([reversed.head, reversed.tail], [3, 1]);
  assert.throws(() => rel.relationReverse(state, schema, "7"), /takes PER as its head, not GPE/);
});

test("retyping checks the new type's ends and keeps the spans", () => {
  const state = edit.stateFromLayer(layer());
  const near = rel.relationRetype(state, schema, "7", "Near").relations.get("7");
  assert.deepEqual([near.type, near.head, near.tail], ["Near", 1, 2]);
  assert.throws(() => rel.relationRetype(state, schema, "7", "Family"), /takes PER as its tail, not GPE/);
});

test("deleting a relation, or one of its spans, removes it; undo brings it back", () => {
  const start = edit.stateFromLayer(layer());
  assert.equal(rel.relationDelete(start, "7").relations.size, 0);
  let history = historyStart(start);
  history = historyPush(history, edit.spanDelete(start, 2), "delete");
  assert.equal(history.present.relations.size, 0);
  assert.equal(historyUndo(history).present.relations.get("7").tail, 2);
});

test("relabelling a span drops the relations its new label may not stand in, and no others", () => {
  const state = edit.stateFromLayer(layer());
  assert.equal(edit.spanRelabel(state, schema, 2, "PER").relations.size, 0);
  const [withNear] = rel.relationAdd(state, schema, { type: "Near", head: 2, tail: 3 });
  assert.deepEqual([...edit.spanRelabel(withNear, schema, 2, "PER").relations.values()].map((r) => r.type), ["Near"]);
});

test("edits of spans and events keep the relations", () => {
  const state = edit.stateFromLayer(layer());
  const [added] = edit.spanAdd(state, schema, { start: 4, end: 9, label: "GPE" });
  assert.equal(added.relations, state.relations);
  assert.equal(edit.spanResize(state, schema, 1, { start: 0, end: 2 }).relations, state.relations);
  assert.equal(edit.predictionsAccept(state)[0].relations, state.relations);
});

test("- draws a relation and ~ reverses one, whatever the schema's letter hotkeys", () => {
  const context = hotkeysOf({ entityTypes: { PER: { hotkey: "p" } }, eventTypes: {} });
  assert.deepEqual(commandFor({ key: "-" }, context), { name: "link" });
  assert.deepEqual(commandFor({ key: "~", shiftKey: true }, context), { name: "reverse" });
  assert.deepEqual(commandFor({ key: "Delete" }, context), { name: "delete" });
  assert.equal(commandFor({ key: "-", ctrlKey: true }, context), null); // the browser's zoom out
});

test("the shortcut list has the relation keys", () => {
  const [, rows] = SHORTCUTS.find(([title]) => title === "Relations");
  const keys = rows.map(([keysText]) => keysText);
  assert.ok(keys.includes("-") && keys.includes("~"));
});

test("relations become arcs between their spans' marks; arguments only when asked", () => {
  const state = edit.stateFromLayer({
    ...layer(),
    events: [{ id: 5, type: "Move", trigger_start: 4, trigger_end: 9, source: "human", score: null, accepted: true, attributes: {}, note: "", arguments: [{ role: "Origin", span: 2, source: "human", score: null }] }],
  });
  assert.deepEqual(arcsOf(state, { selected: "7" }), [
    { id: "r:7", kind: "relation", label: "Located", selected: true, from: "s:1", to: "s:2", start: 0, end: 17 },
  ]);
  const withArguments = arcsOf(state, { withArguments: true });
  assert.deepEqual(withArguments.map((arc) => [arc.kind, arc.from, arc.to, arc.label]), [
    ["relation", "s:1", "s:2", "Located"],
    ["argument", "e:5", "s:2", "Origin"],
  ]);
});

test("crossing and nested arcs get different heights, shorter ones lower", () => {
  const levels = arcLevels([
    { start: 0, end: 30 }, // over both others
    { start: 0, end: 10 },
    { start: 5, end: 20 }, // crosses the second
    { start: 40, end: 50 }, // apart
  ]);
  assert.equal(levels[1], 0);
  assert.equal(levels[2], 1);
  assert.equal(levels[0], 2);
  assert.equal(levels[3], 0);
});

test("an arc's label sits on its top, between its ends", () => {
  const { d, labelX, labelY } = arcPath(10, 100, 50, 100, 80);
  assert.equal(d, "M10,100 C10,80 50,80 50,100");
  assert.deepEqual([labelX, labelY], [30, 85]);
});

test("a relation type's hotkey applies it while the chooser's search is empty; typed text searches", () => {
  const hotkeys = relationHotkeys({
    Located: { name: "Located in", hotkey: "L" }, Family: { name: "Family", hotkey: "f" }, Near: { name: "Near", hotkey: "" },
  });
  assert.deepEqual(hotkeys, { l: "Located", f: "Family" });
  assert.deepEqual(chooserCommand({ key: "l" }, "", hotkeys), { name: "apply", type: "Located" });
  assert.deepEqual(chooserCommand({ key: "F", shiftKey: true }, "", hotkeys), null); // Shift: types a capital
  assert.equal(chooserCommand({ key: "l" }, "near", hotkeys), null); // searching: the key types
  assert.equal(chooserCommand({ key: "n" }, "", hotkeys), null); // no type has it: a search starts
  assert.equal(chooserCommand({ key: "l", ctrlKey: true }, "", hotkeys), null);
  assert.deepEqual(chooserCommand({ key: "ArrowUp" }, "", hotkeys), { name: "step", step: -1 });
  assert.deepEqual(chooserCommand({ key: "Enter" }, "fam", hotkeys), { name: "apply-active" });
  assert.deepEqual(chooserCommand({ key: "Escape" }, "", hotkeys), { name: "cancel" });
});
