import assert from "node:assert/strict";
import { test } from "node:test";

import { moveEdge, offsetPairs, snapToTokens, tokenize } from "../../static/goldset/js/tokens.js";

const text = "Shelling of Baba Amr, Homs.";
const tokens = tokenize(text);

test("words and punctuation marks are tokens", () => {
  assert.deepEqual(tokens.map(([start, end]) => text.slice(start, end)), ["Shelling", "of", "Baba", "Amr", ",", "Homs", "."]);
});

test("a selection that starts or ends inside a word snaps to the whole words", () => {
  assert.deepEqual(snapToTokens(tokens, 14, 18), [12, 20]);
});

test("a selection that takes spaces around a word drops them", () => {
  assert.deepEqual(snapToTokens(tokens, 11, 20), [12, 20]);
});

test("a selection made right to left snaps the same", () => {
  assert.deepEqual(snapToTokens(tokens, 18, 14), [12, 20]);
});

test("a selection of whitespace only snaps to nothing", () => {
  assert.equal(snapToTokens(tokens, 11, 12), null);
});

test("an edge moves one token at a time and never empties the range", () => {
  assert.deepEqual(moveEdge(tokens, [12, 16], "end", 1), [12, 20]);
  assert.deepEqual(moveEdge(tokens, [12, 20], "end", -1), [12, 16]);
  assert.equal(moveEdge(tokens, [12, 16], "end", -1), null);
  assert.deepEqual(moveEdge(tokens, [12, 20], "start", -1), [9, 20]);
  assert.deepEqual(moveEdge(tokens, [12, 20], "start", 1), [17, 20]);
  assert.equal(moveEdge(tokens, [0, 8], "start", -1), null);
});

test("tokens are counted in code points: astral characters and combining marks", () => {
  const mixed = "😀 Cafe\u0301 😀x";
  const found = tokenize(mixed);
  // "😀" is one code point (two UTF-16 units); "é" is e + U+0301, two code points in one word.
  assert.deepEqual(found, [[0, 1], [2, 7], [8, 9], [9, 10]]);
});

test("the editor page's flat token offsets become the pairs the editor steps through", () => {
  const flat = tokens.flat();
  assert.deepEqual(offsetPairs(flat), tokens);
  assert.equal(offsetPairs(tokens), tokens);
  assert.deepEqual(offsetPairs([]), []);
  assert.deepEqual(offsetPairs(null), []);
});
