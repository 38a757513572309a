// Panels: the editor's sidebar — the selection, the focused event with its roles, the lists of
// events and relations, and the shortcut overlay. Each function redraws one panel from the
// editor's state.

import { SHORTCUTS } from "./keyboard.js";
import { whenIdle } from "./render.js";
import { key } from "./state.js";

/** Create an element with attributes (`on*` functions become listeners) and children. */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child != null && child !== false));
  return node;
}

function quoted(editor, start, end) {
  return `“${editor.offsets.slice(start, end)}”`;
}

function provenance(item) {
  const who = item.source === "model" ? "model" : "you";
  const taught = item.attributes?.from_gold;
  const learned = taught ? `, ${fromGold(taught)}` : "";
  const score = typeof item.score === "number" ? `, score ${item.score.toFixed(2)}` : "";
  return `${who}${learned}${score}${item.accepted ? "" : ", not yet accepted"}`;
}

/** Where a prediction's type came from: "from gold in 3 documents" (the corpus's model). */
export function fromGold(documents) {
  return `from gold in ${documents} document${documents === 1 ? "" : "s"}`;
}

/** The selected item (or text) and what can be done with it. */
export function drawSelection(root, editor) {
  const selected = editor.ui.selected;
  const item = editor.itemOf(selected);
  const relation = editor.ui.relation != null ? editor.state.relations.get(editor.ui.relation) : null;
  if (relation) {
    root.replaceChildren(
      element("p", { class: "selection-title" }, element("strong", {}, relation.type), " ", relationEnds(editor, relation)),
      element("p", { class: "meta" }, `Relation from ${provenance({ ...relation, accepted: true })}. - gives it another type.`),
      element("p", { class: "actions" },
        element("button", { type: "button", onclick: () => editor.linking.reverse(), "aria-keyshortcuts": "~" }, "Reverse (~)"),
        element("button", { type: "button", onclick: () => editor.deleteSelected() }, "Delete (Del)")),
    );
  } else if (item) {
    const label = selected.kind === "entity" ? item.label : item.type;
    root.replaceChildren(
      element("p", { class: "selection-title" },
        element("strong", {}, label), " ", quoted(editor, item.start, item.end)),
      element("p", { class: "meta" }, `${selected.kind === "entity" ? "Entity" : "Event trigger"} from ${provenance(item)}`),
      element("p", { class: "actions" },
        item.accepted ? null : element("button", { type: "button", onclick: () => editor.acceptSelected() }, "Accept (A)"),
        selected.kind === "entity"
          ? element("button", { type: "button", onclick: () => editor.labelAllOccurrences(), "aria-keyshortcuts": "*" }, "Label all occurrences (*)")
          : null,
        selected.kind === "entity" && Object.keys(editor.schema.relationTypes ?? {}).length
          ? element("button", { type: "button", class: "link-start", onclick: () => editor.linking.start(), "aria-keyshortcuts": "-" }, "Relation from here (-)")
          : null,
        element("button", { type: "button", onclick: () => editor.deleteSelected() }, "Delete (Del)")),
    );
  } else if (editor.ui.selection) {
    const { start, end } = editor.ui.selection;
    root.replaceChildren(
      element("p", { class: "selection-title" }, "Selected ", quoted(editor, start, end)),
      element("p", { class: "meta" }, "Press an entity hotkey, an event hotkey or E; Shift+→ extends it."),
    );
  } else {
    root.replaceChildren(element("p", { class: "empty" }, "Select text or press → to start; Tab steps through the entities."));
  }
}

/**
 * Redraw `root` with `draw`, giving the keyboard back to the control that had it (the one
 * with the same `data-focus-key`): redrawing replaces the controls.
 */
