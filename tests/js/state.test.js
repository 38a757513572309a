import assert from "node:assert/strict";
import { test } from "node:test";

import * as edit from "../../static/goldset/js/state.js";
import { historyPush, historyRedo, historyStart, historyUndo } from "../../static/goldset/js/history.js";

const text = "Troops killed Ali in Homs and Baba Amr.";
const schema = {
  text,
  entityTypes: { PER: {}, GPE: {} },
  eventTypes: {
    "Life.Die": { roles: [{ key: "Victim", entityTypes: ["PER"] }, { key: "Place", entityTypes: ["GPE"] }] },
    "Conflict.Attack": { roles: [{ key: "Place", entityTypes: ["GPE"] }] },
  },
  eventAttributes: [{ key: "Polarity", values: ["Positive", "Negative"], default: "Positive" }],
};

/** A layer as the API returns it: Ali and Baba Amr predicted PER, Homs GPE. */
function layer() {
  return {
    spans: [
      { id: 1, start: 14, end: 17, label: "PER", source: "model", score: 0.9, accepted: false, attributes: {}, note: "" },
      { id: 2, start: 21, end: 25, label: "GPE", source: "model", score: 0.6, accepted: false, attributes: {}, note: "" },
      { id: 3, start: 30, end: 38, label: "PER", source: "model", score: 0.99, accepted: false, attributes: {}, note: "" },
    ],
    events: [],
  };
}

test("a layer survives the trip into state and back to the API's format", () => {
  const payload = edit.layerPayload(edit.stateFromLayer(layer()), 4);
  assert.equal(payload.version, 4);
  assert.deepEqual(payload.spans, layer().spans);
});

test("relabelling a prediction makes it the annotator's, without the model's score", () => {
  const state = edit.spanRelabel(edit.stateFromLayer(layer()), schema, 3, "GPE");
  assert.deepEqual(
    { label: state.spans.get("3").label, source: state.spans.get("3").source, score: state.spans.get("3").score },
    { label: "GPE", source: "human", score: null },
  );
});

test("an edit leaves untouched items identical, so a renderer can compare them", () => {
  const before = edit.stateFromLayer(layer());
  const after = edit.spanRelabel(before, schema, 3, "GPE");
  assert.equal(after.spans.get("1"), before.spans.get("1"));
  assert.notEqual(after.spans.get("3"), before.spans.get("3"));
});

test("adding a span gives it a new id and refuses a duplicate", () => {
  const [state, id] = edit.spanAdd(edit.stateFromLayer(layer()), schema, { start: 0, end: 6, label: "PER" });
  assert.equal(state.spans.get(id).source, "human");
  assert.equal(state.spans.get(id).accepted, true);
  assert.throws(() => edit.spanAdd(state, schema, { start: 0, end: 6, label: "PER" }), /already PER/);
});

test("relabelling a span to the label another span there has is refused, not duplicated", () => {
  // Homs is GPE; a second reading of it as PER, then relabelled GPE too.
  const [state, id] = edit.spanAdd(edit.stateFromLayer(layer()), schema, { start: 21, end: 25, label: "PER" });
  assert.throws(() => edit.spanRelabel(state, schema, id, "GPE"), /“Homs” is already GPE/);
  assert.equal(state.spans.get(id).label, "PER");
});

test("offsets outside the text are refused", () => {
  const state = edit.stateFromLayer(layer());
  assert.throws(() => edit.spanAdd(state, schema, { start: 30, end: 99, label: "PER" }), edit.EditError);
  assert.throws(() => edit.spanAdd(state, schema, { start: 5, end: 5, label: "PER" }), edit.EditError);
});

