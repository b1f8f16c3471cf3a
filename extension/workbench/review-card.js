// The review as its reader wrote it: platform, stars or recommendation, name, shown date, text, the
// owner's reply and a link to it on the platform. Everything here is a stranger's text: text nodes only.

import { h, isSafeHref } from "./dom.js";
import { platformName, ratingLabel, ratingText } from "./format.js";

/** The link to the review on its platform, only for an http(s) address. */
export function platformLink(review) {
  const url = typeof review?.url === "string" ? review.url.trim() : "";
  if (!/^https?:\/\//i.test(url) || !isSafeHref(url)) return null;
  return h("a", { class: "wb-link", href: url, target: "_blank", rel: "noopener noreferrer" },
    `Open on ${platformName(review.platform)}`);
}

function ownerReply(reply) {
  const text = typeof reply === "string" ? reply : reply?.text;
  if (!text) return null;
  const shown = typeof reply === "object" ? reply.date_text : null;
  return h("div", { class: "wb-owner-reply", "data-role": "owner-reply" },
    h("p", { class: "wb-label" }, "Owner's reply", shown ? ` · ${shown}` : ""),
    h("blockquote", { class: "wb-text" }, text));
}

/** The line that says whose review it is: platform, stars or recommendation, name, shown date. */
export function reviewMeta(review, tag = "p") {
  const rating = ratingText(review);
  return h(tag, { class: "wb-meta" },
    h("span", { class: "wb-platform", "data-platform": review.platform }, platformName(review.platform)),
    rating ? h("span", { class: "wb-rating", "data-role": "rating", "aria-label": ratingLabel(review) }, rating) : null,
    h("span", { class: "wb-reviewer", "data-role": "reviewer" }, review.reviewer_name || "Anonymous"),
    review.date_text ? h("span", { class: "wb-date" }, review.date_text) : null,
    review.edited && !/edit|updat/i.test(review.date_text ?? "") ? h("span", { class: "wb-edited" }, "edited") : null);
}

/**
 * The card `.wb-card` for a stored review (as `GET /api/reviews/<id>` gives it); `meta: false`
 * leaves out the line `reviewMeta` makes (when it is shown elsewhere, as in the workbench's header).
 */
export function reviewCard(review, { meta = true } = {}) {
  const text = review.text
    ? h("blockquote", { class: "wb-text", "data-role": "review-text" }, review.text)
    : h("p", { class: "wb-muted", "data-role": "review-text" }, "(a rating without text)");
  return h("section", { class: "wb-card", "aria-label": "The review" },
    meta ? reviewMeta(review) : null,
    text,
    review.text_truncated ? h("p", { class: "wb-muted" }, "Only the start of this text was captured: open “More” on the page.") : null,
    ownerReply(review.owner_reply),
    platformLink(review));
}
