import assert from "node:assert/strict";
import { test } from "node:test";

import { layoutSpans } from "../../static/goldset/js/layout.js";

/** Flatten pieces to "kind:start-end" strings, with children in brackets. */
function outline(pieces) {
  return pieces.map((piece) =>
    piece.kind === "text"
      ? `t${piece.start}-${piece.end}`
      : `${piece.span.label}${piece.start}-${piece.end}${piece.fragment ? "*" : ""}` +
        (piece.children.length ? `[${outline(piece.children).join(",")}]` : ""),
  );
}

test("spans and the text between them cover the whole article in order", () => {
  const pieces = layoutSpans(20, [
    { start: 10, end: 15, label: "GPE" },
    { start: 0, end: 4, label: "PER" },
  ]);
  assert.deepEqual(outline(pieces), ["PER0-4[t0-4]", "t4-10", "GPE10-15[t10-15]", "t15-20"]);
});

test("a nested span becomes a child of the span around it", () => {
  const pieces = layoutSpans(30, [
    { start: 0, end: 30, label: "ORG" },
    { start: 4, end: 9, label: "GPE" },
  ]);
  assert.deepEqual(outline(pieces), ["ORG0-30[t0-4,GPE4-9[t4-9],t9-30]"]);
  assert.equal(pieces[0].children[1].depth, 1);
});

test("a crossing span is cut at the other's end and continues as a fragment", () => {
  const pieces = layoutSpans(12, [
    { start: 0, end: 6, label: "A" },
    { start: 4, end: 10, label: "B" },
  ]);
  assert.deepEqual(outline(pieces), ["A0-6[t0-4,B4-6*[t4-6]]", "B6-10*[t6-10]", "t10-12"]);
  const fragments = [pieces[0].children[1], pieces[1]];
  assert.ok(fragments.every((piece) => piece.span.label === "B"));
});

test("two spans over the same text are both kept", () => {
  const pieces = layoutSpans(5, [
    { start: 0, end: 5, label: "GPE" },
    { start: 0, end: 5, label: "ORG" },
  ]);
  assert.deepEqual(outline(pieces), ["GPE0-5[ORG0-5[t0-5]]"]);
});

test("spans outside the text or empty are ignored", () => {
  const pieces = layoutSpans(5, [
    { start: 3, end: 3, label: "X" },
    { start: 2, end: 9, label: "Y" },
  ]);
  assert.deepEqual(outline(pieces), ["t0-5"]);
});
