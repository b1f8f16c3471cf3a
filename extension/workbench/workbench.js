// The review workbench: everything staff need for one review, composed from the components beside
// this file. Transport-agnostic: it talks to ReviewDesk only through the `api` function it is given
// (the side panel's goes through the extension's worker; the dashboard's is a same-origin fetch).

import { call, logReviewEvent, reviewPath } from "./api.js";
import { closeOut } from "./close-out.js";
import { h, replaceContent, uniqueId } from "./dom.js";
import { failureMessage, platformName, shortText } from "./format.js";
import { followUp } from "./follow-up.js";
import { matchList } from "./match-list.js";
import { replySection } from "./reply-section.js";
import { reviewCard, reviewMeta } from "./review-card.js";
import { stageBadge } from "./stage-badge.js";
import { triagePanel } from "./triage.js";

/**
 * A workbench for one review: `<article data-review-id>` with the DOM hooks of extension/README.md.
 *
 * Options: `api(method, path, body) -> Promise<{ok, status, data}>`; `review` (as the API lists it,
 * with its `state`, or pass `state`); `hooks`: `copyText(text)`, `insertReply(text) -> {ok, message}`
 * (no Insert button without it), `now()` (milliseconds); `collapsible` (a list entry that opens on
 * demand; default false: open at once); `onOpen(workbench)`, `onStateChange(state)` (also called, with the
 * same state, when staff confirm or reject who wrote it: the review's log changed).
 *
 * Opening it the first time logs `viewed` (the server stamps it and starts the cool-down, W1), then
 * loads the triage, suggestions and match candidates. Returns `{element, reviewId, open(), close(),
 * refresh(), setReview(review, state), destroy()}`; `open()` resolves once everything is loaded
 * (then `element.dataset.loaded === "true"`).
 */
