import assert from "node:assert/strict";
import { test } from "node:test";

import { OffsetMap } from "../../static/goldset/js/offsets.js";

test("plain BMP text has identical offsets in both units", () => {
  const map = new OffsetMap("at least\u00a054 civilians");
  assert.equal(map.length, 21);
  assert.equal(map.toUtf16(9), 9);
  assert.equal(map.toCodePoint(9), 9);
});

test("an astral character shifts later UTF-16 offsets by one", () => {
  // doccano's example: "firetrucks" is 22..32 in UTF-16, 19..29 in code points.
  const text = "👨🏻‍🚒 firemen drive firetrucks";
  const map = new OffsetMap(text);
  assert.equal(map.toUtf16(19), 22);
  assert.equal(map.toUtf16(29), 32);
  assert.equal(map.toCodePoint(22), 19);
  assert.equal(map.toCodePoint(32), 29);
  assert.equal(map.slice(19, 29), "firetrucks");
  assert.equal(map.length, [...text].length);
});

test("a UTF-16 index inside a surrogate pair maps to the pair's start", () => {
  const map = new OffsetMap("a😀b");
  assert.equal(map.toCodePoint(2), 1);
  assert.equal(map.toCodePoint(3), 2);
});

test("combining marks count as their own code points in both units", () => {
  const text = "Cafe\u0301 in Homs";
  const map = new OffsetMap(text);
  assert.equal(map.length, text.length);
  assert.equal(map.slice(9, 13), "Homs");
});

test("every code point offset round-trips", () => {
  const text = "𝒜 Idlib 😀 e\u0301 🇸🇾 Homs";
  const map = new OffsetMap(text);
  for (let cp = 0; cp <= map.length; cp++) assert.equal(map.toCodePoint(map.toUtf16(cp)), cp);
  assert.equal(map.slice(map.length - 4, map.length), "Homs");
});

test("out-of-range offsets are refused", () => {
  const map = new OffsetMap("abc");
  assert.throws(() => map.toUtf16(4), RangeError);
  assert.throws(() => map.toCodePoint(-1), RangeError);
});
