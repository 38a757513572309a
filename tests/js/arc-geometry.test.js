import assert from "node:assert/strict";
import { test } from "node:test";

import { arcLayout, labelPlaces, LABEL_HEIGHT, levelsIn } from "../../static/goldset/js/arc-geometry.js";

// Three lines of text between x 40 and 640, their marks' tops at y 100, 154 and 208: each line
// is 54 px high, a mark 22 px, so 32 px are free above each line.
const LINES = [100, 154, 208];
const PAGE = { lineHeight: 54, room: 32, left: 40, right: 640, labelWidth: (label) => 7 * label.length };

/** An arc from mark `from` to mark `to` covering text [start, end). */
const arc = (id, from, to, start, end, label = "Located") => ({ id, kind: "relation", label, selected: false, from, to, start, end });

/** The points of a path ("M x,y C … V y H x"), absolute commands only. */
function points(d) {
  const found = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([MCLHV])([^MCLHV]*)/g)) {
    const numbers = args.trim().split(/[\s,]+/).map(Number);
    if (command === "H") x = numbers[0];
    else if (command === "V") y = numbers[0];
    else {
      for (let index = 0; index < numbers.length; index += 2) {
        [x, y] = [numbers[index], numbers[index + 1]];
        if (index + 2 < numbers.length) found.push([x, y]);
      }
    }
    found.push([x, y]);
  }
  return found;
}

const overlap = (a, b) => Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2;

/** Six arcs on the first line that cross and nest, between marks at x 60, 140, … 460. */
function crowdedLine() {
  const ends = new Map([0, 1, 2, 3, 4, 5].map((index) => [`s:${index}`, { x: 60 + 80 * index, y: LINES[0] }]));
  const arcs = [
    arc("r:1", "s:0", "s:1", 0, 10), arc("r:2", "s:0", "s:2", 0, 20, "Family"), arc("r:3", "s:1", "s:3", 5, 30, "Near"),
    arc("r:4", "s:2", "s:5", 15, 50, "Employment"), arc("r:5", "s:0", "s:5", 0, 50, "Business"), arc("r:6", "s:3", "s:4", 30, 40),
  ];
  return arcLayout(arcs, ends, PAGE);
}

test("as many arcs stack above a line as its room holds, labels included", () => {
  assert.equal(levelsIn(32), 4);
  assert.equal(levelsIn(0), 1);
});

test("arcs on one line stay in the room above it and cover no text", () => {
  for (const { d, label } of crowdedLine()) {
    for (const [, y] of points(d)) assert.ok(y <= LINES[0] && y >= LINES[0] - PAGE.room, `${d} leaves the room above the line`);
    assert.ok(label.y - label.height / 2 >= LINES[0] - PAGE.room && label.y + label.height / 2 <= LINES[0], "label in the room");
  }
});

test("no two labels overlap, however many arcs cross", () => {
  const labels = crowdedLine().map(({ label }) => label);
  for (const [index, a] of labels.entries()) {
    for (const b of labels.slice(index + 1)) assert.ok(!overlap(a, b), `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
  }
});

test("an arc between lines runs above the head's line, down the margin, above the tail's, never over text", () => {
  const ends = new Map([["s:1", { x: 300, y: LINES[0] }], ["s:2", { x: 200, y: LINES[2] }]]);
  const [route] = arcLayout([arc("r:1", "s:1", "s:2", 20, 130)], ends, PAGE);
  const path = points(route.d);
  assert.deepEqual(path[0], [300, LINES[0]]);
  assert.deepEqual(path.at(-1), [200, LINES[2]]);
  const MARK = 22; // px of a mark: the text of line L lies between L and L + MARK
  for (const [[x1, y1], [x2, y2]] of path.slice(0, -1).map((point, index) => [point, path[index + 1]])) {
    if (y1 === y2) {
      // A run along a line: in the room above the head's line or the tail's.
      assert.ok(LINES.some((line) => y1 < line && y1 >= line - PAGE.room), `run at y ${y1} is over text`);
    } else if (LINES.some((line) => Math.min(y1, y2) < line + MARK && Math.max(y1, y2) > line)) {
      // A stretch across a line's text: only in the margin, left of the text.
      assert.equal(x1, x2);
      assert.ok(x1 < PAGE.left, `the stretch across lines at x ${x1} is over the text`);
    }
  }
  assert.ok(route.label.y + LABEL_HEIGHT / 2 <= LINES[0] && route.label.y - LABEL_HEIGHT / 2 >= LINES[0] - PAGE.room);
});

test("nested arcs between lines take separate lanes, the outer one further out; right-hand ones use the right margin", () => {
  const ends = new Map([
    ["s:1", { x: 100, y: LINES[0] }], ["s:2", { x: 120, y: LINES[1] }], ["s:3", { x: 80, y: LINES[2] }],
    ["s:4", { x: 600, y: LINES[0] }], ["s:5", { x: 590, y: LINES[1] }],
  ]);
  const routes = arcLayout(
    [arc("r:1", "s:1", "s:2", 0, 60), arc("r:2", "s:1", "s:3", 0, 120), arc("r:3", "s:4", "s:5", 50, 110)],
    ends, PAGE,
  );
  const lane = (route) => points(route.d)[2][0];
  assert.ok(lane(routes[1]) < lane(routes[0]) && lane(routes[0]) < PAGE.left);
  assert.ok(lane(routes[2]) > PAGE.right);
});

test("an arc whose end is not drawn is left out", () => {
  const ends = new Map([["s:1", { x: 100, y: LINES[0] }]]);
  assert.deepEqual(arcLayout([arc("r:1", "s:1", "s:9", 0, 10)], ends, PAGE), []);
});

test("a label that would overlap another slides right past it, on its own row", () => {
  const boxes = [
    { x: 100, y: 50, width: 40, height: 13 },
    { x: 110, y: 55, width: 20, height: 13 }, // overlaps the first
    { x: 110, y: 90, width: 20, height: 13 }, // another row: stays
  ];
  assert.deepEqual(labelPlaces(boxes, 3), [100, 133, 110]);
});
