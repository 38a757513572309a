// History: the undo and redo stacks of an editor, over immutable states (see state.js).
//
// Pure. Each entry is a whole state; states share the items an edit did not touch, so
// keeping hundreds of them costs little.

const HISTORY_LIMIT = 500;

/** A fresh history at `state`. */
export function historyStart(state) {
  return { past: [], present: state, future: [] };
}

/** Record `state` as the result of an edit; an edit that changed nothing is not recorded. */
export function historyPush(history, state, label = "") {
  if (state === history.present) return history;
  const past = [...history.past, { state: history.present, label }].slice(-HISTORY_LIMIT);
  return { past, present: state, future: [] };
}

/** Step back one edit (or stay, when there is none). */
export function historyUndo(history) {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous.state,
    future: [{ state: history.present, label: previous.label }, ...history.future],
  };
}

/** Step forward one undone edit (or stay, when there is none). */
export function historyRedo(history) {
  const next = history.future[0];
  if (!next) return history;
  return {
    past: [...history.past, { state: history.present, label: next.label }],
    present: next.state,
    future: history.future.slice(1),
  };
}
