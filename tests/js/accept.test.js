import assert from "node:assert/strict";
import test from "node:test";

import { acceptPreview, acceptPreviewText, acceptable } from "../../static/goldset/js/accept.js";

const span = (id, label, score, calibrated, accepted = false) => [
  id,
  { id, label, score, accepted, attributes: calibrated ? { model_score: 0.99 } : {} },
];
const state = (spans, events = []) => ({ spans: new Map(spans), events: new Map(events) });

test("accept above a score takes pending predictions of the label at or above it", () => {
  const [, item] = span(1, "GPE", 0.9, true);
  assert.equal(acceptable(item, "GPE", { minScore: 0.9 }), true);
  assert.equal(acceptable(item, "GPE", { minScore: 0.95 }), false);
  assert.equal(acceptable(item, "GPE", { label: "PER" }), false);
  assert.equal(acceptable({ ...item, accepted: true }, "GPE", {}), false);
});

test("the expected precision is the mean calibrated score of what would be accepted", () => {
  const layer = state(
    [span(1, "GPE", 0.96, true), span(2, "GPE", 0.92, true), span(3, "PER", 0.5, true)],
    [[4, { id: 4, type: "Conflict.Attack", score: 0.9, accepted: false, attributes: { model_score: 0.7 } }]],
  );
  const preview = acceptPreview(layer, { minScore: 0.9 });
  assert.deepEqual({ ...preview, expected: Math.round(preview.expected * 1000) }, { count: 3, calibrated: 3, expected: 927 });
  assert.equal(acceptPreviewText(preview), "3 predictions, expected precision 93 % (scores calibrated on held-out gold).");
});

test("uncalibrated scores are said to be the model's own, with what would calibrate them", () => {
  const text = acceptPreviewText(acceptPreview(state([span(1, "GPE", 0.99, false)]), { minScore: 0.9 }));
  assert.match(text, /^1 prediction\. Their scores are the model's own, not calibrated/);
});

test("a mix says how many are calibrated, and nothing to accept says so", () => {
  const layer = state([span(1, "GPE", 0.95, true), span(2, "GPE", 0.99, false)]);
  assert.equal(acceptPreviewText(acceptPreview(layer, { minScore: 0.9 })), "2 predictions; 1 with calibrated scores, expected precision 95 % among them.");
  assert.equal(acceptPreviewText(acceptPreview(layer, { minScore: 1 })), "No prediction left to accept at or above this score.");
});
