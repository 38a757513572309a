// Layer delta: what the editor sends to save a layer, only what changed since the last save.
//
// A long article's layer holds a thousand items; a change touches one or two. `LayerDelta`
// remembers the layer as last saved and turns the editor's whole payload (`layerPayload`)
// into a PATCH of the items added or changed (`put`) and removed (`drop`), by kind. New
// items keep the string ids the editor gave them ("n7"); the server answers with the id each
// became, and later saves name them by it. When the server's version is not the one last
// saved (after a conflict, "keep mine"), the whole layer is sent by PUT instead.

const KINDS = ["spans", "events", "relations"];

export class LayerDelta {
  /** @param {object} payload the layer as loaded (`layerPayload`), @param {number} version */
  constructor(payload, version) {
    this.reset(payload, version);
  }

  /** Take `payload` at `version` as what the server holds (after loading another version). */
  reset(payload, version) {
    this.saved = payload;
    this.version = version;
    this.ids = Object.fromEntries(KINDS.map((kind) => [kind, new Map()]));
  }

  /**
   * The request that saves `payload` at `version`: {method, body, saved(answer)}, where
   * `saved` is called with the server's answer once it is 200 and returns it.
   */
  request(payload, version) {
    const current = this.translate(payload);
    if (version !== this.version) {
      return { method: "PUT", body: { ...current, version }, saved: (answer) => this.accept(payload, answer) };
    }
    const before = this.translate(this.saved);
    const body = { version };
    for (const kind of KINDS) {
      const changes = kindDelta(before[kind], current[kind]);
      if (changes.put.length || changes.drop.length) body[kind] = changes;
    }
    if (JSON.stringify(before.labels) !== JSON.stringify(current.labels)) body.labels = current.labels;
    return { method: "PATCH", body, saved: (answer) => this.accept(payload, answer) };
  }

  /** Note what the server saved: `payload`, at the answer's version, with its new ids. */
  accept(payload, answer) {
    for (const kind of KINDS) {
      for (const [key, id] of Object.entries(answer.ids?.[kind] ?? {})) this.ids[kind].set(key, id);
    }
    this.saved = payload;
    this.version = answer.version;
    return answer;
  }

  /** `payload` with the editor's ids of saved items replaced by the server's. */
  translate(payload) {
    const span = (id) => this.ids.spans.get(String(id)) ?? id;
    const event = (id) => this.ids.events.get(String(id)) ?? id;
    return {
      spans: payload.spans.map((item) => ({ ...item, id: span(item.id) })),
      events: payload.events.map((item) => ({
        ...item,
        id: event(item.id),
        arguments: item.arguments.map((argument) =>
          argument.span != null
            ? { ...argument, span: span(argument.span) }
            : { ...argument, target_event: event(argument.target_event) },
        ),
      })),
      relations: payload.relations.map((item) => ({
        ...item,
        id: this.ids.relations.get(String(item.id)) ?? item.id,
        head: span(item.head),
        tail: span(item.tail),
      })),
      labels: payload.labels,
    };
  }
}

/** The items of `current` not in `before` as they were (`put`), and the ids gone (`drop`). */
function kindDelta(before, current) {
  const held = new Map(before.map((item) => [String(item.id), JSON.stringify(item)]));
  const put = current.filter((item) => held.get(String(item.id)) !== JSON.stringify(item));
  const kept = new Set(current.map((item) => String(item.id)));
  const drop = before
    .filter((item) => typeof item.id === "number" && !kept.has(String(item.id)))
    .map((item) => item.id);
  return { put, drop };
}
