// Render: draw an article with its entity spans and event triggers as nested <mark> elements.
//
// The text is cut into paragraphs (block elements the browser lays out apart, and skips while
// off screen) made of blocks (sentences, at most BLOCK_LIMIT code points), each drawn on its
// own, so an edit repaints only the blocks it touches. A long article opens with its first
// FIRST_DRAWN code points drawn and the rest as plain text, whose marks are drawn when it
// comes near the screen or the browser is idle (or at once when an edit, a selection or a
// decoration needs them): the page is usable as soon as its first screen is. Text is only
// ever inserted as text nodes; labels and roles are drawn by CSS from data attributes, so the
// article's text content stays exactly the document text and DOM ranges map straight back to
// offsets. Each mark carries its item's code point offsets (data-start, data-end),
// data-label and data-id.

import { layoutSpans } from "./layout.js";
import { OffsetMap } from "./offsets.js";

const BLOCK_LIMIT = 2000;
const LINE_LENGTH = 80; // characters on a line of the article, to guess undrawn heights
const FIRST_DRAWN = 10000; // code points drawn at once; a few screens of text
const SLICE_MS = 8; // longest run of background drawing, so a key press waits half a frame at most

/**
 * @typedef {{id: string, kind: "entity"|"trigger", start: number, end: number, label: string,
 *            score?: number|null, accepted?: boolean, modelLabel?: string|null}} Item
 */

/** Run `run` when the browser is idle (soon, where it cannot tell). */
export const whenIdle = globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 1));

/** An article drawn in `container`, repainted block by block. */
export class ArticleView {
  /**
   * @param {HTMLElement} container
   * @param {string} text
   * @param {{types: Record<string, {name: string, color: string}>, sentences?: number[][],
   *          offsets?: OffsetMap}} options (`offsets`: the text's, if the caller has it)
   */
  constructor(container, text, { types, sentences = null, offsets = new OffsetMap(text) }) {
    this.container = container;
    this.offsets = offsets;
    this.types = types;
    this.blocks = blockBounds(text, this.offsets.length, sentences);
    this.elements = [];
    this.marks = new Map(); // item id -> the marks drawn for it, so decorating needs no query
    this.decorations = { selected: null, focused: null, roles: new Map() };
    this.items = []; // what the blocks show, or will once drawn
    this.pending = new Set(); // indexes of the blocks still shown as plain text
    this.byBlock = null; // the items of each block, for drawing pending ones; null when stale
    this.watcher = null; // draws pending paragraphs as they come near the screen
    this.painted = 0; // counts paints, so background drawing stops once a newer paint began
  }

  /** Draw every block with `items`, blocks grouped in paragraphs; a long article's later blocks soon after. */
  paint(items) {
    this.items = items;
    this.byBlock = null;
    this.painted++;
    this.pending.clear();
    this.watcher?.disconnect();
    const fragment = document.createDocumentFragment();
    let paragraph = null;
    this.elements = this.blocks.map(([start, end, opensParagraph], index) => {
      if (opensParagraph || !paragraph) {
        paragraph = document.createElement("div");
        paragraph.className = "paragraph";
        paragraph.style.setProperty("--lines", String(this.linesFrom(index)));
        fragment.append(paragraph);
      }
      const element = document.createElement("span");
      element.className = "block";
      element.dataset.start = String(start);
      element.dataset.end = String(end);
      if (start < FIRST_DRAWN) this.fill(element, start, end, this.itemsOf(index));
      else {
        element.textContent = this.offsets.slice(start, end);
        this.pending.add(index);
      }
      paragraph.append(element);
      return element;
    });
    this.container.replaceChildren(fragment);
    this.applyDecorations(this.decorations);
    if (this.pending.size) this.drawLater();
    else performance.mark("goldset-article-drawn");
  }

