// Arc geometry: where the arcs of relations (and event arguments) run and where their labels
// go, so that no arc or label covers the article's text and no two labels overlap.
//
// Pure: takes the marks' positions (px, relative to the drawing) and the room the article
// leaves above each line (the line height less a mark's height: relations.css widens the
// lines while arcs are shown), and returns paths and label boxes; arcs.js draws them.
//
// An arc whose ends are on one line rises from its head into the room above that line and
// comes down on its tail; arcs that cross or nest are stacked (shorter ones lower), as many
// levels as the room holds. An arc whose ends are on different lines never crosses the lines
// between: it rises from its head into the room above the head's line, runs there to a lane
// in the article's margin, along the margin to the room above the tail's line, and comes
// down on the tail. Labels sit on the arcs, and slide along their row until none overlaps.

export const RISE = 7; // px from a mark's top to the lowest arc
export const STEP = 5; // px between stacked arcs
export const LANE = 5; // px between lanes in the margin
export const MARGIN = 5; // px from the text's edge to the first lane
export const MAX_LANES = 5; // more arcs between lines share the outermost lane
export const LABEL_HEIGHT = 12; // px of a label's box (RISE leaves it clear of the text)
export const LABEL_PAD = 3; // px each side of a label's text
export const LABEL_GAP = 3; // px at least between two labels
const MAX_LEVEL = 5; // without a measured room, higher arcs share this level
const ARROW = 4; // half the arrowhead's width, px

/**
 * The stacking level of each arc (0 lowest), by position in `arcs` ({start, end} in text
 * offsets): an arc is one above the highest shorter arc it overlaps, at most `top`.
 */
export function arcLevels(arcs, top = MAX_LEVEL) {
  const order = arcs.map((_, index) => index).sort((a, b) => arcs[a].end - arcs[a].start - (arcs[b].end - arcs[b].start) || a - b);
  const levels = new Array(arcs.length).fill(0);
  const placed = [];
  for (const index of order) {
    const { start, end } = arcs[index];
    let level = 0;
    for (const other of placed) {
      if (arcs[other].start < end && start < arcs[other].end) level = Math.max(level, levels[other] + 1);
    }
    levels[index] = Math.min(level, top);
    placed.push(index);
  }
  return levels;
}

/** The path of an arc from (x1, y1) to (x2, y2) whose top is at `top`, and where its label goes. */
export function arcPath(x1, y1, x2, y2, top) {
  const d = `M${x1},${y1} C${x1},${top} ${x2},${top} ${x2},${y2}`;
  // The cubic's midpoint: (P0 + 3·P1 + 3·P2 + P3) / 8.
  return { d, labelX: (x1 + x2) / 2, labelY: (y1 + 6 * top + y2) / 8 };
}

/**
 * The path of an arc between lines: from the head (x1, y1) up to `top1`, along to the margin
 * lane at x `lane`, along it to `top2` above the tail's line, along to x2 and down on the
 * tail (x2, y2). Its label goes on the run above the head's line.
 */
export function bracketPath(x1, y1, x2, y2, { top1, top2, lane }) {
  const d = `M${x1},${y1} V${top1} H${lane} V${top2} H${x2} V${y2}`;
  return { d, labelX: (x1 + lane) / 2, labelY: top1 };
}

/** How many stacked arcs fit, with their labels, in `room` px above a line (at least one). */
export function levelsIn(room) {
  return Math.max(1, Math.floor((room - RISE - LABEL_HEIGHT / 2) / STEP) + 1);
}

/** Whether two marks whose tops are at `y1` and `y2` are on the same line. */
export function sameLine(y1, y2, lineHeight) {
  return Math.abs(y1 - y2) < lineHeight / 2;
}

/**
 * The centres (x) that keep label boxes ({x, y, width, height}, centred) from overlapping:
 * from left to right, a label that would overlap one placed before it moves right past it.
 */