test("a role refuses a filler of a type the schema does not allow, saying why", () => {
  const [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  assert.throws(
    () => edit.roleFill(state, schema, event, "Victim", 2),
    { message: "Role Victim of Life.Die takes PER, not GPE (“Homs”)." },
  );
  const filled = edit.roleFill(state, schema, event, "Victim", 1);
  assert.deepEqual(filled.events.get(event).arguments.map((argument) => [argument.role, argument.span]), [["Victim", 1]]);
});

test("a new event starts with the schema's default attributes", () => {
  const [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  assert.deepEqual(state.events.get(event).attributes, { Polarity: "Positive" });
  assert.throws(() => edit.eventAttributeSet(state, schema, event, "Polarity", "Maybe"), /Positive, Negative/);
  assert.equal(edit.eventAttributeSet(state, schema, event, "Polarity", "Negative").events.get(event).attributes.Polarity, "Negative");
});

test("deleting a span removes the arguments it filled", () => {
  let [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  state = edit.roleFill(state, schema, event, "Place", 2);
  state = edit.spanDelete(state, 2);
  assert.equal(state.spans.has("2"), false);
  assert.deepEqual(state.events.get(event).arguments, []);
});

test("relabelling a filler to a type its role refuses removes that argument", () => {
  let [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  state = edit.roleFill(state, schema, event, "Victim", 1);
  state = edit.spanRelabel(state, schema, 1, "GPE");
  assert.deepEqual(state.events.get(event).arguments, []);
});

test("retyping an event keeps only the arguments the new type has a role for", () => {
  let [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  state = edit.roleFill(state, schema, event, "Victim", 1);
  state = edit.roleFill(state, schema, event, "Place", 2);
  state = edit.eventRetype(state, schema, event, "Conflict.Attack");
  assert.deepEqual(state.events.get(event).arguments.map((argument) => argument.role), ["Place"]);
});

test("deleting an event removes it from the events that nest it", () => {
  let [state, inner] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  let outer;
  [state, outer] = edit.eventAdd(state, schema, { start: 0, end: 6, type: "Conflict.Attack" });
  const nested = { ...state.events.get(outer), arguments: [{ role: "Place", event: inner, source: "human", score: null }] };
  state = { ...state, events: new Map(state.events).set(outer, nested) };
  state = edit.eventDelete(state, inner);
  assert.deepEqual(state.events.get(outer).arguments, []);
});

test("accepting predictions above a score for one label leaves the others pending", () => {
  const [state, count] = edit.predictionsAccept(edit.stateFromLayer(layer()), { label: "PER", minScore: 0.95 });
  assert.equal(count, 1);
  assert.deepEqual([...state.spans.values()].map((span) => span.accepted), [false, false, true]);
  const [all, total] = edit.predictionsAccept(state);
  assert.equal(total, 2);
  assert.ok([...all.spans.values()].every((span) => span.accepted));
});

test("undo and redo step through edits, and a new edit clears what was undone", () => {
  const start = edit.stateFromLayer(layer());
  let history = historyStart(start);
  const relabelled = edit.spanRelabel(start, schema, 3, "GPE");
  history = historyPush(history, relabelled, "relabel");
  const deleted = edit.spanDelete(relabelled, 1);
  history = historyPush(history, deleted, "delete");
  history = historyUndo(history);
  assert.equal(history.present, relabelled);
  history = historyUndo(history);
  assert.equal(history.present, start);
  assert.equal(historyUndo(history), history);
  history = historyRedo(history);
  assert.equal(history.present, relabelled);
  history = historyPush(history, edit.spanDelete(relabelled, 2), "delete");
  assert.deepEqual(history.future, []);
  assert.equal(historyPush(history, history.present), history);
});

test("undo brings back an event with its arguments after it is deleted", () => {
  let [state, event] = edit.eventAdd(edit.stateFromLayer(layer()), schema, { start: 7, end: 13, type: "Life.Die" });
  state = edit.roleFill(state, schema, event, "Victim", 1);
  let history = historyPush(historyStart(state), edit.eventDelete(state, event));
  history = historyUndo(history);
  assert.equal(history.present.events.get(event).arguments[0].role, "Victim");
});

test("offsets count code points, so an astral character before a span does not shift it", () => {
  const astral = "😀 Ali";
  const withEmoji = { ...schema, text: astral };
  const [state, id] = edit.spanAdd(edit.stateFromLayer({ spans: [], events: [] }), withEmoji, { start: 2, end: 5, label: "PER" });
  assert.equal(state.spans.get(id).end, 5);
  assert.throws(() => edit.spanAdd(state, withEmoji, { start: 2, end: 6, label: "GPE" }), edit.EditError);
});
