import assert from "node:assert/strict";
import { test } from "node:test";

import * as edit from "../../static/goldset/js/state.js";
import {
  acceptEdit, describeRow, drawnItems, rejectEdit, statusText, unsettledRows,
} from "../../static/goldset/js/review.js";
import { itemsOf } from "../../static/goldset/js/items.js";

// An astral character first: every offset below is in code points, one less than in UTF-16.
const text = "🙂 Troops killed Ali in Homs.";
const schema = {
  text,
  length: [...text].length,
  entityTypes: { PER: {}, GPE: {}, ORG: {} },
  eventTypes: { "Life.Die": { roles: [{ key: "Victim", entityTypes: ["PER"] }, { key: "Place", entityTypes: ["GPE"] }] } },
  eventAttributes: [{ key: "Polarity", values: ["Positive", "Negative"], default: "Positive" }],
};

const ali = { start: 16, end: 19 };
const homs = { start: 23, end: 27 };
const killed = { start: 9, end: 15 };

/** Ana and Ben both have Ali PER; Ana has Homs GPE and the death, Ben calls Homs ORG. */
function review() {
  const votes = (voters, agreed, disputed) => ({ voters, agreed, disputed, attributes: {}, note: "", details_from: voters[0] });
  return {
    document: 1,
    voters: [{ name: "ana", layer: 1 }, { name: "ben", layer: 2 }],
    entities: [
      { id: "span:16:19:PER", ...ali, label: "PER", text: "Ali", conflicts: [], ...votes(["ana", "ben"], true, false) },
      { id: "span:23:27:GPE", ...homs, label: "GPE", text: "Homs", conflicts: ["ORG"], ...votes(["ana"], false, true) },
      { id: "span:23:27:ORG", ...homs, label: "ORG", text: "Homs", conflicts: ["GPE"], ...votes(["ben"], false, true) },
    ],
    events: [
      { id: "event:9:15:Life.Die", trigger_start: 9, trigger_end: 15, type: "Life.Die", text: "killed", conflicts: [],
        ...votes(["ana"], false, true), attributes: { Polarity: "Negative" } },
    ],
    arguments: [
      { id: "arg:event:9:15:Life.Die:Victim:span:16:19:PER", event: "event:9:15:Life.Die", role: "Victim",
        span: "span:16:19:PER", target_event: null, voters: ["ana"], agreed: false, disputed: true },
    ],
    gold: null,
  };
}

/** The gold as started from the agreed items: Ali PER only. */
function gold() {
  return edit.stateFromLayer({
    spans: [{ id: 7, ...ali, label: "PER", source: "human", score: null, accepted: true, attributes: {}, note: "" }],
    events: [],
  });
}

const ids = (rows) => rows.map((row) => row.id);

test("what the gold lacks is unsettled, what it has and all agree on is not", () => {
  const rows = unsettledRows(review(), gold(), { text });
  assert.deepEqual(ids(rows), [
    "event:9:15:Life.Die",
    "arg:event:9:15:Life.Die:Victim:span:16:19:PER",
    "span:23:27:GPE",
    "span:23:27:ORG",
  ]);
  assert.ok(rows.every((row) => !row.inGold));
});

test("rows quote the text by code points, past an astral character", () => {
  const rows = unsettledRows(review(), gold(), { text });
  const homsRow = rows.find((row) => row.id === "span:23:27:GPE");
  assert.equal(homsRow.text, "Homs");
  assert.equal(describeRow(homsRow), "GPE “Homs”");
  assert.equal(statusText(homsRow), "label clash (also ORG)");
  const argument = rows.find((row) => row.kind === "argument");
  assert.equal(describeRow(argument), "Life.Die “killed” · Victim: “Ali” (PER)");
  assert.equal(statusText(rows[0]), "disputed");
  assert.deepEqual(rows[0].voters, ["ana"]);
});

