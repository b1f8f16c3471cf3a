// Suggested replies for a review (GET /api/reviews/<id>/suggestions): each can fill the editor.

import { h, replaceContent } from "./dom.js";

/** `{element, update(suggestions)}`; `onUse(text)` when staff pick one. */
export function suggestionList({ onUse }) {
  const list = h("ol", { class: "wb-suggestions", "data-role": "suggestions" });
  const empty = h("p", { class: "wb-muted", hidden: true },
    "No suggested reply for this review: write one below (the checker reads it as you type).");
  const element = h("div", { class: "wb-suggestion-block" }, h("p", { class: "wb-label" }, "Suggested replies"), list, empty);

  function item(suggestion, index) {
    return h("li", { class: "wb-suggestion", "data-role": "suggestion" },
      h("p", { class: "wb-suggestion-text" }, suggestion.text),
      h("button", { type: "button", "data-action": "use-suggestion", "aria-label": `Use suggestion ${index + 1}`,
                    onclick: () => onUse(suggestion.text) }, "Use this reply"));
  }

  return {
    element,
    update(suggestions) {
      const usable = (Array.isArray(suggestions) ? suggestions : []).filter((suggestion) => suggestion?.text);
      replaceContent(list, usable.map(item));
      list.hidden = !usable.length;
      empty.hidden = Boolean(usable.length);
    },
  };
}
