// Arcs: the layer's relations (and, when asked, event arguments) drawn as SVG arcs over the article.
//
// The SVG sits in the article's parent, absolutely positioned over it, so the article's text
// content stays exactly the document text. Arc ends are read from the marks render.js draws
// (`mark[data-id]`, the first fragment of each item); where arcs run and where their labels
// go is arc-geometry.js (no arc crosses the text, no two labels overlap). A relation's arc is
// drawn in its type's colour (`--arc-color`, set through the CSSOM: the CSP forbids inline
// styles) and its label always names the type, so types are never told apart by colour
// alone. Every label is drawn over every arc. Redrawn at most once a frame: after a change,
// and when the article's size or content changes (a resize, render.js drawing blocks later).

import { arcLayout, LABEL_HEIGHT } from "./arc-geometry.js";

export { arcLayout, arcLevels, arcPath, bracketPath, labelPlaces, levelsIn } from "./arc-geometry.js";

const SVG = "http://www.w3.org/2000/svg";

/** The arcs drawn over one article. */
export class ArcLayer {
  /**
   * @param {HTMLElement} article the element render.js draws the marks in
   * @param {{onSelect: (id: string) => void, colours?: Record<string, string>}} options
   *   `onSelect` gets a relation arc's id ("r:7"); `colours` maps relation types to colours
   */
  constructor(article, { onSelect, colours = {} }) {
    this.article = article;
    this.host = article.parentElement;
    this.colours = colours;
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.classList.add("arcs");
    this.svg.setAttribute("aria-hidden", "true"); // the sidebar's Relations list says the same
    this.host.append(this.svg);
    this.arcs = [];
    this.signature = "";
    this.frame = 0;
    this.measure = null;
    this.svg.addEventListener("click", (click) => {
      const arc = click.target.closest("[data-arc]");
      if (arc?.dataset.kind === "relation") onSelect(arc.dataset.arc);
    });
    const schedule = () => this.schedule();
    new ResizeObserver(schedule).observe(article);
    new MutationObserver(schedule).observe(article, { childList: true, subtree: true });
  }

  /** Draw `arcs` (see items.js arcsOf) from the next frame on. */
  show(arcs) {
    // A key press that changes no arc (moving the cursor, say) costs no redraw.
    const signature = arcs.map((arc) => `${arc.id} ${arc.from} ${arc.to} ${arc.label} ${arc.selected}`).join("\n");
    if (signature === this.signature) return;
    this.signature = signature;
    this.arcs = arcs;
    // Room between the lines for the arcs (relations.css), only while there are some.
    this.host.classList.toggle("has-arcs", arcs.length > 0);
    this.schedule();
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  draw() {
    if (!this.arcs.length) {
      this.svg.replaceChildren();
      return;
    }
    const origin = this.host.getBoundingClientRect();
    this.svg.setAttribute("width", String(this.host.scrollWidth));
    this.svg.setAttribute("height", String(this.host.scrollHeight));
    const wanted = new Set(this.arcs.flatMap((arc) => [arc.from, arc.to]));
    const ends = new Map();
    let markHeight = 0;
    for (const mark of this.article.querySelectorAll("mark[data-id]")) {
      const id = mark.dataset.id;
      if (!wanted.has(id) || ends.has(id)) continue;
      const rect = mark.getClientRects()[0];
      if (rect && (rect.width || rect.height)) {
        ends.set(id, { x: rect.left + rect.width / 2 - origin.left, y: rect.top - origin.top });
        markHeight = Math.max(markHeight, rect.height);
      }
    }
    const text = this.article.getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(this.article).lineHeight) || markHeight * 2;
    const layout = arcLayout(this.arcs, ends, {
      lineHeight,
      room: lineHeight - markHeight,
      left: text.left - origin.left,
      right: text.right - origin.left,
      labelWidth: (label) => this.labelWidth(label),
    });
    const drawn = layout.map((route) => this.elements(route));
    // The selected arc last, so it is drawn over the others; the labels over every arc.
    drawn.sort(([a], [b]) => a.classList.contains("selected") - b.classList.contains("selected"));
    this.svg.replaceChildren(...drawn.map(([line]) => line), ...drawn.map(([, label]) => label));
  }

  /** The width of a label's text, px, as the labels' font draws it. */
  labelWidth(label) {
    if (!this.measure) {
      const style = getComputedStyle(this.svg);
      const size = parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.7;
      this.measure = document.createElement("canvas").getContext("2d");
      this.measure.font = `600 ${size}px ${style.fontFamily}`;
    }
    return this.measure.measureText(label).width;
  }

  /** The arc's line (a group: path, arrowhead) and its label (a tag: box and text). */
  elements({ arc, d, arrow, label }) {
    const classes = `arc ${arc.kind}${arc.selected ? " selected" : ""}`;
    const data = { "data-arc": arc.id, "data-kind": arc.kind };
    const group = svgElement("g", { class: classes, ...data });
    const title = svgElement("title", {});
    title.textContent = arc.label;
    group.append(
      title,
      svgElement("path", { class: "arc-hit", d }),
      svgElement("path", { class: "arc-line", d }),
      svgElement("path", { class: "arc-arrow", d: arrow }),
    );
    const tag = svgElement("g", { class: `${classes} arc-tag` });
    const box = svgElement("rect", {
      class: "arc-box", x: label.x - label.width / 2, y: label.y - LABEL_HEIGHT / 2,
      width: label.width, height: LABEL_HEIGHT, rx: 3, ...data,
    });
    const name = svgElement("text", {
      class: `${classes} arc-label`, x: label.x, y: label.y, "text-anchor": "middle", "dominant-baseline": "central", ...data,
    });
    name.textContent = arc.label;
    tag.append(box, name);
    const colour = arc.kind === "relation" ? this.colours[arc.label] : null;
    if (colour) {
      group.style.setProperty("--arc-color", colour);
      tag.style.setProperty("--arc-color", colour);
    }
    return [group, tag];
  }
}

function svgElement(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}
