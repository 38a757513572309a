// Layout: turn possibly overlapping spans into a tree of nested, non-crossing pieces.
//
// Pure (no DOM). Spans that nest become children of the span around them; a span that crosses
// another's end is cut there and continues as a second piece, so every span stays visible and
// every piece knows the span it belongs to. Offsets are code points throughout.

/**
 * @typedef {{start: number, end: number}} SpanLike
 * @typedef {{kind: "text", start: number, end: number}} TextPiece
 * @typedef {{kind: "span", span: SpanLike, start: number, end: number,
 *            depth: number, fragment: boolean, children: Piece[]}} SpanPiece
 * @typedef {TextPiece | SpanPiece} Piece
 */

/** Lay out `spans` over a text of `length` code points; returns the top-level pieces. */
export function layoutSpans(length, spans) {
  const queue = spans
    .filter((span) => span.start < span.end && span.start >= 0 && span.end <= length)
    .map((span) => ({ span, start: span.start, end: span.end, fragment: false }))
    .sort(byStartThenLongest);
  const root = { kind: "span", start: 0, end: length, depth: -1, children: [] };
  const stack = [root];
  while (queue.length > 0) {
    const item = queue.shift();
    while (stack.length > 1 && stack.at(-1).end <= item.start) stack.pop();
    const parent = stack.at(-1);
    const end = Math.min(item.end, parent.end);
    const piece = {
      kind: "span",
      span: item.span,
      start: item.start,
      end,
      depth: parent.depth + 1,
      fragment: item.fragment || end < item.end,
      children: [],
    };
    parent.children.push(piece);
    stack.push(piece);
    if (end < item.end) {
      insertSorted(queue, { span: item.span, start: end, end: item.end, fragment: true });
    }
  }
  fillText(root);
  return root.children;
}

function byStartThenLongest(a, b) {
  return a.start - b.start || b.end - a.end;
}

function insertSorted(queue, item) {
  let index = queue.findIndex((other) => byStartThenLongest(item, other) < 0);
  if (index === -1) index = queue.length;
  queue.splice(index, 0, item);
}

/** Add text pieces for the gaps between children, recursively. */
function fillText(piece) {
  const filled = [];
  let cursor = piece.start;
  for (const child of piece.children) {
    if (child.start > cursor) filled.push({ kind: "text", start: cursor, end: child.start });
    fillText(child);
    filled.push(child);
    cursor = child.end;
  }
  if (cursor < piece.end) filled.push({ kind: "text", start: cursor, end: piece.end });
  piece.children = filled;
}
