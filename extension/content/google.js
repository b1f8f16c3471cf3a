/**
 * Google: the Maps reviews panel, the Search business panel (2018 and 2024 layouts) and the Business
 * Profile owner view. The containers mirror parsers/google.py (stable anchors before class names).
 */

globalThis.ReviewDeskCapture?.start({
  platform: "google",
  // parsers/google.py: MAPS_CARD, SEARCH_CARD, SEARCH_2024_CARD, BUSINESS_CARD, in its order.
  containers: [
    ["div[data-review-id][aria-label]", "div.jftiEf"],
    ["div.gws-localreviews__google-review", "div.WMbnJf"],
    ["div.bwb7ce"],
    ["div.GYpYWe"],
  ],
  // The owner's reply box: Business Profile and the Maps/Search "Reply" dialog.
  replyBoxes: [
    "textarea[aria-label*='reply' i]",
    "textarea[placeholder*='reply' i]",
    "[contenteditable='true'][aria-label*='reply' i]",
    "div[role='dialog'] textarea",
  ],
  // One page view per place on Maps (its address changes as the map moves), else per address.
  pageKey(location) {
    const place = location.pathname.match(/\/maps\/place\/([^/]+)/);
    return place ? `maps:${place[1]}` : `${location.origin}${location.pathname}${location.search}`;
  },
  // With no container found, the page is sent whole only where reviews are expected: Google's
  // "unusual traffic" page, the owner view's reviews, or a Maps list whose cards no longer match.
  isReviewPage(document, location) {
    if (location.pathname.startsWith("/sorry/")) return true;
    if (location.hostname === "business.google.com") return /review/i.test(location.pathname);
    const ids = new Set(Array.from(document.querySelectorAll("[data-review-id]"), (el) => el.getAttribute("data-review-id")));
    return ids.size >= 3;
  },
});
