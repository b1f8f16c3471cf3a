/**
 * The queue: captures and logged events waiting for the server (down, or the toolbar not paired).
 *
 * Kept in chrome.storage.local under `queue` (it survives the worker being stopped and a browser
 * restart), sent in the order it was filled, and bounded: at most `maxItems` items and `maxBytes` in
 * all. When it is full the oldest capture is dropped (never an event: a logged reply or call cannot be
 * taken again, a page can), and `queueNotices` remembers it so the connection state can say so.
 */

import { StorageKey } from "../shared/messages.js";

export const QueueKind = Object.freeze({ CAPTURE: "capture", EVENT: "event" });

/** What delivering one item came to: sent, refused for good (dropped with a notice), or try later. */
export const Delivery = Object.freeze({ SENT: "sent", REFUSED: "refused", RETRY: "retry" });

// Chrome gives chrome.storage.local 10 MB without the "unlimitedStorage" permission (which the
// toolbar does not ask for): two full-size captures (4 MB each) and the events fit.
export const DEFAULT_LIMITS = Object.freeze({ maxItems: 50, maxBytes: 8 * 1024 * 1024 });
const MAX_REFUSED_NOTICES = 10;

const utf8 = new TextEncoder();

function sizeOf(payload) {
  return utf8.encode(JSON.stringify(payload)).length;
}

function emptyNotices() {
  return { dropped: 0, refused: [] };
}

/**
 * A queue over `storage` (a chrome.storage.local-like area). Every read-modify-write of the stored
 * list runs one at a time, so a capture queued during a flush is neither lost nor sent twice.
 */
export function createQueue({ storage, limits = DEFAULT_LIMITS, now = () => new Date() }) {
  let chain = Promise.resolve();
  let flushing = null;

  function exclusive(task) {
    const run = chain.then(task, task);
    chain = run.catch(() => {});
    return run;
  }

  async function read(key, fallback) {
    try {
      const stored = await storage.get(key);
      return stored?.[key] ?? fallback;
    } catch {
      return fallback;
    }
  }

  const readItems = async () => {
    const items = await read(StorageKey.QUEUE, []);
    return Array.isArray(items) ? items : [];
  };
  const readNotices = async () => ({ ...emptyNotices(), ...(await read(StorageKey.QUEUE_NOTICES, {})) });

  /** Drops the oldest captures until the items fit the limits; answers how many were dropped. */
  function trim(items) {
    let dropped = 0;
    const total = () => items.reduce((sum, item) => sum + (item.bytes ?? 0), 0);
    while (items.length > limits.maxItems || total() > limits.maxBytes) {
      const oldestCapture = items.findIndex((item) => item.kind === QueueKind.CAPTURE);
      if (oldestCapture < 0) break; // only events left: they are small, and never dropped
      items.splice(oldestCapture, 1);
      dropped += 1;
    }
    return dropped;
  }

  async function noteDropped(count) {
    if (!count) return;
    const notices = await readNotices();
    notices.dropped += count;
    await storage.set({ [StorageKey.QUEUE_NOTICES]: notices });
  }

  /** Adds an item at the end: `{kind, payload, tab_id?}` → the stored item, and how many captures made room. */
  function enqueue({ kind, payload, tab_id = null }) {
    return exclusive(async () => {
      const items = await readItems();
      const moment = now();
      const item = {
        id: `${moment.getTime().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        kind,
        queued_at: moment.toISOString(),
        tab_id,
        bytes: sizeOf(payload),
        payload,
      };
      items.push(item);
      let dropped = trim(items);
      // The limits are below the browser's quota; if storing still fails, make room once more.
      for (;;) {
        try {
          await storage.set({ [StorageKey.QUEUE]: items });
          break;
        } catch (error) {
          const oldestCapture = items.findIndex((queued) => queued.kind === QueueKind.CAPTURE);
          if (oldestCapture < 0) throw error;
          items.splice(oldestCapture, 1);
          dropped += 1;
        }
      }
      await noteDropped(dropped);
      return { item, dropped, queued: items.length };
    });
  }

  function remove(id) {
    return exclusive(async () => {
      const items = await readItems();
      await storage.set({ [StorageKey.QUEUE]: items.filter((item) => item.id !== id) });
    });
  }

  async function noteRefused(item, message) {
    await exclusive(async () => {
      const notices = await readNotices();
      const what = item.kind === QueueKind.EVENT
        ? `A '${item.payload?.event?.type ?? "logged"}' step for review ${item.payload?.review_id} logged while the server was away was refused`
        : `A capture of ${item.payload?.capture?.url ?? "a page"} taken while the server was away was refused`;
      notices.refused = [...notices.refused, `${what}: ${message}`].slice(-MAX_REFUSED_NOTICES);
      await storage.set({ [StorageKey.QUEUE_NOTICES]: notices });
    });
  }

  /**
   * Sends the queued items in order with `deliver(item)` → `{delivery, message?, followUp?}`
   * (`followUp()` runs once the item is out of the queue). Stops at the first
   * item that must wait (the server is still away); refused items are dropped with a notice. One
   * flush at a time: a second call while one runs gets the running one.
   * Answers `{sent, refused, remaining, waiting}` (`waiting`: the answer that stopped it, if any).
   */
  function flush(deliver) {
    if (flushing) return flushing;
    flushing = (async () => {
      const outcome = { sent: [], refused: 0, remaining: 0, waiting: null };
      try {
        for (;;) {
          const [next] = await exclusive(readItems);
          if (!next) break;
          let result;
          try {
            result = await deliver(next);
          } catch (error) {
            result = { delivery: Delivery.RETRY, message: String(error?.message ?? error) };
          }
          if (result?.delivery === Delivery.RETRY) {
            outcome.waiting = result;
            break;
          }
          await remove(next.id); // before anything else: an item the server has is never sent twice
          try {
            await result?.followUp?.();
          } catch {
            // showing the answer failed; the item is delivered all the same
          }
          if (result?.delivery === Delivery.REFUSED) {
            outcome.refused += 1;
            await noteRefused(next, result.message ?? "the server refused it");
          } else {
            outcome.sent.push({ item: next, result });
          }
        }
      } finally {
        outcome.remaining = (await exclusive(readItems)).length;
        flushing = null;
      }
      return outcome;
    })();
    return flushing;
  }

  /** How many items wait. */
  const size = () => exclusive(readItems).then((items) => items.length);

  /** The queued items, oldest first. */
  const items = () => exclusive(readItems);

  /** What the user has not been told yet: `{dropped, refused: [sentence]}`. */
  const notices = () => exclusive(readNotices);

  /** Forgets the notices once the user has been told. */
  const clearNotices = () => exclusive(() => storage.set({ [StorageKey.QUEUE_NOTICES]: emptyNotices() }));

  return { enqueue, flush, size, items, notices, clearNotices };
}
