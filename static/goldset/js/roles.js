// Roles: fill the role slots of the focused event — choose a role, then an entity or new text.
//
// Part of the editor (editor.js), kept apart: it reads and changes the editor's state and
// selection through `this.editor`.

import { TRIGGER } from "./items.js";
import * as edit from "./state.js";
import { historyPush } from "./history.js";

/** The role-filling commands of one editor. */
export class RoleFilling {
  constructor(editor) {
    this.editor = editor;
  }

  /** Enter "choose a role by number" mode for the focused event. */
  chooseRoleMode() {
    const { editor } = this;
    if (editor.ui.focused == null) return editor.notify("Select an event trigger first.", "error");
    editor.setUi({ mode: "role" });
    return editor.notify("Press the number of the role to fill.");
  }

  /** Wait for a filler of role `role` of the focused event. */
  chooseRole(role) {
    const { editor } = this;
    const event = editor.state.events.get(editor.ui.focused);
    const slot = event && edit.roleOf(editor.schema, event.type, role);
    if (!slot) return;
    editor.setUi({ role, mode: "normal" });
    const allowed = slot.entityTypes.length ? slot.entityTypes.join(", ") : "any entity";
    editor.notify(`Fill ${role} (${allowed}): click an entity, or select it with Tab or new text and press Enter.`);
  }

  /** Fill the waiting role with entity `key`. */
  fillRole(key) {
    const { editor } = this;
    const role = editor.ui.role;
    const next = editor.attempt(() => edit.roleFill(editor.state, editor.schema, editor.ui.focused, role, key));
    if (!next) return;
    editor.ui = { ...editor.ui, role: null, selected: { kind: "trigger", key: editor.ui.focused, id: TRIGGER + editor.ui.focused } };
    editor.commit(next, `fill ${role}`);
    editor.notify(`${role} filled.`);
  }

  /** Fill the waiting role with the text selection, made an entity of `label` (or the role's only type). */
  fillWithSelection(label = null) {
    const { editor } = this;
    const event = editor.state.events.get(editor.ui.focused);
    const slot = event && edit.roleOf(editor.schema, event.type, editor.ui.role);
    const range = editor.ui.selection && [editor.ui.selection.start, editor.ui.selection.end];
    if (!slot || !range) return;
    const existing = [...editor.state.spans.entries()].find(
      ([, span]) => span.start === range[0] && span.end === range[1] && (!label || span.label === label) && (!slot.entityTypes.length || slot.entityTypes.includes(span.label)),
    );
    if (existing) return this.fillRole(existing[0]);
    const type = label ?? (slot.entityTypes.length === 1 ? slot.entityTypes[0] : null);
    if (!type) {
      return editor.notify(`${slot.key} takes ${slot.entityTypes.join(", ")}: press one of their hotkeys.`);
    }
    if (slot.entityTypes.length && !slot.entityTypes.includes(type)) {
      return editor.notify(`Role ${slot.key} of ${event.type} takes ${slot.entityTypes.join(", ")}, not ${type}.`, "error");
    }
    const before = editor.history;
    const key = editor.addSpan(range, type);
    if (key == null) return undefined;
    const filled = editor.attempt(() => edit.roleFill(editor.state, editor.schema, event.id, slot.key, key));
    if (!filled) return undefined;
    // One undo step for "create the entity and fill the role".
    editor.ui = { ...editor.ui, role: null, selected: { kind: "trigger", key: edit.key(event.id), id: TRIGGER + edit.key(event.id) } };
    editor.commit(filled, `fill ${slot.key}`, historyPush(before, filled, `fill ${slot.key}`));
    return editor.notify(`${slot.key} filled with a new ${type}.`);
  }

  /** Confirm (Enter): fill the waiting role with the selected entity or the selected text. */
  confirm() {
    const { editor } = this;
    if (!editor.ui.role) return;
    const selected = editor.ui.selected;
    if (selected?.kind === "entity") this.fillRole(selected.key);
    else if (editor.ui.selection) this.fillWithSelection();
    else editor.notify("Select the entity that fills the role first.", "error");
  }
}
