import assert from "node:assert/strict";
import { test } from "node:test";

import * as edit from "../../static/goldset/js/state.js";

// Three mentions of Baba Amr, one inside a longer word, one already part of a longer entity.
const text = "Shelling hit Baba Amr. In Baba Amr, and Baba Amrani, troops left Baba Amr district. Baba Amr!";
const schema = {
  text,
  entityTypes: { PER: {}, GPE: {}, LOC: {} },
  eventTypes: { "Conflict.Attack": { roles: [{ key: "Place", entityTypes: ["GPE", "LOC"] }, { key: "Attacker", entityTypes: ["PER"] }] } },
  eventAttributes: [],
};
const at = (nth) => {
  let start = -1;
  for (let n = 0; n <= nth; n++) start = text.indexOf("Baba Amr", start + 1);
  return start;
};
const span = (id, start, end, label, extra = {}) => ({
  id, start, end, label, source: "model", score: 0.9, accepted: false, attributes: {}, note: "", ...extra,
});

function state() {
  return edit.stateFromLayer({
    spans: [
      span(1, at(0), at(0) + 8, "PER"),
      span(2, at(1), at(1) + 8, "PER"),
      span(3, at(3), at(3) + 17, "LOC"), // "Baba Amr district"
    ],
    events: [{
      id: 9, type: "Conflict.Attack", trigger_start: 0, trigger_end: 8, source: "model", score: 0.9, accepted: false,
      attributes: {}, note: "", arguments: [{ role: "Attacker", span: 2, source: "model", score: 0.8 }],
    }],
  });
}

test("after a relabel, the other occurrences with the old label follow and unlabelled ones are added", () => {
  const relabelled = edit.spanRelabel(state(), schema, 1, "GPE");
  const [next, counts] = edit.spanLabelAll(relabelled, schema, 1, { from: "PER" });
  assert.deepEqual(counts, { added: 1, relabelled: 1 });
  const labels = [...next.spans.values()].map((item) => [text.slice(item.start, item.end), item.start, item.label]);
  assert.deepEqual(labels.sort((a, b) => a[1] - b[1]), [
    ["Baba Amr", at(0), "GPE"],
    ["Baba Amr", at(1), "GPE"],
    ["Baba Amr district", at(3), "LOC"],
    ["Baba Amr", at(4), "GPE"],
  ]);
  const relabelledSpan = next.spans.get("2");
  assert.deepEqual([relabelledSpan.source, relabelledSpan.accepted], ["human", true]);
});

test("an argument the new label may not fill is removed, as a single relabel does", () => {
  const relabelled = edit.spanRelabel(state(), schema, 1, "GPE");
  const [next] = edit.spanLabelAll(relabelled, schema, 1, { from: "PER" });
  assert.deepEqual(next.events.get("9").arguments, []);
});

test("without a previous label only unlabelled occurrences are labelled; other labels stay", () => {
  const [next, counts] = edit.spanLabelAll(state(), schema, 1);
  assert.deepEqual(counts, { added: 1, relabelled: 0 });
  assert.equal(next.spans.get("2").label, "PER");
  assert.equal([...next.spans.values()].filter((item) => item.start === at(2)).length, 0, "Baba Amrani is another word");
});

test("it is one edit that undo takes back whole, and a second run changes nothing", () => {
  const before = state();
  const [once] = edit.spanLabelAll(before, schema, 1);
  const [twice, counts] = edit.spanLabelAll(once, schema, 1);
  assert.deepEqual(counts, { added: 0, relabelled: 0 });
  assert.equal(twice, once);
  assert.equal(before.spans.size, 3);
});

test("occurrences are found in code points, past characters outside the BMP", () => {
  const emoji = "🇸🇾 Homs and 🙂 Homs";
  const points = { ...schema, text: emoji };
  const first = [...emoji].indexOf("H");
  const layer = edit.stateFromLayer({ spans: [span(1, first, first + 4, "GPE")], events: [] });
  const [next, counts] = edit.spanLabelAll(layer, points, 1);
  assert.equal(counts.added, 1);
  const added = [...next.spans.values()].find((item) => item.id !== 1);
  assert.equal([...emoji].slice(added.start, added.end).join(""), "Homs");
});
