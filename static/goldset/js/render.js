// Render: draw an article with its entity spans as nested <mark> elements.
//
// Text is only ever inserted with text nodes, never as HTML. Each mark carries the span's
// code point offsets (data-start, data-end) and label (data-label).

import { layoutSpans } from "./layout.js";
import { OffsetMap } from "./offsets.js";

/**
 * Replace the content of `container` with `text`, highlighting `spans`.
 * @param {HTMLElement} container
 * @param {string} text
 * @param {{start: number, end: number, label: string, score?: number|null, kind?: string}[]} spans
 * @param {Record<string, {name: string, color: string}>} types
 */
export function renderArticle(container, text, spans, types) {
  const offsets = new OffsetMap(text);
  const fragment = document.createDocumentFragment();
  for (const piece of layoutSpans(offsets.length, spans)) {
    fragment.append(renderPiece(piece, offsets, types));
  }
  container.replaceChildren(fragment);
}

function renderPiece(piece, offsets, types) {
  if (piece.kind === "text") return document.createTextNode(offsets.slice(piece.start, piece.end));
  const { span } = piece;
  const type = types[span.label] ?? { name: span.label, color: "#dddddd" };
  const mark = document.createElement("mark");
  mark.className = span.kind === "trigger" ? "entity trigger" : "entity";
  if (span.kind) mark.dataset.kind = span.kind;
  mark.dataset.start = String(span.start);
  mark.dataset.end = String(span.end);
  mark.dataset.label = span.label;
  mark.dataset.depth = String(piece.depth);
  if (piece.fragment) mark.dataset.fragment = "true";
  mark.style.setProperty("--entity-color", type.color);
  mark.title = describeSpan(span, type);
  for (const child of piece.children) mark.append(renderPiece(child, offsets, types));
  const tag = document.createElement("span");
  tag.className = "entity-tag";
  tag.setAttribute("aria-hidden", "true");
  tag.textContent = span.label;
  mark.append(tag);
  return mark;
}

/** A tooltip such as "GPE (Geo-Political Entity), model label GPE, score 0.93". */
export function describeSpan(span, type) {
  const name = type.name === span.label ? span.label : `${span.label} (${type.name})`;
  const parts = [span.kind === "trigger" ? `event trigger ${name}` : name];
  if (span.modelLabel && span.modelLabel !== span.label) parts.push(`model label ${span.modelLabel}`);
  if (typeof span.score === "number") parts.push(`score ${span.score.toFixed(2)}`);
  return parts.join(", ");
}
