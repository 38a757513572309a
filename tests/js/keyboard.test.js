import assert from "node:assert/strict";
import { test } from "node:test";

import { commandFor, hotkeysOf } from "../../static/goldset/js/keyboard.js";

const context = hotkeysOf({
  entityTypes: { PER: { hotkey: "p" }, GPE: { hotkey: "g" }, ORG: { hotkey: "" } },
  eventTypes: { "Life.Die": { hotkey: "2" }, "Conflict.Attack": { hotkey: "1" } },
});

test("a label's hotkey applies that label", () => {
  assert.deepEqual(commandFor({ key: "g" }, context), { name: "entity", label: "GPE" });
  assert.deepEqual(commandFor({ key: "2" }, context), { name: "event", type: "Life.Die" });
});

test("undo and redo take Ctrl or Cmd, with Shift for redo", () => {
  assert.deepEqual(commandFor({ key: "z", ctrlKey: true }, context), { name: "undo" });
  assert.deepEqual(commandFor({ key: "Z", ctrlKey: true, shiftKey: true }, context), { name: "redo" });
  assert.deepEqual(commandFor({ key: "z", metaKey: true }, context), { name: "undo" });
  assert.deepEqual(commandFor({ key: "y", ctrlKey: true }, context), { name: "redo" });
});

test("arrows move the cursor, Shift moves the end, Alt+Shift the start", () => {
  assert.deepEqual(commandFor({ key: "ArrowRight" }, context), { name: "cursor", step: 1 });
  assert.deepEqual(commandFor({ key: "ArrowLeft", shiftKey: true }, context), { name: "move-end", step: -1 });
  assert.deepEqual(commandFor({ key: "ArrowLeft", shiftKey: true, altKey: true }, context), { name: "move-start", step: -1 });
});

test("digits choose a role only after R", () => {
  assert.deepEqual(commandFor({ key: "r" }, context), { name: "role-picker" });
  assert.deepEqual(commandFor({ key: "2" }, { ...context, mode: "role" }), { name: "role", index: 1 });
});

test("browser shortcuts with Ctrl and unknown keys are left alone", () => {
  assert.equal(commandFor({ key: "l", ctrlKey: true }, context), null);
  assert.equal(commandFor({ key: "q" }, context), null);
  assert.equal(commandFor({ key: "p", altKey: true }, context), null);
});

test("Shift+A accepts everything, A the selection, ? shows the shortcuts", () => {
  assert.deepEqual(commandFor({ key: "A", shiftKey: true }, context), { name: "accept-all" });
  assert.deepEqual(commandFor({ key: "a" }, context), { name: "accept" });
  assert.deepEqual(commandFor({ key: "?", shiftKey: true }, context), { name: "help" });
});

test("* labels every other occurrence of the selected entity's text", () => {
  const context = { entityKeys: {}, eventKeys: {} };
  assert.deepEqual(commandFor({ key: "*", shiftKey: true }, context), { name: "label-all" });
});
