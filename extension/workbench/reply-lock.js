// When a reply may be copied or inserted: never during the cool-down (W1), never while the checker
// blocks it or has not answered yet for the text as it is now.

/**
 * `{locked, reason}` for copying/inserting the draft. `coolingDown`: the server's stage is
 * cooling_down; `check`: the reply checker's latest status (see reply-editor.js).
 */
export function replyLock({ coolingDown, check }) {
  if (coolingDown) {
    return { locked: true, reason: "Locked during the cool-down: read the review, step away, and reply calmly when it ends." };
  }
  if (!check || check.empty || !check.text?.trim()) return { locked: true, reason: "Write a reply or pick a suggestion first." };
  if (check.pending) return { locked: true, reason: "Checking the reply…" };
  if (check.error) return { locked: true, reason: `The reply could not be checked, so it stays locked: ${check.error}` };
  if (!check.allowed) return { locked: true, reason: "Fix what is marked “Must fix” before using this reply." };
  return { locked: false, reason: "" };
}
