// Event-type palette: which types a search shows, in which order — the recently used first.
//
// Pure: the page keeps the recent list (in localStorage, per corpus) and moves the buttons.

export const RECENT_MAX = 5;

/** `recent` with `type` moved to the front, at most `max` long. */
export function recentWith(recent, type, max = RECENT_MAX) {
  return [type, ...recent.filter((other) => other !== type)].slice(0, max);
}

/**
 * The keys of `types` ({key, name} in schema order) that match `query` — every word of it
 * found in the key or the name, ignoring case — with the recently used ones first.
 */
export function paletteOrder(types, recent, query = "") {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = types
    .filter(({ key, name }) => {
      const haystack = `${key} ${name}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
    .map(({ key }) => key);
  const rank = (key) => {
    const index = recent.indexOf(key);
    return index < 0 ? recent.length : index;
  };
  return matches
    .map((key, index) => ({ key, index }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
    .map(({ key }) => key);
}