  /** The items to draw in block `index`, from `this.items`. */
  itemsOf(index) {
    if (!this.byBlock) {
      this.byBlock = this.blocks.map(() => []);
      for (const item of this.items) {
        for (let at = this.blockAt(item.start); at < this.blocks.length; at++) {
          if (this.blocks[at][0] >= item.end) break;
          this.byBlock[at].push(item);
        }
      }
    }
    return this.byBlock[index];
  }

  /** Draw the pending blocks: those near the screen first, the others while the browser is idle. */
  drawLater() {
    const paragraphs = new Set([...this.pending].map((index) => this.elements[index].parentElement));
    this.watcher = new IntersectionObserver(
      (entries) => {
        const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
        for (const paragraph of near) this.watcher.unobserve(paragraph);
        this.drawBlocks([...this.pending].filter((index) => near.includes(this.elements[index].parentElement)));
      },
      { rootMargin: "100% 0px" },
    );
    for (const paragraph of paragraphs) this.watcher.observe(paragraph);
    const painted = this.painted;
    const slice = () => {
      if (painted !== this.painted) return;
      const until = performance.now() + SLICE_MS;
      const batch = [];
      for (const index of this.pending) {
        batch.push(index);
        if (batch.length >= 8) {
          this.drawBlocks(batch.splice(0));
          if (performance.now() > until) break;
        }
      }
      this.drawBlocks(batch);
      if (this.pending.size) whenIdle(slice);
      else {
        this.watcher.disconnect();
        performance.mark("goldset-article-drawn");
      }
    };
    whenIdle(slice);
  }

  /** Draw the pending blocks among `indexes` now. */
  drawBlocks(indexes) {
    const drawn = indexes.filter((index) => this.pending.delete(index));
    for (const index of drawn) {
      const [start, end] = this.blocks[index];
      this.fill(this.elements[index], start, end, this.itemsOf(index));
    }
    if (drawn.length) this.applyDecorations(this.decorations);
  }

  /** Draw now the pending blocks that [start, end) touches. */
  drawRange(start, end) {
    if (!this.pending.size) return;
    const indexes = [];
    for (let index = this.blockAt(start); index < this.blocks.length; index++) {
      if (this.blocks[index][0] >= Math.max(end, start + 1)) break;
      indexes.push(index);
    }
    this.drawBlocks(indexes);
  }

  /** About how many lines the paragraph opening at block `index` takes, until it is drawn. */
  linesFrom(index) {
    let end = index + 1;
    while (end < this.blocks.length && !this.blocks[end][2]) end++;
    const characters = this.blocks[end - 1][1] - this.blocks[index][0];
    return Math.ceil(characters / LINE_LENGTH) + 1;
  }

  /** Repaint the blocks that any of `ranges` ([start, end) pairs) touches. */
  update(items, ranges) {
    const touched = new Set();
    for (const [start, end] of ranges) {
      for (let index = this.blockAt(start); index < this.blocks.length; index++) {
        if (this.blocks[index][0] >= Math.max(end, start + 1)) break;
        touched.add(index);
      }
    }
    this.items = items;
    this.byBlock = null;
    if (touched.size === 0) return;
    for (const index of touched) {
      const [start, end] = this.blocks[index];
      const inside = items.filter((item) => item.start < end && item.end > start);
      this.pending.delete(index);
      this.fill(this.elements[index], start, end, inside);
    }
    this.applyDecorations(this.decorations);
  }

  fill(element, start, end, items) {
    for (const mark of element.querySelectorAll("mark[data-id]")) this.marks.get(mark.dataset.id)?.delete(mark);
    const clipped = items.map((item) => ({
      item,
      start: Math.max(item.start, start) - start,
      end: Math.min(item.end, end) - start,
    }));
    const nodes = layoutSpans(end - start, clipped).map((piece) => this.renderPiece(piece, start));
    element.replaceChildren(...nodes);
  }