export function redrawKeepingFocus(root, draw) {
  const focusKey = root.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  draw();
  if (focusKey) root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

/** The focused event: type, trigger, attributes and role slots with their fillers. */
export function drawEvent(root, editor) {
  redrawKeepingFocus(root, () => drawEventControls(root, editor));
}

function drawEventControls(root, editor) {
  const eventKey = editor.ui.focused;
  const event = eventKey != null ? editor.state.events.get(eventKey) : null;
  root.hidden = !event;
  if (!event) return root.replaceChildren();
  const type = editor.schema.eventTypes[event.type];
  const attributes = editor.schema.eventAttributes.map((attribute) =>
    element("label", { title: attribute.description },
      attribute.name,
      element("select", {
        dataset: { attribute: attribute.key, focusKey: `attribute:${attribute.key}` },
        onchange: (change) => editor.setAttribute(eventKey, attribute.key, change.target.value),
      }, ...attribute.values.map((value) =>
        element("option", { value, selected: (event.attributes[attribute.key] ?? attribute.default) === value }, value)))),
  );
  const slots = type.roles.map((role, index) => {
    const fillers = event.arguments
      .map((argument, at) => ({ argument, at }))
      .filter(({ argument }) => argument.role === role.key);
    return element("li", { class: editor.ui.role === role.key ? "role choosing" : "role", dataset: { role: role.key } },
      element("button", {
        type: "button", class: "role-choose", title: role.description, dataset: { focusKey: `role:${role.key}` },
        "aria-pressed": editor.ui.role === role.key ? "true" : "false",
        onclick: () => editor.roles.chooseRole(role.key),
      }, index < 9 ? element("kbd", {}, String(index + 1)) : null, " ", role.name),
      element("span", { class: "allowed" }, role.entityTypes.join(", ") || "any"),
      fillers.length ? element("ul", { class: "fillers" }, ...fillers.map(({ argument, at }) => {
        const filler = fillerOf(editor, argument);
        return element("li", {}, filler,
          element("button", {
            type: "button", class: "remove", "aria-label": `Remove ${role.key} ${filler}`,
            onclick: () => editor.clearRole(eventKey, at),
          }, "×"));
      })) : null);
  });
  root.replaceChildren(
    element("h2", {}, `${event.type} `, quoted(editor, event.start, event.end)),
    element("p", { class: "meta" }, `From ${provenance(event)}. ${type.description ?? ""}`),
    element("div", { class: "attributes" }, ...attributes),
    element("p", { class: "meta" }, editor.ui.mode === "role" ? "Press a role's number." : "Roles (R, then the number):"),
    element("ol", { class: "roles" }, ...slots),
  );
  return undefined;
}

function fillerOf(editor, argument) {
  if (argument.span != null) {
    const span = editor.state.spans.get(key(argument.span));
    return span ? `${quoted(editor, span.start, span.end)} ${span.label}` : "(removed)";
  }
  const event = editor.state.events.get(key(argument.event));
  return event ? `event ${event.type} ${quoted(editor, event.start, event.end)}` : "(removed)";
}

const eventLists = new WeakMap(); // list element -> {entries: Map(event key -> entry), limit, queued, of, events}
const EVENT_LIST_CHUNK = 250; // entries a draw adds to a long list; the rest while the browser is idle

/**
 * Every event of the layer, in text order; a click focuses one. An entry is redrawn only when
 * its event, its fillers or whether it is focused changed (states are immutable, so identity
 * says it), and entries are moved rather than redrawn: a label applied in a long article
 * touches one entry, not thousands. A long list is drawn EVENT_LIST_CHUNK entries at a time,
 * the next ones while the browser is idle: laying out 3,200 events' 25,000 elements at once
 * took 150 ms of the frame that opens a 200,000-character article.
 */
export function drawEventList(root, count, editor) {
  const list = eventLists.get(root) ?? { entries: new Map(), limit: EVENT_LIST_CHUNK, queued: false };
  eventLists.set(root, list);
  if (list.of !== editor.state.events) {  // sorted once per state, not once per chunk
    list.of = editor.state.events;
    list.events = [...editor.state.events.entries()].sort(([, a], [, b]) => a.start - b.start);
  }
  const { events } = list;
  count.textContent = String(events.length);
  const entries = new Map();
  const wanted = events.slice(0, list.limit).map(([eventKey, event]) => {
    const focused = eventKey === editor.ui.focused;
    const fillers = event.arguments.map((argument) => fillerItem(editor, argument));
    const entry = list.entries.get(eventKey);
    const same = entry && entry.event === event && entry.focused === focused && entry.fillers.every((item, index) => item === fillers[index]);
    const next = same ? entry : { event, focused, fillers, node: eventEntry(editor, eventKey, event, focused) };
    entries.set(eventKey, next);
    return next.node;
  });
  list.entries = entries;
  // Keep the entries already in place; insert, move or remove only the others.
  const kept = new Set(wanted);
  let at = root.firstChild;
  for (const node of wanted) {
    while (at && !kept.has(at)) {
      const next = at.nextSibling;
      at.remove();
      at = next;
    }
    if (node === at) at = at.nextSibling;
    else root.insertBefore(node, at);
  }
  while (at) {
    const next = at.nextSibling;
    at.remove();
    at = next;
  }
  if (events.length > list.limit && !list.queued) {
    list.queued = true;
    whenIdle(() => {
      list.queued = false;
      list.limit += EVENT_LIST_CHUNK;
      drawEventList(root, count, editor);
    });
  }
}

/** The span or event filling `argument`, or undefined. */
function fillerItem(editor, argument) {
  return argument.span != null ? editor.state.spans.get(key(argument.span)) : editor.state.events.get(key(argument.event));
}

function eventEntry(editor, eventKey, event, focused) {
  return element("li", { class: focused ? "focused" : null, dataset: { key: eventKey } },
    element("button", { type: "button", class: "event-jump", onclick: () => editor.focusEvent(eventKey) },
      `${event.type}: ${quoted(editor, event.start, event.end)}`),
    event.accepted ? null : element("span", { class: "score" }, " not yet accepted"),
    event.arguments.length
      ? element("ul", { class: "arguments" }, ...event.arguments.map((argument) =>
        element("li", {}, element("span", { class: "role" }, argument.role), ": ", fillerOf(editor, argument))))
      : null);
}

function relationEnds(editor, relation) {
  const end = (id) => {
    const span = editor.state.spans.get(key(id));
    return span ? quoted(editor, span.start, span.end) : "(removed)";
  };
  return `${end(relation.head)} → ${end(relation.tail)}`;
}

/** Every relation of the layer, in the text order of its head; a click selects one. */
export function drawRelationList(root, count, editor) {
  const start = (relation) => editor.state.spans.get(key(relation.head))?.start ?? 0;
  const relations = [...editor.state.relations.entries()].sort(([, a], [, b]) => start(a) - start(b));
  count.textContent = String(relations.length);
  root.replaceChildren(...relations.map(([relationKey, relation]) =>
    element("li", { class: relationKey === editor.ui.relation ? "selected" : null, dataset: { key: relationKey } },
      element("button", {
        type: "button", class: "relation-jump", "aria-pressed": relationKey === editor.ui.relation ? "true" : "false",
        onclick: () => editor.linking.select(relationKey),
      }, `${relation.type}: ${relationEnds(editor, relation)}`))));
}

/** The shortcut overlay, with the schema's own hotkeys. */
export function drawHelp(root, schema) {
  const hotkeys = (types) => Object.entries(types)
    .filter(([, type]) => type.hotkey)
    .map(([label, type]) => [type.hotkey, `${label} (${type.name})`]);
  const groups = [
    ...SHORTCUTS,
    ["Entity hotkeys", hotkeys(schema.entityTypes)],
    ["Event hotkeys", hotkeys(schema.eventTypes)],
    ["Relation hotkeys (after -, while the type search is empty)", hotkeys(schema.relationTypes ?? {})],
  ].filter(([, rows]) => rows.length);
  root.replaceChildren(...groups.map(([title, rows]) =>
    element("section", {},
      element("h3", {}, title),
      element("table", { class: "shortcuts" }, ...rows.map(([keys, action]) =>
        element("tr", {}, element("th", { scope: "row" }, element("kbd", {}, keys)), element("td", {}, action)))))));
}

/** Every label's and role's description from the schema, for the guidelines dialog. */
export function drawGuide(root, schema) {
  const entries = (types, details) => Object.entries(types).flatMap(([label, type]) => [
    element("dt", {}, `${label} · ${type.name}`),
    element("dd", {}, type.description || "No description.", details?.(type)),
  ]);
  const roles = (type) => element("ul", {}, ...type.roles.map((role) =>
    element("li", {}, element("strong", {}, role.key),
      ` (${role.entityTypes.join(", ") || "any type"}): ${role.description}`)));
  root.replaceChildren(
    element("h3", {}, "Entity types"),
    element("dl", { class: "descriptions" }, ...entries(schema.entityTypes)),
    element("h3", {}, "Event types and their roles"),
    element("dl", { class: "descriptions" }, ...entries(schema.eventTypes, roles)),
  );
}