export function labelPlaces(boxes, gap = LABEL_GAP) {
  const xs = boxes.map((box) => box.x);
  const order = boxes.map((_, index) => index).sort((a, b) => boxes[a].x - boxes[a].width / 2 - (boxes[b].x - boxes[b].width / 2) || a - b);
  const placed = [];
  for (const index of order) {
    const box = boxes[index];
    for (;;) {
      const hit = placed.find((other) => {
        const them = boxes[other];
        return Math.abs(box.y - them.y) < (box.height + them.height) / 2 && Math.abs(xs[index] - xs[other]) < (box.width + them.width) / 2 + gap;
      });
      if (hit === undefined) break;
      xs[index] = xs[hit] + (box.width + boxes[hit].width) / 2 + gap;
    }
    placed.push(index);
  }
  return xs;
}

/**
 * Where each arc runs: `arcs` (see items.js arcsOf), `ends` (mark id → {x, y}: the middle and
 * top of its first mark), the article's `lineHeight` and `room` above a line (px), the text's
 * `left` and `right` edges, and `labelWidth(text)` (px). Arcs with an end not drawn are left
 * out. Returns [{arc, d, arrow, label: {x, y, width, height}}].
 */
export function arcLayout(arcs, ends, { lineHeight, room, left, right, labelWidth }) {
  const fit = levelsIn(room);
  const sameLineArcs = [];
  const crossing = [];
  for (const arc of arcs) {
    const from = ends.get(arc.from);
    const to = ends.get(arc.to);
    if (!from || !to) continue; // an end not drawn: nothing to point at
    (sameLine(from.y, to.y, lineHeight) ? sameLineArcs : crossing).push({ arc, from, to });
  }
  const levels = arcLevels(sameLineArcs.map(({ arc }) => arc), fit - 1);
  const lanes = arcLevels(crossing.map(({ arc }) => arc), MAX_LANES - 1);
  const routes = [
    ...sameLineArcs.map(({ arc, from, to }, index) => {
      const [x1, x2] = parted(from.x, to.x);
      const top = Math.min(from.y, to.y) - RISE - STEP * levels[index];
      // The label is centred on the arc's top: its box holds the arc's highest point.
      return { arc, d: arcPath(x1, from.y, x2, to.y, top).d, labelX: (x1 + x2) / 2, labelY: top, x2, y2: to.y };
    }),
    ...crossing.map(({ arc, from, to }, index) => {
      const lane = lanes[index];
      const leftSide = (from.x + to.x) / 2 <= (left + right) / 2;
      const laneX = leftSide ? left - MARGIN - LANE * lane : right + MARGIN + LANE * lane;
      const rise = RISE + STEP * Math.min(lane, fit - 1);
      const path = bracketPath(from.x, from.y, to.x, to.y, { top1: from.y - rise, top2: to.y - rise, lane: laneX });
      return { arc, ...path, x2: to.x, y2: to.y };
    }),
  ];
  const boxes = routes.map(({ arc, labelX, labelY }) => ({
    x: labelX, y: labelY, width: labelWidth(arc.label) + 2 * LABEL_PAD, height: LABEL_HEIGHT,
  }));
  const xs = labelPlaces(boxes);
  return routes.map(({ arc, d, x2, y2 }, index) => ({
    arc, d, arrow: `M${x2 - ARROW},${y2 - 2 * ARROW} L${x2 + ARROW},${y2 - 2 * ARROW} L${x2},${y2} Z`,
    label: { ...boxes[index], x: xs[index] },
  }));
}

/** Ends too close together (nested or coinciding marks) parted so the arc has a width. */
function parted(x1, x2) {
  if (Math.abs(x2 - x1) >= 2 * ARROW + 4) return [x1, x2];
  const shift = ARROW + 2;
  return x1 <= x2 ? [x1 - shift, x2 + shift] : [x1 + shift, x2 - shift];
}