export function createWorkbench({ api, review, state = review?.state ?? null, hooks = {}, collapsible = false,
                                  onOpen = () => {}, onStateChange = () => {}, checkDelay } = {}) {
  const reviewId = Number(review.id);
  let currentReview = review;
  let currentState = state;
  let advice = null;
  let opened = null; // the promise of the first opening
  let reply = null;
  let parts = null;

  const badge = stageBadge(currentState);
  const bodyId = uniqueId("wb-body");
  const summary = h("span", { class: "wb-headline" }, reviewMeta(currentReview, "span"));
  const toggle = collapsible
    ? h("button", { type: "button", class: "wb-toggle", "data-action": "open", "aria-expanded": "false", "aria-controls": bodyId,
                    onclick: () => (toggle.getAttribute("aria-expanded") === "true" ? close() : open()) }, badge.element, " ", summary)
    : null;
  const snippet = h("p", { class: "wb-snippet", hidden: !collapsible }, shortText(currentReview.text) || "(a rating without text)");
  const message = h("p", { class: "wb-message", "data-role": "message", "aria-live": "polite", hidden: true });
  const body = h("div", { class: "wb-body", id: bodyId, hidden: true });
  const element = h("article", {
    class: "wb", "data-review-id": reviewId, "data-expanded": "false", "data-loaded": "false",
    "aria-label": `Review by ${currentReview.reviewer_name || "an anonymous reviewer"} on ${platformName(currentReview.platform)}`,
  },
  h("header", { class: "wb-head" }, toggle ?? [badge.element, " ", summary]),
  snippet,
  body);

  /**
   * Tells staff what happened, under the buttons that did it: the message goes at the end of `section`
   * (a part of the body, whose action row ends it), else at the end of the body. It is never laid over
   * anything (not sticky), so it cannot cover the buttons it is about.
   */
  function report(text, kind = "info", section = null) {
    const holder = section && body.contains(section) && !section.hidden ? section : body;
    if (message.parentElement !== holder || message.nextSibling) holder.append(message);
    message.dataset.kind = kind;
    message.setAttribute("aria-live", kind === "error" ? "assertive" : "polite");
    replaceContent(message, text);
    message.hidden = !text;
  }

  /** The `report` of one part: its messages go under its own buttons. */
  function reporterFor(section) {
    return (text, kind) => report(text, kind, typeof section === "function" ? section() : section);
  }

  /** A message inside a part that is hidden or taken away stays readable: it moves just after that part. */
  function keepMessageShown(leaving = null) {
    const holder = message.parentElement;
    if (!holder || holder === body) return;
    if (holder === leaving || holder.hidden) holder.after(message);
  }

  function replyWanted() {
    return advice?.action === "reply" && !currentState?.replied_at;
  }

  /** The reply section exists only while a reply is wanted: an escalated or do-not-reply review has nothing to copy. */
  function placeReplySection() {
    if (!parts) return;
    if (replyWanted() && !reply) {
      reply = replySection({ api, reviewId, state: currentState, hooks, report: reporterFor(() => reply?.element),
                             onState: applyState, checkDelay });
      parts.matches.element.after(reply.element);
    } else if (!replyWanted() && reply) {
      reply.destroy();
      keepMessageShown(reply.element);
      reply.element.remove();
      reply = null;
    }
    reply?.update(currentState, advice);
  }

  function applyState(next) {
    if (!next) return;
    currentState = next;
    badge.update(next);
    element.dataset.stage = next.stage;
    if (parts) {
      parts.triage.update(null, next);
      parts.followUp.update(next);
      parts.closeOut.update(next, null);
      placeReplySection();
      keepMessageShown();
    }
    onStateChange(next);
  }

  function applyAdvice(next) {
    advice = next;
    parts.triage.update(next, null);
    parts.closeOut.update(null, next);
    placeReplySection();
    keepMessageShown();
  }

  async function loadAdvice() {
    const result = await call(api, "GET", reviewPath(reviewId, "/suggestions"));
    if (!result.ok) {
      report(failureMessage(result, "The triage could not be loaded."), "error");
      return;
    }
    applyAdvice(result.data);
  }

  async function refresh() {
    const result = await call(api, "GET", reviewPath(reviewId));
    if (!result.ok) {
      report(failureMessage(result, "The review could not be loaded."), "error");
      return;
    }
    setReview(result.data.review ?? currentReview, result.data.state);
  }

  function setReview(nextReview, nextState = nextReview?.state) {
    if (nextReview) {
      currentReview = nextReview;
      replaceContent(summary, reviewMeta(nextReview, "span"));
      replaceContent(snippet, shortText(nextReview.text) || "(a rating without text)");
      if (parts) {
        const card = reviewCard(nextReview, { meta: false });
        parts.card.replaceWith(card);
        parts.card = card;
      }
    }
    applyState(nextState);
  }

  function buildBody() {
    // The headline (platform, stars, name, date) is in the header: the card leaves it out.
    parts = { card: reviewCard(currentReview, { meta: false }) };
    parts.triage = triagePanel({ api, reviewId, report: reporterFor(() => parts.triage.element),
                                 onChanged: async () => { await loadAdvice(); await refresh(); } });
    parts.matches = matchList({ api, reviewId, report: reporterFor(() => parts.matches.element),
                               onDecided: () => onStateChange(currentState) });
    parts.followUp = followUp({ api, reviewId, report: reporterFor(() => parts.followUp.element), onState: applyState });
    parts.closeOut = closeOut({ api, reviewId, report: reporterFor(() => parts.closeOut.element), onState: applyState });
    replaceContent(body, parts.card, parts.triage.element, parts.matches.element, parts.followUp.element,
      parts.closeOut.element, message);
    applyState(currentState);
  }

  async function firstOpening() {
    buildBody();
    const viewed = await logReviewEvent(api, reviewId, { type: "viewed" });
    if (!viewed.ok) report(`Could not note that you read this review: ${viewed.message}`, "error");
    else if (viewed.queued) report(viewed.message, "info");
    else applyState(viewed.state);
    await Promise.all([refresh(), loadAdvice(), parts.matches.load()]);
    element.dataset.loaded = "true";
  }

  function open() {
    body.hidden = false;
    snippet.hidden = true;
    element.dataset.expanded = "true";
    toggle?.setAttribute("aria-expanded", "true");
    onOpen(controller);
    opened ??= firstOpening();
    return opened;
  }

  function close() {
    if (!collapsible) return;
    body.hidden = true;
    snippet.hidden = false;
    element.dataset.expanded = "false";
    toggle.setAttribute("aria-expanded", "false");
  }

  const controller = {
    element,
    reviewId,
    open,
    close,
    refresh,
    setReview,
    state: () => currentState,
    destroy() {
      reply?.destroy();
    },
  };
  applyState(currentState);
  if (!collapsible) open();
  return controller;
}

/**
 * The workbench of review `reviewId` in `container` (the dashboard's review page): fetches the
 * review, shows it opened (which logs `viewed`), and resolves to the workbench once loaded, or to
 * null after showing why it could not be loaded.
 */
export async function mountWorkbench(container, { api, reviewId, hooks = {}, checkDelay, onStateChange } = {}) {
  const result = await call(api, "GET", reviewPath(reviewId));
  if (!result.ok || !result.data?.review) {
    replaceContent(container, h("p", { class: "wb-error", role: "alert" }, failureMessage(result, "The review could not be loaded.")));
    return null;
  }
  const workbench = createWorkbench({ api, review: result.data.review, state: result.data.state, hooks, checkDelay, onStateChange });
  replaceContent(container, workbench.element);
  await workbench.open();
  return workbench;
}
