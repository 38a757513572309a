// Keyboard: which editor command a key press means, and the list the "?" overlay shows.
//
// Pure: takes a KeyboardEvent-like object and the schema's hotkeys, returns a command
// ({name, ...}) or null. The editor decides what a command does in its current state.

/** Every shortcut, grouped as the help overlay lists them. Hotkeys of labels are added there. */
export const SHORTCUTS = [
  ["Selecting", [
    ["→ / ←", "Select the next / previous token"],
    ["Home / End", "Select the first / last token of the article"],
    ["Shift+→ / Shift+←", "Extend or shrink the selection (or the selected span's end) by a token"],
    ["Alt+Shift+← / Alt+Shift+→", "Grow or shrink the selected span's start by a token"],
    ["Tab / Shift+Tab", "Select the next / previous entity or trigger"],
    ["Drag with the mouse", "Select text; it snaps to whole tokens"],
    ["Alt while dragging", "Select exact characters, without snapping"],
    ["Esc", "Clear the selection, or cancel choosing a role"],
  ]],
  ["Labelling", [
    ["Entity hotkey", "Label the selection, or relabel the selected span"],
    ["*", "Give every other occurrence of the selected entity's text its label (unlabelled ones, and those with the label it just had)"],
    ["Event hotkey, or E", "Make the selection an event trigger of a type (E: search the types)"],
    ["Delete / Backspace", "Remove the selected entity or event"],
    ["A", "Accept the selected prediction"],
    ["Shift+A", "Accept all predictions"],
  ]],
  ["Event roles", [
    ["R, then 1–9", "Choose a role of the focused event"],
    ["Enter", "Fill the chosen role with the selected entity (or the selected text)"],
    ["Click an entity", "Fill the chosen role with it"],
    [".", "Go to the event's attributes and roles (Esc comes back to the text)"],
  ]],
  ["Notes and document labels", [
    ["Shift+N", "Write a note on the selected entity, trigger or relation (Esc or Ctrl+Enter keeps it and comes back)"],
    ["Shift+L", "Go to the document's labels and comments (Esc comes back to the text)"],
    ["Ctrl+Enter (in a comment)", "Post the comment"],
  ]],
  ["Relations", [
    ["-", "Start a relation from the selected entity: type to find its type, ↑ / ↓, Enter"],
    ["Tab / Shift+Tab, then Enter", "Choose the relation's target among the entities"],
    ["Click an entity", "Make it the target of the relation being drawn"],
    ["Click an arc", "Select the relation (or pick it in the Relations list)"],
    ["~", "Reverse the selected relation"],
    ["- (relation selected)", "Give the selected relation another type"],
    ["Delete / Backspace", "Remove the selected relation"],
    ["Esc", "Stop drawing the relation"],
  ]],
  ["Saving", [
    ["Ctrl+Z", "Undo"],
    ["Ctrl+Shift+Z / Ctrl+Y", "Redo"],
    ["Ctrl+Enter", "Submit and go to the next document"],
    ["?", "Show or hide this list"],
  ]],
];

/**
 * The command a key press means.
 * @param {{key: string, ctrlKey?: boolean, metaKey?: boolean, shiftKey?: boolean, altKey?: boolean}} press
 * @param {{entityKeys: Record<string, string>, eventKeys: Record<string, string>, mode?: string}} context
 */
export function commandFor(press, context) {
  const { key } = press;
  const control = Boolean(press.ctrlKey || press.metaKey);
  const shift = Boolean(press.shiftKey);
  const alt = Boolean(press.altKey);
  if (control) {
    const lower = key.toLowerCase();
    if (lower === "z") return { name: shift ? "redo" : "undo" };
    if (lower === "y") return { name: "redo" };
    if (key === "Enter") return { name: "submit" };
    return null;
  }
  switch (key) {
    case "ArrowRight":
    case "ArrowLeft": {
      const step = key === "ArrowRight" ? 1 : -1;
      if (alt && shift) return { name: "move-start", step };
      if (shift) return { name: "move-end", step };
      if (alt) return null;
      return { name: "cursor", step };
    }
    case "Home":
    case "End":
      return { name: "cursor-edge", step: key === "Home" ? -1 : 1 };
    case "Tab":
      return { name: "next-item", step: shift ? -1 : 1 };
    case "Escape":
      return { name: "escape" };
    case "Enter":
      return { name: "confirm" };
    case "Delete":
    case "Backspace":
      return { name: "delete" };
    case "?":
      return { name: "help" };
    case ".":
      return { name: "panel" };
    case "*":
      return { name: "label-all" };
    case "-":
      return { name: "link" };
    case "~":
      return { name: "reverse" };
    default:
  }
  if (alt) return null;
  if (context.mode === "role" && /^[1-9]$/.test(key)) return { name: "role", index: Number(key) - 1 };
  const lower = key.toLowerCase();
  // Shift+letters are never hotkeys of the schema's types (those are unshifted).
  if (shift && lower === "n") return { name: "note" };
  if (shift && lower === "l") return { name: "document" };
  if (!shift && context.entityKeys[lower]) return { name: "entity", label: context.entityKeys[lower] };
  if (!shift && context.eventKeys[lower]) return { name: "event", type: context.eventKeys[lower] };
  if (lower === "a") return { name: shift ? "accept-all" : "accept" };
  if (lower === "e" && !shift) return { name: "event-picker" };
  if (lower === "r" && !shift) return { name: "role-picker" };
  return null;
}

/** Hotkey maps of a schema: {key: label} for entity types and for event types. */
export function hotkeysOf(schema) {
  return { entityKeys: hotkeyMap(schema.entityTypes), eventKeys: hotkeyMap(schema.eventTypes) };
}

/** {hotkey: type key} of the `types` (a schema's entity, event or relation types) that have one. */
export function hotkeyMap(types) {
  return Object.fromEntries(
    Object.entries(types)
      .filter(([, type]) => type.hotkey)
      .map(([label, type]) => [type.hotkey.toLowerCase(), label]),
  );
}
