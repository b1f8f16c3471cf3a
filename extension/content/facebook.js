/**
 * Facebook page reviews ("recommendations"). Mirrors parsers/facebook.py: each review is the feed item
 * (aria-posinset) around a "<Name> recommends <Page>" header, or the largest block holding only that
 * header. Off a page's reviews tab, only posts whose header reads as a review are captured (never the
 * news feed), and only the reviews tab is ever sent whole (a login wall there).
 */

(() => {
  const HEADER = "[data-ad-rendering-role='profile_name']";
  // parsers/facebook.py RECOMMENDS and REVIEWED: what a review's header says.
  const REVIEW_HEADER = /\s(?:recommends|doesn[’']t recommend|does not recommend|reviewed|rated)\s/i;
  const PAGE_TOP = "body, [role='main'], [role='feed']";

  const onReviewsTab = (location) => /\/reviews(?:\/|$)/.test(location.pathname) || /[?&]sk=reviews\b/.test(location.search);

  function cardOf(header) {
    let card = header.parentElement;
    for (let ancestor = header.parentElement; ancestor && !ancestor.matches(PAGE_TOP); ancestor = ancestor.parentElement) {
      if (ancestor.hasAttribute("aria-posinset")) return ancestor;
      if (ancestor.querySelectorAll(HEADER).length > 1) return card; // the next block up holds another review
      card = ancestor;
    }
    return card;
  }

  function findContainers(document) {
    const everyHeader = onReviewsTab(document.location ?? location);
    const headers = ReviewDeskCapture.outermost(Array.from(document.querySelectorAll(HEADER)))
      .filter((header) => everyHeader || REVIEW_HEADER.test(` ${header.textContent} `));
    return [...new Set(headers.map(cardOf))].filter(Boolean);
  }

  globalThis.ReviewDeskCapture?.start({
    platform: "facebook",
    findContainers,
    replyBoxes: [
      "[contenteditable='true'][role='textbox'][aria-label*='comment' i]",
      "[contenteditable='true'][role='textbox'][aria-label*='reply' i]",
      "[contenteditable='true'][role='textbox']",
    ],
    pageKey: (location) => `${location.origin}${location.pathname}`,
    isReviewPage: (document, location) => onReviewsTab(location),
  });
})();
