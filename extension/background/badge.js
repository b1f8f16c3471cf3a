/**
 * The toolbar button's badge: how many reviews need someone now (GET /api/reviews/attention, its
 * `total`: new, ready to reply, overdue), empty when none or when the server is not reachable; and a
 * "!" on a tab whose latest capture went wrong (a block page, a changed layout, an error), which the
 * panel explains.
 */

export const BADGE_COLOR = "#C62828";
export const BADGE_TEXT_COLOR = "#FFFFFF";
export const PROBLEM_TEXT = "!";

/** The badge text for a count: "" for none, "99+" beyond two digits. */
export function countText(total) {
  const count = Number(total);
  if (!Number.isFinite(count) || count <= 0) return "";
  return count > 99 ? "99+" : String(Math.floor(count));
}

export function createBadge({ action, gateway }) {
  async function call(method, details) {
    try {
      await action?.[method]?.(details);
    } catch {
      // a closed tab, or a browser without this call: the badge is a hint, never an error
    }
  }

  /** Asks the server how many reviews need attention and shows it; answers the count shown (0 when none). */
  async function refresh() {
    const result = await gateway.request("GET", "/api/reviews/attention");
    const total = result.ok ? Number(result.data?.total) || 0 : 0;
    await call("setBadgeBackgroundColor", { color: BADGE_COLOR });
    await call("setBadgeTextColor", { color: BADGE_TEXT_COLOR });
    await call("setBadgeText", { text: countText(total) });
    return total;
  }

  /** Marks a tab with "!" (a capture there needs the user's eye) or gives it back the count. */
  async function markTab(tabId, problem) {
    if (!Number.isInteger(tabId) || tabId < 0) return;
    await call("setBadgeText", { tabId, text: problem ? PROBLEM_TEXT : null });
  }

  return { refresh, markTab };
}
