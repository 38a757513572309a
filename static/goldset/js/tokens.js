// Tokens: snap selections to token boundaries and step through the text token by token.
//
// Pure. Tokens are [start, end) pairs in code points, sorted and not overlapping: spaCy's
// tokens when the document has been analysed, otherwise words and punctuation marks.

/** Split `text` into words and single punctuation marks, as code point offset pairs. */
export function tokenize(text) {
  const tokens = [];
  let offset = 0;
  let start = -1;
  for (const character of text) {
    const word = /[\p{L}\p{N}\p{M}_'’-]/u.test(character);
    const space = /\s/u.test(character);
    if (start >= 0 && (!word || space)) {
      tokens.push([start, offset]);
      start = -1;
    }
    if (word && start < 0) start = offset;
    else if (!word && !space) tokens.push([offset, offset + 1]);
    offset++;
  }
  if (start >= 0) tokens.push([start, offset]);
  return tokens;
}

/**
 * The [start, end) pairs of a flat offset array [start0, end0, start1, end1, ...], as the
 * editor page sends tokens and sentences; pairs given as pairs are returned as they are.
 */
export function offsetPairs(flat) {
  if (!flat?.length || Array.isArray(flat[0])) return flat ?? [];
  const pairs = new Array(flat.length >> 1);
  for (let index = 0; index < pairs.length; index++) pairs[index] = [flat[2 * index], flat[2 * index + 1]];
  return pairs;
}

/** Index of the first token that ends after `offset` (tokens.length if none). */
export function tokenAfter(tokens, offset) {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid][1] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last token that starts before `offset` (-1 if none). */
export function tokenBefore(tokens, offset) {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid][0] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Widen [start, end) to the tokens it touches; a range in whitespace only gives null.
 * "Baba A|mr" → "Baba Amr"; a selection that takes a trailing space drops it.
 */
export function snapToTokens(tokens, start, end) {
  if (start > end) [start, end] = [end, start];
  const first = tokenAfter(tokens, start);
  const last = tokenBefore(tokens, end);
  if (first > last || first >= tokens.length || last < 0) return null;
  return [tokens[first][0], tokens[last][1]];
}

/** The token range [firstIndex, lastIndex] that a snapped [start, end) covers. */
export function tokenRange(tokens, start, end) {
  return [tokenAfter(tokens, start), tokenBefore(tokens, end)];
}

/**
 * Move one boundary of [start, end) by one token.
 * `edge` is "end" or "start"; `step` is +1 (rightwards) or -1 (leftwards).
 * Returns the new range, or null when it would become empty or leave the text.
 */
export function moveEdge(tokens, [start, end], edge, step) {
  if (edge === "end") {
    const last = tokenBefore(tokens, end);
    const target = last + step;
    if (target < 0 || target >= tokens.length || tokens[target][1] <= start) return null;
    return [start, tokens[target][1]];
  }
  const first = tokenAfter(tokens, start);
  const target = first + step;
  if (target < 0 || target >= tokens.length || tokens[target][0] >= end) return null;
  return [tokens[target][0], end];
}
