// Who wrote it (W3): the contacts who may be the reviewer, each with a confidence, the reasons and
// recent activity, to confirm or reject. Nothing is confirmed automatically.

import { call, reviewPath } from "./api.js";
import { h, replaceContent } from "./dom.js";
import { failureMessage, localTime } from "./format.js";

const CONFIDENCE_NAMES = { high: "High confidence", medium: "Medium confidence", low: "Low confidence" };

function activityItem(activity) {
  const when = activity.at ? localTime(activity.at) : "";
  return h("li", { class: "wb-activity" },
    h("span", { class: "wb-activity-type" }, activity.type || "activity"),
    when ? ` · ${when}` : "",
    activity.summary ? ` · ${activity.summary}` : "",
    activity.staff ? ` · ${activity.staff}` : "");
}

/**
 * `[data-role=candidates]`: `{element, load()}`. Confirm/reject send
 * `POST /api/reviews/<id>/match {contact_id, decision}`, show the candidates the server returns, then
 * call `onDecided(decision)` (a confirmation is logged in the review's timeline).
 */
export function matchList({ api, reviewId, report = () => {}, onDecided = () => {} }) {
  const note = h("p", { class: "wb-muted", "data-role": "match-note", role: "status" });
  const list = h("ul", { class: "wb-candidates" });
  const element = h("section", { class: "wb-section wb-matches", "data-role": "candidates", "aria-label": "Who wrote it?",
                                  "data-loaded": "false" },
    h("h3", {}, "Who wrote it?"), note, list);

  async function decide(candidate, decision, button) {
    button.disabled = true;
    const result = await call(api, "POST", reviewPath(reviewId, "/match"), { contact_id: candidate.contact_id, decision });
    button.disabled = false;
    if (!result.ok) {
      report(failureMessage(result, "The decision was not saved."), "error");
      return;
    }
    report(decision === "confirm" ? `Confirmed: ${candidate.name} wrote this review.` : `Noted: ${candidate.name} is not the reviewer.`, "success");
    show(result.data);
    onDecided(decision);
  }

  function candidateItem(candidate) {
    const decided = candidate.decision; // "confirmed", "rejected" or null
    const confirm = h("button", { type: "button", "data-action": "confirm", "aria-label": `It's them: ${candidate.name}`,
                                   disabled: decided === "confirmed" }, "It's them");
    const reject = h("button", { type: "button", "data-action": "reject", "aria-label": `Not them: ${candidate.name}`,
                                  disabled: decided === "rejected" }, "Not them");
    confirm.addEventListener("click", () => decide(candidate, "confirm", confirm));
    reject.addEventListener("click", () => decide(candidate, "reject", reject));
    const activities = Array.isArray(candidate.activities) ? candidate.activities : [];
    const reasons = Array.isArray(candidate.reasons) ? candidate.reasons : [];
    return h("li", { class: "wb-candidate", "data-role": "candidate", "data-contact-id": candidate.contact_id,
                     "data-confidence": candidate.confidence, "data-decision": decided ?? "none" },
      h("p", { class: "wb-candidate-head" },
        h("strong", { class: "wb-candidate-name" }, candidate.name),
        " ",
        h("span", { class: `wb-confidence wb-confidence-${candidate.confidence}` },
          CONFIDENCE_NAMES[candidate.confidence] ?? String(candidate.confidence ?? "")),
        decided ? h("span", { class: "wb-decision" }, ` · ${decided}`) : null),
      reasons.length ? h("ul", { class: "wb-reasons", "aria-label": "Reasons" }, reasons.map((reason) => h("li", {}, reason))) : null,
      activities.length ? h("details", { class: "wb-activities" },
        h("summary", {}, `Recent activity (${activities.length})`),
        h("ul", {}, activities.map(activityItem))) : null,
      h("div", { class: "wb-buttons" }, confirm, reject));
  }

  function show(data) {
    const candidates = Array.isArray(data?.candidates) ? data.candidates : [];
    replaceContent(note, data?.note || (candidates.length ? "Check the reasons before you confirm: a call to the wrong person is a privacy incident."
      : "No likely contact."));
    replaceContent(list, candidates.map(candidateItem));
    element.dataset.loaded = "true";
  }

  async function load() {
    replaceContent(note, "Looking the reviewer up in the contacts…");
    const result = await call(api, "GET", reviewPath(reviewId, "/matches"));
    if (!result.ok) {
      replaceContent(note, failureMessage(result, "The contacts could not be searched."), " ",
        h("button", { type: "button", class: "wb-link-button", "data-action": "retry-matches", onclick: load }, "Try again"));
      element.dataset.loaded = "error";
      return;
    }
    show(result.data);
  }

  return { element, load };
}
