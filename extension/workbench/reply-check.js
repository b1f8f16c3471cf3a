// The reply checker as staff type: `POST /api/replies/check` a moment after the last keystroke, only
// the latest draft's answer counts, and the spans it reports are placed on the draft's text.

import { call } from "./api.js";
import { failureMessage } from "./format.js";

export const CHECK_DELAY_MS = 300;

/**
 * UTF-16 positions (JavaScript's string indices) of each character position the server counts in
 * (Python counts code points: an emoji is one character there, two here). `offsets[n]` is the end.
 */
export function utf16Offsets(text) {
  const offsets = [];
  let unit = 0;
  for (const character of text) {
    offsets.push(unit);
    unit += character.length;
  }
  offsets.push(unit);
  return offsets;
}

/** A violation's `start:end` (server positions) as `[start, end]` indices into `text`, clamped. */
export function spanIn(text, violation, offsets = utf16Offsets(text)) {
  const last = offsets.length - 1;
  const position = (value) => offsets[Math.min(Math.max(0, Math.trunc(Number(value) || 0)), last)];
  const start = position(violation.start);
  return [start, Math.max(start, position(violation.end))];
}

/** Whether a violation is about the reply as a whole (no acknowledgment, too long) rather than a part. */
export function coversWholeReply(text, violation) {
  const [start, end] = spanIn(text, violation);
  return start === end || (start === 0 && end >= text.trimEnd().length);
}

/**
 * The draft cut into segments at every violation boundary: `[{text, violations}]`, where
 * `violations` are those whose span covers the segment (empty for unmarked text). Violations about
 * the whole reply mark nothing; they are listed only.
 */
export function markedSegments(text, violations) {
  const offsets = utf16Offsets(text);
  const spans = violations
    .filter((violation) => !coversWholeReply(text, violation))
    .map((violation) => ({ violation, range: spanIn(text, violation, offsets) }));
  const boundaries = [...new Set([0, text.length, ...spans.flatMap((span) => span.range)])].sort((a, b) => a - b);
  const segments = [];
  for (let index = 0; index + 1 < boundaries.length; index += 1) {
    const [from, to] = [boundaries[index], boundaries[index + 1]];
    const covering = spans.filter(({ range }) => range[0] <= from && range[1] >= to).map((span) => span.violation);
    segments.push({ text: text.slice(from, to), violations: covering });
  }
  return segments;
}

/**
 * Runs the checker on drafts: `check(text)` after `delay` ms of quiet (`now: true` at once).
 * `onResult({text, pending, allowed, violations, error, empty})` is called with `pending: true` at
 * once, then with the server's answer for the latest draft only (answers for older drafts are dropped).
 * An empty draft is not sent (nothing to copy). A failed check never allows the reply.
 */
export function replyChecker({ api, reviewId, onResult, delay = CHECK_DELAY_MS }) {
  let timer = null;
  let latest = 0;

  async function run(text, draft) {
    const result = await call(api, "POST", "/api/replies/check", { reply: text, review_id: reviewId });
    if (draft !== latest) return;
    if (!result.ok) {
      onResult({ text, pending: false, allowed: false, violations: [], error: failureMessage(result, "The reply could not be checked.") });
      return;
    }
    const violations = Array.isArray(result.data?.violations) ? result.data.violations : [];
    onResult({ text, pending: false, allowed: result.data?.allowed === true, violations, error: null });
  }

  function check(text, { now = false } = {}) {
    latest += 1;
    const draft = latest;
    globalThis.clearTimeout(timer);
    if (!text.trim()) {
      onResult({ text, pending: false, allowed: false, violations: [], error: null, empty: true });
      return;
    }
    onResult({ text, pending: true, allowed: false, violations: [], error: null });
    timer = globalThis.setTimeout(() => run(text, draft), now ? 0 : delay);
  }

  function cancel() {
    latest += 1;
    globalThis.clearTimeout(timer);
  }

  return { check, cancel };
}
