// Relation state: the edits on a layer's relations — add, retype, reverse, delete — checked
// against the schema's allowed head and tail types with the server's own words.
//
// Pure, like state.js, whose state and ids it shares.

import { EditError, key, newId, quote, relationEndAllows, relationEndTypes, spanOf } from "./state.js";

/**
 * What a save answers, and the editor says, for a relation end of a type the relation does not
 * take: the server's RELATION_END_REFUSED (annotations/services/layers/schema_rules.py),
 * letter for letter (tests/annotations/test_layer_relations.py compares them).
 */
export const RELATION_END_REFUSED = 'Relation {type} takes {allowed} as its {end}, not {label} ("{text}").';

const ENDS = ["head", "tail"];

/** Keys as the server's messages list alternatives: "PER", "PER or ORG", "PER, ORG or GPE". */
export function either(keys) {
  return keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}`;
}

/** Return a relation of `state` or throw. */
export function relationOf(state, id) {
  const relation = state.relations.get(key(id));
  if (!relation) throw new EditError("That relation no longer exists.");
  return relation;
}

/** Throw unless relation type `type` joins `head` to `tail` (spans), with the server's words. */
function checkRelation(state, schema, { type, head, tail }, except = null) {
  if (!schema.relationTypes?.[type]) throw new EditError(`The schema has no relation type ${type}.`);
  const spans = [spanOf(state, head), spanOf(state, tail)];
  if (spans[0] === spans[1]) throw new EditError("A relation joins two different spans.");
  spans.forEach((span, end) => {
    if (relationEndAllows(schema, type, end, span.label)) return;
    const fields = {
      type, allowed: either(relationEndTypes(schema, type, end)), end: ENDS[end], label: span.label,
      text: [...schema.text].slice(span.start, span.end).join(""),
    };
    throw new EditError(RELATION_END_REFUSED.replace(/\{(\w+)\}/g, (_, name) => fields[name]));
  });
  for (const [relationKey, relation] of state.relations) {
    if (relationKey === except) continue;
    if (relation.type === type && key(relation.head) === key(head) && key(relation.tail) === key(tail)) {
      throw new EditError(`${quote(schema, spans[0])} is already ${type} ${quote(schema, spans[1])}.`);
    }
  }
}

/** Add a relation of `type` from span `head` to span `tail`; returns [state, id]. */
export function relationAdd(state, schema, { type, head, tail }) {
  checkRelation(state, schema, { type, head, tail });
  const [id, serial] = newId(state, "n");
  const relation = Object.freeze({
    id, type, head: spanOf(state, head).id, tail: spanOf(state, tail).id, source: "human",
    score: null, attributes: {}, note: "",
  });
  return [{ ...state, relations: new Map(state.relations).set(id, relation), serial }, id];
}

/** Give relation `id` another type, if that type takes its two spans. */
export function relationRetype(state, schema, id, type) {
  const relation = relationOf(state, id);
  if (relation.type === type) return state;
  checkRelation(state, schema, { type, head: relation.head, tail: relation.tail }, key(id));
  return withRelation(state, id, { ...relation, type, source: "human", score: null });
}

/** Turn relation `id` around: its tail becomes its head, if its type allows that. */
export function relationReverse(state, schema, id) {
  const relation = relationOf(state, id);
  const swapped = { type: relation.type, head: relation.tail, tail: relation.head };
  checkRelation(state, schema, swapped, key(id));
  return withRelation(state, id, { ...relation, ...swapped, source: "human", score: null });
}

/** Remove relation `id`. */
export function relationDelete(state, id) {
  relationOf(state, id);
  const relations = new Map(state.relations);
  relations.delete(key(id));
  return { ...state, relations };
}

function withRelation(state, id, relation) {
  return { ...state, relations: new Map(state.relations).set(key(id), Object.freeze(relation)) };
}

