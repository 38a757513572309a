// Relation type chooser: the sidebar's relation palette, for the relation being drawn (after
// "-" on an entity) or the selected relation. Like the event palette: type to filter, ↑/↓ to
// choose, Enter (or a click) to apply; and, while the search is empty, a type's hotkey applies
// it at once (its key is shown on its button, its colour beside it).

import { hotkeyMap } from "./keyboard.js";
import { paletteOrder } from "./palette.js";

/** {hotkey: type key} of the relation types (schema.relationTypes) that have a hotkey. */
export { hotkeyMap as relationHotkeys };

/**
 * What a key press in the chooser's search box means, given what is typed (`query`):
 * {name: "apply", type} for a hotkey while nothing is typed; "step" (↑/↓), "apply-active"
 * (Enter), "cancel" (Esc); null lets the key type into the search.
 */
export function chooserCommand(press, query, hotkeys) {
  if (press.key === "ArrowDown" || press.key === "ArrowUp") return { name: "step", step: press.key === "ArrowDown" ? 1 : -1 };
  if (press.key === "Enter") return { name: "apply-active" };
  if (press.key === "Escape") return { name: "cancel" };
  const plain = !(press.ctrlKey || press.metaKey || press.altKey || press.shiftKey);
  const type = hotkeys[press.key.toLowerCase()];
  if (plain && query === "" && type) return { name: "apply", type };
  return null;
}

/** The relation palette of the annotate page. */
export class RelationChooser {
  /**
   * @param {{palette: HTMLElement, filter: HTMLInputElement, status: HTMLElement,
   *          types: Record<string, {name: string, color?: string, hotkey?: string}>,
   *          onChoose: (type: string) => void, onCancel: () => void}} options
   */
  constructor({ palette, filter, status, types, onChoose, onCancel }) {
    this.filter = filter;
    this.status = status;
    this.onChoose = onChoose;
    this.buttons = new Map(
      [...palette.querySelectorAll("button[data-relation-type]")].map((button) => [button.dataset.relationType, button]),
    );
    this.types = [...this.buttons.keys()].map((key) => ({ key, name: types[key]?.name ?? "" }));
    this.hotkeys = hotkeyMap(types);
    this.shown = [];
    this.active = 0;
    for (const [key, button] of this.buttons) {
      const { color, hotkey } = types[key] ?? {};
      if (color) button.style.setProperty("--arc-color", color);
      if (hotkey && !button.querySelector(".relation-hotkey")) {
        const badge = document.createElement("kbd");
        badge.className = "relation-hotkey";
        badge.textContent = hotkey.toUpperCase();
        button.append(" ", badge);
        button.setAttribute("aria-keyshortcuts", hotkey.toUpperCase());
        // The name begins with what the button shows (its key and hotkey), then says the type's name.
        button.setAttribute("aria-label", `${key} ${badge.textContent}: ${types[key].name}`);
      }
    }
    palette.addEventListener("click", (click) => {
      const button = click.target.closest("button[data-relation-type]");
      if (button) this.apply(button.dataset.relationType);
    });
    filter.addEventListener("input", () => this.show(filter.value));
    filter.addEventListener("keydown", (press) => {
      const command = chooserCommand(press, filter.value, this.hotkeys);
      if (!command) return;
      press.preventDefault();
      if (command.name === "apply") this.apply(command.type);
      else if (command.name === "apply-active") {
        const chosen = this.shown[this.active];
        if (chosen) this.apply(chosen);
      } else if (command.name === "step") {
        const count = Math.max(this.shown.length, 1);
        this.show(filter.value || " ", (this.active + command.step + count) % count);
      } else {
        this.clear();
        onCancel();
      }
    });
    this.show("");
  }

  /** Show the types matching `query`, the `chosen`-th of them active (Enter applies it). */
  show(query, chosen = 0) {
    this.shown = paletteOrder(this.types, [], query);
    this.active = Math.max(0, Math.min(chosen, this.shown.length - 1));
    const order = new Map(this.shown.map((type, index) => [type, index]));
    for (const [type, button] of this.buttons) {
      button.hidden = !order.has(type);
      button.style.setProperty("order", String(order.get(type) ?? 0));
      button.classList.toggle("active", Boolean(query) && order.get(type) === this.active);
    }
    const active = query && this.shown[this.active];
    const count = `${this.shown.length} type${this.shown.length === 1 ? "" : "s"}`;
    this.status.textContent = query ? `${count}${active ? `; Enter applies ${active}` : ""}` : "";
  }

  clear() {
    this.filter.value = "";
    this.show("");
  }

  apply(type) {
    this.clear();
    this.onChoose(type);
  }
}
