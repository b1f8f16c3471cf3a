// The stage badge: where a review stands in the workflow (new, cooling down, ready, overdue, ...).

import { h, replaceContent } from "./dom.js";
import { stageName } from "./format.js";

/** Whether the review is late: past the response target (W2) or its follow-up call is due (W6). */
export function isOverdue(state) {
  return Boolean(state && (state.stage === "overdue" || state.overdue || state.followup_overdue));
}

/** The badge `[data-role=stage][data-stage=...]` for a review's `state`; `update(state)` changes it. */
export function stageBadge(state) {
  const element = h("span", { class: "wb-stage", "data-role": "stage" });
  const update = (next) => {
    const stage = next?.stage ?? "unknown";
    element.dataset.stage = stage;
    element.dataset.overdue = String(isOverdue(next));
    const late = isOverdue(next) && stage !== "overdue" ? (next.followup_overdue ? " · call overdue" : " · overdue") : "";
    replaceContent(element, stageName(stage) + late);
  };
  update(state);
  return { element, update };
}
