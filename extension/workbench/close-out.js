// Ending a review without a reply: reported on the platform or ignored (W7, trolls and spam), or
// escalated to management (legal threats, emergencies, privacy complaints).

import { logReviewEvent } from "./api.js";
import { h, replaceContent } from "./dom.js";
import { stageName } from "./format.js";

const CHOICES = {
  do_not_reply: [["reported", "reported", "Reported on the platform"], ["ignored", "ignored", "Ignored"]],
  escalate: [["escalated", "escalated", "Escalated to management"]],
  reply: [["ignored", "ignored", "Leave without a reply"]],
};
const DONE = { reported: "Logged: reported on the platform.", ignored: "Logged: left without a reply.",
               escalated: "Logged: escalated to management." };

/** `[data-role=close-out]`: `{element, update(state, advice)}`. */
export function closeOut({ api, reviewId, report, onState }) {
  const buttons = h("div", { class: "wb-buttons" });
  const status = h("p", { class: "wb-muted", "data-role": "close-out-status" });
  const element = h("section", { class: "wb-section wb-close-out", "data-role": "close-out", "aria-label": "Without a reply" },
    status, buttons);
  let action = null;
  let state = null;

  async function log(type, button) {
    button.disabled = true;
    const outcome = await logReviewEvent(api, reviewId, { type });
    button.disabled = false;
    if (!outcome.ok) {
      report(outcome.message, "error");
      return;
    }
    report(outcome.queued ? outcome.message : DONE[type], "success");
    if (outcome.state) onState(outcome.state);
  }

  function render() {
    const settled = state?.stage === "ignored" || state?.stage === "escalated";
    element.hidden = Boolean(state?.replied_at) || !action;
    replaceContent(status, settled ? `This review is marked ${stageName(state.stage).toLowerCase()}.` : "");
    status.hidden = !settled;
    replaceContent(buttons, settled ? [] : (CHOICES[action] ?? []).map(([dataAction, type, label]) =>
      h("button", { type: "button", "data-action": dataAction,
                    onclick: (event) => log(type, event.currentTarget) }, label)));
  }

  return {
    element,
    update(nextState, advice) {
      if (nextState) state = nextState;
      if (advice) action = advice.action;
      render();
    },
  };
}
