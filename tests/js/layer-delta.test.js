import assert from "node:assert/strict";
import { test } from "node:test";

import { LayerDelta } from "../../static/goldset/js/layer-delta.js";

const ANNAN = { id: 11, start: 0, end: 10, label: "PER", note: "" };
const DAMASCUS = { id: 12, start: 22, end: 30, label: "GPE", note: "" };
const DEATH = {
  id: 3, type: "Life.Die", trigger_start: 11, trigger_end: 18,
  arguments: [{ role: "Victim", span: 11 }],
};

function layer({ spans = [ANNAN, DAMASCUS], events = [DEATH], relations = [], labels = {} } = {}) {
  return { spans, events, relations, labels };
}

test("a change sends only the item changed, by PATCH", () => {
  const delta = new LayerDelta(layer(), 4);
  const request = delta.request(layer({ spans: [ANNAN, { ...DAMASCUS, label: "LOC" }] }), 4);
  assert.equal(request.method, "PATCH");
  assert.deepEqual(request.body, { version: 4, spans: { put: [{ ...DAMASCUS, label: "LOC" }], drop: [] } });
});

test("nothing changed sends the version alone; labels go whole when they change", () => {
  const delta = new LayerDelta(layer(), 4);
  assert.deepEqual(delta.request(layer(), 4).body, { version: 4 });
  const labelled = delta.request(layer({ labels: { Topic: ["war"] } }), 4);
  assert.deepEqual(labelled.body, { version: 4, labels: { Topic: ["war"] } });
});

test("a removed item is dropped by its id", () => {
  const delta = new LayerDelta(layer(), 4);
  const request = delta.request(layer({ spans: [ANNAN] }), 4);
  assert.deepEqual(request.body, { version: 4, spans: { put: [], drop: [12] } });
});

test("a new item is named by the id the server gave it once saved", () => {
  const delta = new LayerDelta(layer(), 4);
  const added = { id: "n1", start: 34, end: 42, label: "PER", note: "" };
  const withDeath = { ...DEATH, arguments: [...DEATH.arguments, { role: "Place", span: "n1" }] };
  const first = delta.request(layer({ spans: [ANNAN, DAMASCUS, added], events: [withDeath] }), 4);
  assert.deepEqual(first.body.spans, { put: [added], drop: [] });
  assert.deepEqual(first.body.events.put[0].arguments[1], { role: "Place", span: "n1" });
  first.saved({ version: 5, ids: { spans: { n1: 77 }, events: {}, relations: {} } });

  const relabelled = { ...added, label: "ORG" };
  const second = delta.request(layer({ spans: [ANNAN, DAMASCUS, relabelled], events: [withDeath] }), 5);
  assert.deepEqual(second.body, { version: 5, spans: { put: [{ ...relabelled, id: 77 }], drop: [] } });
  second.saved({ version: 6, ids: { spans: {}, events: {}, relations: {} } });

  const third = delta.request(layer({ spans: [ANNAN, DAMASCUS], events: [DEATH] }), 6);
  assert.deepEqual(third.body.spans, { put: [], drop: [77] });
  assert.deepEqual(third.body.events.put, [DEATH]);
});

test("relations name their spans by the server's ids", () => {
  const delta = new LayerDelta(layer(), 1);
  const added = { id: "n1", start: 34, end: 42, label: "GPE", note: "" };
  delta.request(layer({ spans: [ANNAN, DAMASCUS, added] }), 1)
    .saved({ version: 2, ids: { spans: { n1: 90 } } });
  const located = { id: "n2", type: "Located", head: 11, tail: "n1" };
  const request = delta.request(layer({ spans: [ANNAN, DAMASCUS, added], relations: [located] }), 2);
  assert.deepEqual(request.body, { version: 2, relations: { put: [{ ...located, tail: 90 }], drop: [] } });
});

test("a version other than the one last saved sends the whole layer by PUT", () => {
  const delta = new LayerDelta(layer(), 4);
  const request = delta.request(layer({ spans: [ANNAN] }), 7); // keep mine over version 7
  assert.equal(request.method, "PUT");
  assert.deepEqual(request.body, { version: 7, ...layer({ spans: [ANNAN] }) });
  request.saved({ version: 8, ids: {} });
  assert.equal(delta.request(layer({ spans: [ANNAN] }), 8).method, "PATCH");
});

test("a failed save leaves the next one sending the same changes", () => {
  const delta = new LayerDelta(layer(), 4);
  const changed = layer({ spans: [ANNAN, { ...DAMASCUS, note: "capital" }] });
  const first = delta.request(changed, 4); // never answered 200
  assert.deepEqual(delta.request(changed, 4).body, first.body);
});

test("after loading their version the delta starts from it", () => {
  const delta = new LayerDelta(layer(), 4);
  delta.reset(layer({ spans: [DAMASCUS], events: [] }), 9);
  const request = delta.request(layer({ spans: [DAMASCUS], events: [] }), 9);
  assert.equal(request.method, "PATCH");
  assert.deepEqual(request.body, { version: 9 });
});
