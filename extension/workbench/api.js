// Calling the `api(method, path, body) -> Promise<{ok, status, data}>` function the workbench is given
// (the panel's goes through the extension's worker, the dashboard's is a same-origin fetch): a call
// never throws, and a logged event's answer is read in one place.

import { failureMessage } from "./format.js";

/** `api(...)`, with a thrown error or a malformed answer turned into `{ok: false, status: 0, data}`. */
export async function call(api, method, path, body) {
  try {
    const result = await api(method, path, body);
    if (result && typeof result === "object") return result;
    return { ok: false, status: 0, data: { message: "The answer from ReviewDesk was empty." } };
  } catch (error) {
    return { ok: false, status: 0, data: { message: String(error?.message ?? error) } };
  }
}

export function reviewPath(reviewId, suffix = "") {
  return `/api/reviews/${encodeURIComponent(String(reviewId))}${suffix}`;
}

/**
 * Logs a staff event (`POST /api/reviews/<id>/events`) and reads the answer:
 * `{ok, queued, state, warnings, message, status, error}`. `queued` is true when the extension kept
 * the event to send once the server is back (then there is no new state yet).
 */
export async function logReviewEvent(api, reviewId, event) {
  const result = await call(api, "POST", reviewPath(reviewId, "/events"), event);
  if (result.queued || result.data?.queued) {
    return { ok: true, queued: true, state: null, warnings: [],
             message: result.message || "Saved in the toolbar: it will be sent when ReviewDesk's server is back." };
  }
  if (!result.ok) {
    return { ok: false, queued: false, state: null, warnings: [], status: result.status ?? 0,
             error: result.data?.error ?? null, message: failureMessage(result) };
  }
  return { ok: true, queued: false, state: result.data?.state ?? null, warnings: result.data?.warnings ?? [],
           status: result.status ?? 200, error: null, message: "" };
}
