/**
 * Yelp business pages (www.yelp.com/biz/...) and, best effort, the owner inbox on biz.yelp.com.
 * Mirrors parsers/yelp.py: the review JSON in the page (then the page goes whole), else the review
 * cards found from the reviewer's link up to the block that also holds the star rating.
 */

(() => {
  const STARS = "[role='img'][aria-label$='star rating']";
  const USER_LINK = "a[href*='user_details?userid=']";
  const COMMENT = "[class*='comment__']";
  const OLD_CARD = "div.review[data-review-id]";
  const REVIEW_JSON = "script[type='application/json'], script[data-hypernova-key], script[data-apollo-state], script[type='application/ld+json']";
  // Keys only a script holding reviews has: the older feed, the GraphQL feed, schema.org reviews.
  const REVIEW_KEYS = /"reviewFeedQueryProps"|"encid"|"review"\s*:/;

  /** The card around a reviewer's link: the nearest ancestor that also holds a star rating. */
  function cardOf(link) {
    for (let ancestor = link.parentElement; ancestor; ancestor = ancestor.parentElement) {
      if (ancestor.querySelector(STARS)) return ancestor;
    }
    return null;
  }

  function findContainers(document) {
    const cards = [...new Set(Array.from(document.querySelectorAll(USER_LINK), cardOf))].filter((card) => {
      if (!card) return false;
      // One reviewer per card (a block holding two reviews is not a card).
      const reviewers = new Set(Array.from(card.querySelectorAll(USER_LINK), (link) => link.getAttribute("href")));
      return reviewers.size === 1;
    });
    if (cards.length) return cards;
    const old = Array.from(document.querySelectorAll(OLD_CARD));
    if (old.length) return old;
    // A review text without a reviewer link: the block around it that holds a star rating.
    return Array.from(document.querySelectorAll(COMMENT), (comment) => {
      for (let ancestor = comment.parentElement; ancestor; ancestor = ancestor.parentElement) {
        if (ancestor.querySelector(STARS)) return ancestor;
      }
      return null;
    });
  }

  globalThis.ReviewDeskCapture?.start({
    platform: "yelp",
    findContainers,
    // parsers/yelp.py reads the business id from this meta tag (the review's place).
    pageParts: ["meta[name='yelp-biz-id']", "link[rel='canonical']"],
    needsPage(document) {
      return Array.from(document.querySelectorAll(REVIEW_JSON)).some((script) => REVIEW_KEYS.test(script.textContent || ""));
    },
    replyBoxes: [
      "textarea[name*='reply' i]",
      "textarea[placeholder*='reply' i]",
      "textarea[aria-label*='reply' i]",
      "textarea[placeholder*='comment' i]",
      "[contenteditable='true'][role='textbox']",
    ],
    pageKey: (location) => `${location.origin}${location.pathname}${location.search}`,
    // A business page or the owner inbox with no card: a block page or a changed layout.
    isReviewPage: (document, location) => location.pathname.startsWith("/biz/") || location.hostname === "biz.yelp.com",
  });
})();
