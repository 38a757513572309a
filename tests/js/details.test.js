import assert from "node:assert/strict";
import { test } from "node:test";

import { attributeSet, attributesOf, documentLabelSet, noteSet } from "../../static/goldset/js/details.js";
import { historyPush, historyStart, historyUndo } from "../../static/goldset/js/history.js";
import { layerPayload, stateFromLayer } from "../../static/goldset/js/state.js";

const schema = {
  text: "Shelling of Baba Amr continued.",
  entityTypes: { GPE: {} },
  eventTypes: {},
  eventAttributes: [],
  attributes: {
    entity: [{ key: "Mention", name: "Mention", values: ["NAM", "NOM"] }, { key: "Generic", name: "Generic", values: [] }],
    event: [],
    relation: [],
    document: [
      { key: "Topic", name: "Topic", values: ["aid", "shelling", "politics"], multiple: true },
      { key: "Tone", name: "Tone", values: ["calm", "alarm"], multiple: false },
      { key: "Relevant", name: "Relevant", values: [], multiple: false },
    ],
  },
};

function layer(labels = {}) {
  return {
    version: 1,
    spans: [{ id: 4, start: 12, end: 20, label: "GPE", source: "human", score: null, accepted: true, attributes: {}, note: "" }],
    events: [],
    relations: [],
    labels,
  };
}

test("a note is set trimmed, saved with the layer, and undone in one step", () => {
  const start = stateFromLayer(layer());
  const noted = noteSet(start, "spans", "4", "  a district of Homs ");

  assert.equal(noted.spans.get("4").note, "a district of Homs");
  assert.equal(layerPayload(noted, 1).spans[0].note, "a district of Homs");
  const history = historyPush(historyStart(start), noted, "note");
  assert.equal(historyUndo(history).present.spans.get("4").note, "");
});

test("the same note again changes nothing; an overlong one is refused", () => {
  const noted = noteSet(stateFromLayer(layer()), "spans", "4", "x");
  assert.equal(noteSet(noted, "spans", "4", "x "), noted);
  assert.throws(() => noteSet(noted, "spans", "4", "y".repeat(2001)), /at most 2000 characters/);
  assert.throws(() => noteSet(noted, "relations", "9", "z"), /no longer exists/);
});

test("an item attribute takes one of its values or yes/no, and null removes it", () => {
  const state = stateFromLayer(layer());
  const named = attributeSet(state, schema, "spans", "4", "Mention", "NAM");
  const generic = attributeSet(named, schema, "spans", "4", "Generic", true);

  assert.deepEqual(generic.spans.get("4").attributes, { Mention: "NAM", Generic: true });
  assert.deepEqual(attributeSet(generic, schema, "spans", "4", "Mention", null).spans.get("4").attributes, { Generic: true });
  assert.throws(() => attributeSet(state, schema, "spans", "4", "Mention", "PRO"), /one of NAM, NOM/);
  assert.throws(() => attributeSet(state, schema, "spans", "4", "Generic", "yes"), /yes\/no/);
  assert.throws(() => attributeSet(state, schema, "spans", "4", "Polarity", "x"), /no attribute Polarity/);
});

test("a multiple-choice document label collects values in schema order; a single one replaces", () => {
  let state = stateFromLayer(layer());
  state = documentLabelSet(state, schema, "Topic", "politics");
  state = documentLabelSet(state, schema, "Topic", "aid");
  state = documentLabelSet(state, schema, "Tone", "calm");
  state = documentLabelSet(state, schema, "Tone", "alarm");

  assert.deepEqual(state.labels, { Topic: ["aid", "politics"], Tone: ["alarm"] });
  state = documentLabelSet(state, schema, "Topic", "aid", false);
  state = documentLabelSet(state, schema, "Tone", "alarm", false);
  assert.deepEqual(layerPayload(state, 3).labels, { Topic: ["politics"] });
});

test("a yes/no document label is true or false, null clears it, unknown ones are refused", () => {
  const start = stateFromLayer(layer({ Relevant: false }));
  assert.equal(documentLabelSet(start, schema, "Relevant", false), start);
  assert.deepEqual(documentLabelSet(start, schema, "Relevant", true).labels, { Relevant: true });
  assert.deepEqual(documentLabelSet(start, schema, "Relevant", null).labels, {});
  assert.throws(() => documentLabelSet(start, schema, "Tone", "loud"), /one of calm, alarm/);
  assert.throws(() => documentLabelSet(start, schema, "Mood", "x"), /no document label Mood/);
});

test("schemas from before `attributes` still give the event attributes", () => {
  const old = { eventAttributes: [{ key: "Polarity", values: ["Positive", "Negative"] }] };
  assert.equal(attributesOf(old, "events")[0].key, "Polarity");
  assert.deepEqual(attributesOf(old, "document"), []);
});
