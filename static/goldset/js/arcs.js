// Arcs: the layer's relations (and, when asked, event arguments) drawn as SVG arcs over the article.
//
// The SVG sits in the article's parent, absolutely positioned over it, so the article's text
// content stays exactly the document text. Arc ends are read from the marks render.js draws
// (`mark[data-id]`, the first fragment of each item); an arc whose end is not drawn is
// skipped. Each arc rises from the top of its head's mark and comes down with an arrowhead
// on its tail's, its label at the top; arcs are stacked by the text they span (shorter ones
// lower), so arcs that cross or nest part, and every label is drawn over every arc, so no
// arc hides another's label from the eye or the mouse. Redrawn at most once a frame: after a change, and
// when the article's size or content changes (a resize, render.js drawing blocks later).

const SVG = "http://www.w3.org/2000/svg";
const RISE = 9; // px from a mark's top to the lowest arc's top
const STEP = 5; // px between stacked arcs
const MAX_LEVEL = 5; // higher arcs share the top level
const ARROW = 4; // half the arrowhead's width, px

/**
 * The stacking level of each arc (0 lowest), by position in `arcs` ({start, end} in text
 * offsets): an arc is one above the highest shorter arc it overlaps.
 */
export function arcLevels(arcs) {
  const order = arcs.map((_, index) => index).sort((a, b) => arcs[a].end - arcs[a].start - (arcs[b].end - arcs[b].start) || a - b);
  const levels = new Array(arcs.length).fill(0);
  const placed = [];
  for (const index of order) {
    const { start, end } = arcs[index];
    let level = 0;
    for (const other of placed) {
      if (arcs[other].start < end && start < arcs[other].end) level = Math.max(level, levels[other] + 1);
    }
    levels[index] = Math.min(level, MAX_LEVEL);
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

/** The arcs drawn over one article. */
export class ArcLayer {
  /**
   * @param {HTMLElement} article the element render.js draws the marks in
   * @param {{onSelect: (id: string) => void}} options `onSelect` gets a relation arc's id ("r:7")
   */
  constructor(article, { onSelect }) {
    this.article = article;
    this.host = article.parentElement;
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.classList.add("arcs");
    this.svg.setAttribute("aria-hidden", "true"); // the sidebar's Relations list says the same
    this.host.append(this.svg);
    this.arcs = [];
    this.signature = "";
    this.frame = 0;
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
    for (const mark of this.article.querySelectorAll("mark[data-id]")) {
      const id = mark.dataset.id;
      if (!wanted.has(id) || ends.has(id)) continue;
      const rect = mark.getClientRects()[0];
      if (rect && (rect.width || rect.height)) {
        ends.set(id, { x: rect.left + rect.width / 2 - origin.left, y: rect.top - origin.top });
      }
    }
    const levels = arcLevels(this.arcs);
    const drawn = [];
    this.arcs.forEach((arc, index) => {
      const from = ends.get(arc.from);
      const to = ends.get(arc.to);
      if (!from || !to) return; // an end not drawn: nothing to point at
      drawn.push(arcElements(arc, from, to, levels[index]));
    });
    // The selected arc last, so it is drawn over the others; the labels over every arc.
    drawn.sort(([a], [b]) => a.classList.contains("selected") - b.classList.contains("selected"));
    this.svg.replaceChildren(...drawn.map(([line]) => line), ...drawn.map(([, label]) => label));
  }
}

/** The arc's line (a group: path, arrowhead) and its label, both carrying the arc's id. */
function arcElements(arc, from, to, level) {
  let [x1, x2] = [from.x, to.x];
  if (Math.abs(x2 - x1) < 2 * ARROW + 4) {
    // Nested or coinciding marks: part the ends so the arc has a width.
    const shift = ARROW + 2;
    [x1, x2] = x1 <= x2 ? [x1 - shift, x2 + shift] : [x1 + shift, x2 - shift];
  }
  const top = Math.min(from.y, to.y) - RISE - STEP * level;
  const { d, labelX, labelY } = arcPath(x1, from.y, x2, to.y, top);
  const classes = `arc ${arc.kind}${arc.selected ? " selected" : ""}`;
  const group = svgElement("g", { class: classes, "data-arc": arc.id, "data-kind": arc.kind });
  const title = svgElement("title", {});
  title.textContent = arc.label;
  group.append(
    title,
    svgElement("path", { class: "arc-hit", d }),
    svgElement("path", { class: "arc-line", d }),
    svgElement("path", { class: "arc-arrow", d: `M${x2 - ARROW},${to.y - 2 * ARROW} L${x2 + ARROW},${to.y - 2 * ARROW} L${x2},${to.y} Z` }),
  );
  const label = svgElement("text", {
    class: `${classes} arc-label`, x: labelX, y: labelY, "text-anchor": "middle", "data-arc": arc.id, "data-kind": arc.kind,
  });
  label.textContent = arc.label;
  return [group, label];
}

function svgElement(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}