  renderPiece(piece, base) {
    const start = piece.start + base;
    const end = piece.end + base;
    if (piece.kind === "text") return document.createTextNode(this.offsets.slice(start, end));
    const { item } = piece.span;
    if (item.kind === "candidate") return this.renderCandidate(piece, item, start, end, base);
    const type = this.types[item.label] ?? { name: item.label, color: "#dddddd" };
    const mark = document.createElement("mark");
    mark.className = item.kind === "trigger" ? "entity trigger" : "entity";
    if (item.accepted === false) mark.classList.add("pending");
    mark.dataset.kind = item.kind ?? "entity";
    if (item.id != null) {
      mark.dataset.id = String(item.id);
      if (!this.marks.has(mark.dataset.id)) this.marks.set(mark.dataset.id, new Set());
      this.marks.get(mark.dataset.id).add(mark);
    }
    mark.dataset.start = String(item.start);
    mark.dataset.end = String(item.end);
    mark.dataset.label = item.label;
    if (start > item.start || end < item.end) mark.dataset.fragment = "true";
    if (end === item.end) mark.dataset.tail = "true";
    mark.style.setProperty("--entity-color", type.color);
    mark.title = describeSpan(item, type);
    if (item.disputed) {
      mark.classList.add("disputed");
      mark.title += `; ${item.disputed}`;
    }
    for (const child of piece.children) mark.append(this.renderPiece(child, base));
    return mark;
  }

  /**
   * An item the gold editor shows besides the layer (see review.js): outlined, without the
   * data-id and data-label of the layer's own marks, its label in data-candidate.
   */
  renderCandidate(piece, item, start, end, base) {
    const type = this.types[item.label] ?? { name: item.label, color: "#dddddd" };
    const mark = document.createElement("mark");
    mark.className = "candidate";
    mark.dataset.kind = "candidate";
    mark.dataset.candidate = item.label;
    mark.dataset.start = String(item.start);
    mark.dataset.end = String(item.end);
    if (end === item.end) mark.dataset.tail = "true";
    mark.style.setProperty("--entity-color", type.color);
    mark.title = item.title ?? item.label;
    for (const child of piece.children) mark.append(this.renderPiece(child, base));
    return mark;
  }

  /** Index of the block holding code point `offset`. */
  blockAt(offset) {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid][0] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Marks drawn for item `id` (several when it is cut into fragments), drawn now if pending. */
  marksOf(id) {
    if (id != null && this.pending.size) {
      const item = this.items.find((candidate) => candidate.id != null && String(candidate.id) === String(id));
      if (item) this.drawRange(item.start, item.end);
    }
    const marks = id == null ? null : this.marks.get(String(id));
    if (!marks) return [];
    return [...marks].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  /**
   * Show which item is selected, which event is focused and which spans fill its roles.
   * @param {{selected: string|null, focused: string|null, roles: Map<string, string[]>}} next
   */
  decorate(next) {
    const previous = this.decorations;
    this.decorations = next;
    this.clearDecorations(previous);
    this.applyDecorations(next);
  }

  clearDecorations({ selected, focused, roles }) {
    for (const mark of this.marksOf(selected)) mark.classList.remove("selected");
    for (const mark of this.marksOf(focused)) mark.classList.remove("focused");
    for (const id of roles.keys()) {
      for (const mark of this.marksOf(id)) delete mark.dataset.role;
    }
  }

  applyDecorations({ selected, focused, roles }) {
    for (const mark of this.marksOf(selected)) mark.classList.add("selected");
    for (const mark of this.marksOf(focused)) mark.classList.add("focused");
    for (const [id, names] of roles) {
      const marks = this.marksOf(id);
      if (marks.length) marks[0].dataset.role = names.join(", ");
    }
  }

  /** The code point offset of a DOM point (`node`, `offset`) inside the article, or null. */
  offsetOf(node, offset) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = element?.closest(".block");
    if (!block || !this.container.contains(block)) return null;
    const range = document.createRange();
    range.setStart(block, 0);
    range.setEnd(node, offset);
    const base = this.offsets.toUtf16(Number(block.dataset.start));
    return this.offsets.toCodePoint(base + range.toString().length);
  }