test("a gold item not every annotator has stays to decide, marked disputed in the text", () => {
  const [withHoms] = edit.spanAdd(gold(), schema, { ...homs, label: "GPE" });
  const rows = unsettledRows(review(), withHoms, { text });
  const homsRow = rows.find((row) => row.id === "span:23:27:GPE");
  assert.equal(homsRow.inGold, true);
  const drawn = drawnItems(itemsOf(withHoms), rows);
  const mark = drawn.find((item) => item.id === `s:${homsRow.goldKey}`);
  assert.match(mark.disputed, /label clash \(also ORG\): ana/);
  assert.equal(drawn.find((item) => item.id === "s:7").disputed, undefined);
  const candidates = drawn.filter((item) => item.kind === "candidate");
  assert.deepEqual(candidates.map((item) => [item.label, item.start, item.end]), [["Life.Die", 9, 15], ["ORG", 23, 27]]);
  assert.match(candidates[1].title, /Not in the gold: ORG, label clash \(also GPE\): ben/);
});

test("accepting an entity adds it as labelling does, and settles it once decided", () => {
  const rows = unsettledRows(review(), gold(), { text });
  const row = rows.find((item) => item.id === "span:23:27:GPE");
  const next = acceptEdit(gold(), schema, row);
  const added = [...next.spans.values()].find((span) => span.label === "GPE");
  assert.deepEqual([added.start, added.end, added.source, added.accepted], [23, 27, "human", true]);
  const decided = new Map([[row.id, "accepted"]]);
  assert.ok(!ids(unsettledRows(review(), next, { text, decided })).includes(row.id));
  // Undone, the decision no longer holds: the candidate is back.
  assert.ok(ids(unsettledRows(review(), gold(), { text, decided })).includes(row.id));
});

test("accepting an argument adds its event (with the voter's attributes) and fills the role", () => {
  const row = unsettledRows(review(), gold(), { text }).find((item) => item.kind === "argument");
  const next = acceptEdit(gold(), schema, row);
  const [event] = next.events.values();
  assert.deepEqual([event.type, event.start, event.end], ["Life.Die", 9, 15]);
  assert.deepEqual(event.arguments.map((argument) => [argument.role, String(argument.span)]), [["Victim", "7"]]);
  const rows = unsettledRows(review(), next, { text });
  assert.equal(rows.find((item) => item.kind === "argument").inGold, true);
  const eventRow = unsettledRows(review(), gold(), { text }).find((item) => item.kind === "event");
  assert.equal([...acceptEdit(gold(), schema, eventRow).events.values()][0].attributes.Polarity, "Negative");
});

test("rejecting removes a gold item, or only hides a candidate the gold lacks", () => {
  const [withHoms] = edit.spanAdd(gold(), schema, { ...homs, label: "GPE" });
  const row = unsettledRows(review(), withHoms, { text }).find((item) => item.id === "span:23:27:GPE");
  const next = rejectEdit(withHoms, row);
  assert.deepEqual([...next.spans.values()].map((span) => span.label), ["PER"]);
  const decided = new Map([[row.id, "rejected"]]);
  assert.ok(!ids(unsettledRows(review(), next, { text, decided })).includes(row.id));

  const missing = unsettledRows(review(), gold(), { text }).find((item) => item.id === "span:23:27:ORG");
  const state = gold();
  assert.equal(rejectEdit(state, missing), state);
});

test("rejecting an argument in the gold clears that role only", () => {
  const row = unsettledRows(review(), gold(), { text }).find((item) => item.kind === "argument");
  const withArgument = acceptEdit(gold(), schema, row);
  const inGold = unsettledRows(review(), withArgument, { text }).find((item) => item.kind === "argument");
  const next = rejectEdit(withArgument, inGold);
  const [event] = next.events.values();
  assert.deepEqual(event.arguments, []);
  assert.equal(next.spans.size, 1);
});

test("an entity the schema refuses is not accepted", () => {
  const odd = { ...review(), entities: [{ ...review().entities[0], id: "span:16:19:VEH", label: "VEH", agreed: false, disputed: true }] };
  const row = unsettledRows(odd, gold(), { text }).find((item) => item.kind === "entity");
  assert.throws(() => acceptEdit(gold(), schema, row), edit.EditError);
});
