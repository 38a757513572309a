// Accept predictions above a score: which ones, and the precision to expect of them.
//
// A prediction whose score was calibrated on held-out gold keeps the model's own score in its
// `model_score` attribute; its `score` is then the probability that it is right, so the mean
// score of those accepted is the precision to expect of accepting them.

/** Whether accepting with `filter` ({label, minScore}) takes this pending prediction. */
export function acceptable(item, itemLabel, { label = null, minScore = null } = {}) {
  return (
    !item.accepted &&
    (label == null || itemLabel === label) &&
    (minScore == null || (item.score ?? 0) >= minScore)
  );
}

/** What accepting with `filter` would take: `{count, calibrated, expected}` (expected: the
 *  mean calibrated score of those with one, null if none). */
export function acceptPreview(state, filter = {}) {
  let count = 0;
  let calibrated = 0;
  let sum = 0;
  const visit = (item, itemLabel) => {
    if (!acceptable(item, itemLabel, filter)) return;
    count++;
    if (item.attributes?.model_score != null && typeof item.score === "number") {
      calibrated++;
      sum += item.score;
    }
  };
  for (const span of state.spans.values()) visit(span, span.label);
  for (const event of state.events.values()) visit(event, event.type);
  return { count, calibrated, expected: calibrated ? sum / calibrated : null };
}

/** The preview in words, shown beside the threshold. */
export function acceptPreviewText({ count, calibrated, expected }) {
  if (!count) return "No prediction left to accept at or above this score.";
  const predictions = `${count} prediction${count === 1 ? "" : "s"}`;
  if (!calibrated) {
    return `${predictions}. Their scores are the model's own, not calibrated: train a model on the corpus's gold to know the precision to expect.`;
  }
  const precision = `expected precision ${Math.round(expected * 100)} %`;
  if (calibrated === count) return `${predictions}, ${precision} (scores calibrated on held-out gold).`;
  return `${predictions}; ${calibrated} with calibrated scores, ${precision} among them.`;
}
