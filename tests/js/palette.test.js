import assert from "node:assert/strict";
import { test } from "node:test";

import { paletteOrder, recentWith } from "../../static/goldset/js/palette.js";

const types = [
  { key: "Conflict.Attack", name: "Attack" },
  { key: "Conflict.Demonstrate", name: "Demonstrate" },
  { key: "Life.Die", name: "Die" },
  { key: "Life.Injure", name: "Injure" },
  { key: "Movement.Transport", name: "Transport" },
];

test("the recently used types come first, then the schema's order", () => {
  assert.deepEqual(paletteOrder(types, ["Life.Die", "Movement.Transport"]), [
    "Life.Die", "Movement.Transport", "Conflict.Attack", "Conflict.Demonstrate", "Life.Injure",
  ]);
});

test("typing keeps the types whose key or name holds every word, ignoring case", () => {
  assert.deepEqual(paletteOrder(types, [], "life"), ["Life.Die", "Life.Injure"]);
  assert.deepEqual(paletteOrder(types, ["Life.Injure"], "LIFE"), ["Life.Injure", "Life.Die"]);
  assert.deepEqual(paletteOrder(types, [], "conflict dem"), ["Conflict.Demonstrate"]);
  assert.deepEqual(paletteOrder(types, [], "flood"), []);
});

test("using a type moves it to the front of a short recent list", () => {
  let recent = [];
  for (const type of ["A", "B", "C", "D", "E", "F", "B"]) recent = recentWith(recent, type);
  assert.deepEqual(recent, ["B", "F", "E", "D", "C"]);
});
