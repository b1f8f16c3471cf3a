/**
 * The outbox: sends captures and logged events through the gateway, and keeps them in the queue when
 * the server cannot take them now (down, the toolbar unpaired or its token rotated). What waits is
 * sent first and in order: before every new capture or event, on each connection check, when the
 * worker starts, and by a retry timer with backoff while the worker lives.
 */

import { CaptureStatus, ConnectionState } from "../shared/messages.js";
import { Delivery, QueueKind } from "./queue.js";

const WAITING_STATES = new Set([ConnectionState.SERVER_DOWN, ConnectionState.UNPAIRED, ConnectionState.WRONG_TOKEN]);
export const RETRY_DELAYS_MS = Object.freeze([5_000, 15_000, 30_000, 60_000, 120_000, 300_000]);
const CAPTURE_TIMEOUT_MS = 30_000; // a 4 MB page is parsed in well under a second

/** Whether a gateway answer means "try again later" rather than "the server decided". */
export function mustWait(result) {
  return WAITING_STATES.has(result?.state) || result?.status === 503;
}

/** What the server reads of a capture message. */
function captureBody(capture) {
  const body = { url: String(capture.url ?? ""), html: String(capture.html ?? "") };
  if (typeof capture.captured_at === "string") body.captured_at = capture.captured_at;
  if (typeof capture.lang === "string" && capture.lang) body.lang = capture.lang;
  return body;
}

/** The answer to a `capture` message, from the gateway's answer to POST /api/captures. */
export function captureAnswer(result) {
  const data = result?.data ?? {};
  if (result?.ok) {
    const reviews = Array.isArray(data.reviews) ? data.reviews : [];
    return {
      ok: true,
      queued: false,
      status: data.status ?? CaptureStatus.OK,
      platform: data.platform ?? null,
      layout: data.layout ?? null,
      warnings: Array.isArray(data.warnings) ? data.warnings : [],
      review_ids: reviews.map((review) => review?.id).filter((id) => id !== undefined && id !== null),
      created: data.created ?? 0,
      updated: data.updated ?? 0,
      unchanged: data.unchanged ?? 0,
    };
  }
  return {
    ok: false,
    queued: false,
    status: CaptureStatus.ERROR,
    platform: data.platform ?? null,
    layout: null,
    warnings: [String(result?.message || data.message || "The server could not read this capture.")],
    review_ids: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    error: data.error ?? "error",
  };
}

function queuedCaptureAnswer(result) {
  return {
    ok: true,
    queued: true,
    status: CaptureStatus.QUEUED,
    platform: null,
    layout: null,
    warnings: [`${result?.message ?? "The server is not reachable."} This capture is kept and sent as soon as the server answers.`],
    review_ids: [],
    created: 0,
    updated: 0,
    unchanged: 0,
  };
}

export function createOutbox({
  gateway,
  queue,
  timers = globalThis,
  now = () => new Date(),
  retryDelaysMs = RETRY_DELAYS_MS,
  onCaptureAnswer = async () => {},
  onDelivered = async () => {},
}) {
  let retryTimer = null;
  let retryIndex = 0;

  function scheduleRetry() {
    if (retryTimer !== null) return;
    const delay = retryDelaysMs[Math.min(retryIndex, retryDelaysMs.length - 1)];
    retryIndex += 1;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      flush();
    }, delay);
  }

  function cancelRetry() {
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
    retryIndex = 0;
  }

  async function deliverCapture(item) {
    const { capture } = item.payload;
    const result = await gateway.request("POST", "/api/captures", captureBody(capture), { timeoutMs: CAPTURE_TIMEOUT_MS });
    if (mustWait(result)) return { delivery: Delivery.RETRY, state: result.state, message: result.message };
    const answer = captureAnswer(result);
    const followUp = () => onCaptureAnswer(item.tab_id, capture, answer, { fromQueue: true });
    return answer.ok ? { delivery: Delivery.SENT, answer, followUp } : { delivery: Delivery.REFUSED, message: answer.warnings[0], followUp };
  }

  async function deliverEvent(item) {
    const { review_id: reviewId, event } = item.payload;
    const result = await gateway.request("POST", `/api/reviews/${reviewId}/events`, event);
    if (mustWait(result)) return { delivery: Delivery.RETRY, state: result.state, message: result.message };
    return result.ok ? { delivery: Delivery.SENT, answer: result } : { delivery: Delivery.REFUSED, message: result.message };
  }

  const deliver = (item) => (item.kind === QueueKind.CAPTURE ? deliverCapture(item) : deliverEvent(item));

  /** Sends what waits, in order; answers `{sent, refused, remaining, waiting}`. Never throws. */
  async function flush() {
    let outcome;
    try {
      outcome = await queue.flush(deliver);
    } catch (error) {
      outcome = { sent: [], refused: 0, remaining: 1, waiting: { message: String(error?.message ?? error) } };
    }
    if (outcome.remaining > 0) scheduleRetry();
    else cancelRetry();
    if (outcome.sent.length || outcome.refused) await onDelivered();
    return outcome;
  }

  /** Null when nothing waits (a new item may go straight to the server without overtaking any), else why it waits. */
  async function stillWaiting() {
    const outcome = await flush();
    return outcome.remaining === 0 ? null : outcome.waiting ?? { message: "Earlier items are still waiting for the server." };
  }

  /** A capture from a tab's content script → the answer the content script gets. */
  async function sendCapture(tabId, capture) {
    const keep = async (result) => {
      await queue.enqueue({ kind: QueueKind.CAPTURE, tab_id: tabId ?? null, payload: { capture } });
      scheduleRetry();
      const answer = queuedCaptureAnswer(result);
      await onCaptureAnswer(tabId, capture, answer, { fromQueue: false });
      return answer;
    };
    const waiting = await stillWaiting();
    if (waiting) return keep(waiting);
    const result = await gateway.request("POST", "/api/captures", captureBody(capture), { timeoutMs: CAPTURE_TIMEOUT_MS });
    if (mustWait(result)) return keep(result);
    const answer = captureAnswer(result);
    await onCaptureAnswer(tabId, capture, answer, { fromQueue: false });
    await onDelivered();
    return answer;
  }

  /** A staff step from the panel (`{review_id, event}`) → `{ok, status, data}`, or `{ok: true, queued: true}`. */
  async function logEvent(reviewId, event) {
    const id = Number(reviewId);
    if (!Number.isSafeInteger(id) || id <= 0 || !event || typeof event !== "object" || typeof event.type !== "string") {
      const message = "A logged step needs a review id and an event with a type.";
      return { ok: false, status: 0, state: ConnectionState.ERROR, message, data: { ok: false, error: "bad_request", message } };
    }
    const keep = async (result) => {
      // When it happened, not when the server got it (the server accepts a past moment).
      const stamped = { ...event, at: event.at ?? now().toISOString() };
      await queue.enqueue({ kind: QueueKind.EVENT, payload: { review_id: id, event: stamped } });
      scheduleRetry();
      const message = `${result?.message ?? "The server is not reachable."} This step is kept and logged as soon as the server answers.`;
      return { ok: true, queued: true, status: 0, state: result?.state ?? ConnectionState.SERVER_DOWN, message, data: null };
    };
    const waiting = await stillWaiting();
    if (waiting) return keep(waiting);
    const result = await gateway.request("POST", `/api/reviews/${id}/events`, event);
    if (mustWait(result)) return keep(result);
    await onDelivered();
    return { ...result, queued: false };
  }

  return { sendCapture, logEvent, flush };
}
