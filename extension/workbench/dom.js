// Building the DOM safely: every piece of text becomes a text node, never markup. The workbench is
// shown in the extension's side panel and on the dashboard; review text comes from strangers.

const BOOLEAN_PROPERTIES = new Set(["disabled", "hidden", "checked", "required", "readOnly", "selected"]);

/**
 * An element: h("button", {class: "primary", "data-action": "copy", onclick: copy}, "Copy reply").
 *
 * Attributes: `class`, `data-*`, `aria-*` and other names are set as attributes; `disabled`,
 * `hidden`, `checked`, `required`, `readOnly`, `selected` as properties; `on<event>` functions are
 * listeners; `null`, `undefined` and `false` values are left out. A string handler, a `style`
 * attribute or a link that is not http(s) is refused with a TypeError. Children: strings and numbers
 * become text nodes, nodes are appended, arrays are flattened, `null`/`false` are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = globalThis.document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) {
      if (typeof value !== "function") throw new TypeError(`h(): ${name} must be a function, not markup`);
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "style") {
      throw new TypeError("h(): use a class, not a style attribute (the dashboard's CSP refuses inline styles)");
    } else if (name === "href" && !isSafeHref(String(value))) {
      throw new TypeError("h(): a link must be http(s), a same-site path or a #fragment");
    } else if (BOOLEAN_PROPERTIES.has(name)) {
      element[name] = Boolean(value);
    } else if (name === "value") {
      element.value = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Whether `href` can only navigate (http, https, a path on this site, a fragment): never script. */
export function isSafeHref(href) {
  return /^(https?:\/\/|\/(?!\/)|#)/i.test(href);
}

/** Appends text (as text nodes) and nodes to `parent`; arrays are flattened, empty values skipped. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    parent.append(typeof child === "object" ? child : globalThis.document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces everything inside `parent` with `children` (see `append`). */
export function replaceContent(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let uniqueCounter = 0;

/** An id unique on the page, for label/aria references between elements. */
export function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}