  /** A DOM range over code points [start, end), its blocks drawn first (drawing would detach it). */
  rangeOf(start, end) {
    this.drawRange(start, end);
    const range = document.createRange();
    const [startNode, startOffset] = this.pointAt(start, false);
    const [endNode, endOffset] = this.pointAt(end, true);
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    return range;
  }

  pointAt(offset, isEnd) {
    const index = this.blockAt(isEnd ? Math.max(offset - 1, 0) : offset);
    const block = this.elements[index];
    let remaining = this.offsets.toUtf16(offset) - this.offsets.toUtf16(this.blocks[index][0]);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (remaining < node.length || (isEnd && remaining === node.length)) return [node, remaining];
      remaining -= node.length;
      last = node;
    }
    return last ? [last, last.length] : [block, 0];
  }
}

/**
 * Cut [0, length) into blocks: [start, end, opensParagraph]. A paragraph runs up to the end
 * of the line breaks after it and is drawn as a block-level element, which the browser lays
 * out on its own (and not at all while it is off screen); inside it, blocks end at sentence
 * starts and are never longer than BLOCK_LIMIT, so an edit repaints little text.
 */
export function blockBounds(text, length, sentences) {
  const paragraphStarts = new Set([0]);
  let offset = 0;
  let previous = "";
  for (const character of text) {
    if (previous === "\n" && character !== "\n") paragraphStarts.add(offset);
    previous = character;
    offset++;
  }
  const starts = new Set(paragraphStarts);
  for (const [start] of sentences ?? []) if (start > 0 && start < length) starts.add(start);
  const sorted = [...starts].sort((a, b) => a - b);
  const blocks = [];
  sorted.forEach((start, index) => {
    const end = index + 1 < sorted.length ? sorted[index + 1] : length;
    for (let from = start; from < end; from += BLOCK_LIMIT) {
      blocks.push([from, Math.min(from + BLOCK_LIMIT, end), from === start && paragraphStarts.has(start)]);
    }
  });
  return blocks.length ? blocks : [[0, 0, true]];
}

/**
 * Replace the content of `container` with `text`, highlighting `spans` (read-only pages).
 * @param {HTMLElement} container
 * @param {string} text
 * @param {Item[]} spans
 * @param {Record<string, {name: string, color: string}>} types
 */
export function renderArticle(container, text, spans, types, sentences = null) {
  const view = new ArticleView(container, text, { types, sentences });
  view.paint(spans);
  return view;
}

/** A tooltip such as "GPE (Geo-Political Entity), model label PERSON, from gold in 3 documents, score 0.93". */
export function describeSpan(span, type) {
  const name = type.name === span.label ? span.label : `${span.label} (${type.name})`;
  const parts = [span.kind === "trigger" ? `event trigger ${name}` : name];
  if (span.modelLabel && span.modelLabel !== span.label) parts.push(`model label ${span.modelLabel}`);
  if (span.fromGold) parts.push(`from gold in ${span.fromGold} document${span.fromGold === 1 ? "" : "s"}`);
  if (typeof span.score === "number") parts.push(`score ${span.score.toFixed(2)}`);
  if (span.accepted === false) parts.push("not yet accepted");
  return parts.join(", ");
}

/**
 * Give every element with a `data-entity-color` attribute (legend swatches, label buttons)
 * that colour as `--entity-color`, through CSSOM: the Content-Security-Policy refuses
 * `style` attributes in the page's HTML.
 */
export function paintEntityColors(root = document) {
  for (const element of root.querySelectorAll("[data-entity-color]")) {
    element.style.setProperty("--entity-color", element.dataset.entityColor);
  }
}
