// A list of reviews, most urgent first (overdue, then new, ready, cooling down, ...), each a
// workbench that opens on demand; one is open at a time.

import { h } from "./dom.js";
import { isOverdue } from "./stage-badge.js";
import { createWorkbench } from "./workbench.js";

export const STAGE_ORDER = ["overdue", "new", "ready", "cooling_down", "follow_up", "escalated", "replied", "resolved", "closed",
  "ignored"];

// The server's groups (`GET /api/reviews?order=attention` gives each review its `attention`), first to last.
export const ATTENTION_GROUPS = ["escalate", "overdue", "new", "ready", "cooling_down", "follow_up", "other"];

/**
 * Reviews (each with its `state`) in the order staff should look at them: by the server's `attention`
 * group when it gave one (escalations first), then overdue first and by stage; ties keep the given order.
 */
export function attentionOrder(reviews) {
  const rank = (review) => {
    const group = ATTENTION_GROUPS.indexOf(review.attention);
    const stage = STAGE_ORDER.indexOf(review.state?.stage);
    return [group === -1 ? ATTENTION_GROUPS.length : group, isOverdue(review.state) ? 0 : 1, stage === -1 ? STAGE_ORDER.length : stage];
  };
  return reviews
    .map((review, index) => ({ review, index, rank: rank(review) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || a.index - b.index)
    .map((entry) => entry.review);
}

/**
 * `<ul data-role=review-list>`: `{element, update(reviews), open(reviewId), workbench(reviewId), destroy()}`.
 * `update` keeps the workbenches of reviews still listed (an open one stays open, with its draft).
 */
export function inboxList({ api, hooks = {}, reviews = [], checkDelay, onStateChange = () => {} }) {
  const element = h("ul", { class: "wb-list", "data-role": "review-list" });
  const workbenches = new Map();

  function closeOthers(opened) {
    for (const workbench of workbenches.values()) if (workbench !== opened) workbench.close();
  }

  function update(next) {
    const ordered = attentionOrder(next);
    const keep = new Set(ordered.map((review) => Number(review.id)));
    for (const [id, workbench] of workbenches) {
      if (!keep.has(id)) {
        workbench.destroy();
        workbenches.delete(id);
      }
    }
    const items = ordered.map((review) => {
      let workbench = workbenches.get(Number(review.id));
      if (workbench) {
        workbench.setReview(review, review.state);
      } else {
        workbench = createWorkbench({ api, review, hooks, collapsible: true, checkDelay, onOpen: closeOthers,
                                      onStateChange: (state) => onStateChange(review.id, state) });
        workbenches.set(Number(review.id), workbench);
      }
      return workbench.element.parentElement ?? h("li", { class: "wb-list-item" }, workbench.element);
    });
    placeInOrder(items);
  }

  /** Puts the items in order moving as few as possible (staff may be typing in one), and keeps the focus. */
  function placeInOrder(items) {
    const focused = globalThis.document.activeElement;
    const keepFocus = focused && element.contains(focused)
      ? { node: focused, start: focused.selectionStart, end: focused.selectionEnd } : null;
    let cursor = element.firstChild;
    for (const item of items) {
      if (item === cursor) cursor = cursor.nextSibling;
      else element.insertBefore(item, cursor);
    }
    while (cursor) {
      const stale = cursor;
      cursor = cursor.nextSibling;
      stale.remove();
    }
    if (keepFocus && element.contains(keepFocus.node) && globalThis.document.activeElement !== keepFocus.node) {
      keepFocus.node.focus();
      if (typeof keepFocus.start === "number") keepFocus.node.setSelectionRange(keepFocus.start, keepFocus.end);
    }
  }

  update(reviews);
  return {
    element,
    update,
    open: (reviewId) => workbenches.get(Number(reviewId))?.open(),
    workbench: (reviewId) => workbenches.get(Number(reviewId)),
    destroy() {
      for (const workbench of workbenches.values()) workbench.destroy();
      workbenches.clear();
    },
  };
}
