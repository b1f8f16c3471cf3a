// What the toolbar read on the current tab: the platform and how many reviews, or the problem
// (a block or captcha page, a page where the site's layout seems to have changed, a refused
// capture), shown plainly with what to do.

import { h, replaceContent } from "../workbench/dom.js";
import { localTime, platformName } from "../workbench/format.js";

const PROBLEMS = {
  blocked: (site) => `${site} showed a check page (a captcha or a block) instead of the reviews. Solve it in the tab or wait a ` +
    "while and reload; the toolbar reads the reviews again when they show.",
  no_reviews: (site) => `No reviews were found on this ${site} page. If the page does show reviews, the site's layout may have ` +
    "changed: select one review, right-click and choose “Send this review to ReviewDesk”.",
  error: () => "ReviewDesk could not read this page.",
};

/** The capture's status as the panel shows it: `none`, `ok`, `queued`, `blocked`, `no_reviews` or `error`. */
export function captureStatus(capture) {
  return capture && capture.status ? String(capture.status) : "none";
}

/** Renders a `tab-reviews` answer (or a `capture-result`) into `[data-role=capture]`. */
export function renderCapture(element, capture) {
  const status = captureStatus(capture);
  const site = capture?.platform ? platformName(capture.platform) : "this site's";
  const warnings = (Array.isArray(capture?.warnings) ? capture.warnings : []).filter(Boolean);
  const count = Array.isArray(capture?.review_ids) ? capture.review_ids.length : 0;
  const problem = Object.hasOwn(PROBLEMS, status) || (status === "ok" && warnings.length > 0);
  element.dataset.status = status;
  element.classList.toggle("capture-problem", problem);
  element.setAttribute("role", problem ? "alert" : "status");
  let headline;
  if (status === "none") {
    headline = "Nothing captured on this tab yet. Open the practice's reviews on Google, Yelp or Facebook: the toolbar reads " +
      "them as they appear.";
  } else if (status === "ok") {
    headline = `${platformName(capture.platform) || "Page"}: ${count} review${count === 1 ? "" : "s"} read` +
      `${capture.captured_at ? ` at ${localTime(capture.captured_at)}` : ""}.`;
  } else if (status === "queued") {
    headline = "Captured. It waits in the toolbar until ReviewDesk's server is back, then it is sent.";
  } else {
    headline = (PROBLEMS[status] ?? PROBLEMS.error)(site);
  }
  const waiting = Number(capture?.waiting) > 0 && status !== "queued" ? Math.floor(Number(capture.waiting)) : 0;
  replaceContent(element,
    h("p", { class: "capture-headline", "data-role": "capture-headline" }, headline),
    waiting ? h("p", { "data-role": "capture-waiting" }, `${waiting} later capture${waiting === 1 ? "" : "s"} of this page ` +
      `${waiting === 1 ? "waits" : "wait"} for ReviewDesk's server.`) : null,
    capture?.error && status === "error" ? h("p", { "data-role": "capture-error" }, String(capture.error)) : null,
    warnings.length ? h("ul", { class: "capture-warnings", "data-role": "capture-warnings" },
      warnings.map((warning) => h("li", { "data-role": "capture-warning" }, String(warning)))) : null);
  element.hidden = false;
}
