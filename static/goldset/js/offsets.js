// Offsets: convert between Python code points (the server's unit) and UTF-16 units (the DOM's).
//
// Characters outside the Basic Multilingual Plane (emoji, many CJK extensions) take one code
// point but two UTF-16 units. Combining marks are separate code points in both units.

/** Map offsets of one text between code points and UTF-16 units in O(log n) per lookup. */
export class OffsetMap {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    // UTF-16 index of every astral character, in order.
    this.astral = [];
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    this.length = text.length - this.astral.length;
  }

  /** UTF-16 index of code point offset `cp`. */
  toUtf16(cp) {
    if (cp < 0 || cp > this.length) throw new RangeError(`code point offset ${cp} out of range`);
    // Count astral characters that start before the target: each adds one unit.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid] - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }

  /** Code point offset of UTF-16 index `unit`; inside a surrogate pair, the pair's start. */
  toCodePoint(unit) {
    if (unit < 0 || unit > this.text.length) throw new RangeError(`UTF-16 index ${unit} out of range`);
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid] < unit) lo = mid + 1;
      else hi = mid;
    }
    // `lo` astral characters start before `unit`, each one unit longer than its code point;
    // when `unit` falls inside the last of them, this lands on that character's start.
    return unit - lo;
  }

  /** The substring between two code point offsets. */
  slice(start, end) {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}
