/**
 * Capture logic shared by the platforms' content scripts (a classic script: content scripts cannot be
 * ES modules). It exposes one global, `ReviewDeskCapture`; each `content/<platform>.js` describes its
 * site (review containers, reply boxes) and calls `ReviewDeskCapture.start(site)`.
 *
 * What it does on a review page:
 * - finds the review containers with the site's selectors (stable anchors first, like parsers/), and
 *   sends their outerHTML to the worker, or the page itself when the reviews live in the page's JSON
 *   or no container is known on what should be a review page (a block page, a changed layout);
 * - captures again when more reviews load or "More" is expanded (MutationObserver, debounced), sending
 *   only the containers that are new or changed, never the same content twice, at most 4 MB a message;
 * - answers "insert-reply" (puts a reply in the site's reply box, as typed text, never as HTML) and
 *   "capture-selection" (the context menu: the review around the selected text).
 *
 * It never reads the extension's storage and never talks to the server: the worker alone does both.
 */

(() => {
  "use strict";

  if (globalThis.ReviewDeskCapture) return; // injected twice (an extension reload): keep the first

  // The same names as shared/messages.js (a test holds them equal).
  const MessageType = Object.freeze({
    CAPTURE: "capture",
    INSERT_REPLY: "insert-reply",
    CAPTURE_SELECTION: "capture-selection",
  });

  /** Why a capture was sent; the worker replaces the tab's reviews on "page" and adds to them otherwise. */
  const Reason = Object.freeze({ PAGE: "page", MORE: "more", SELECTION: "selection" });

  const LIMITS = Object.freeze({
    maxBytes: 4 * 1024 * 1024, // the server accepts 10 MB
    debounceMs: 800, // after the last change of the page
    maxWaitMs: 4000, // a page that never stops changing is still captured
    fallbackDelayMs: 5000, // how long reviews may take to appear before the page itself is sent
  });

  // Scripts that carry data, not code: Yelp's review JSON, schema.org.
  const DATA_SCRIPT = "script[type='application/json'], script[type='application/ld+json'], script[data-hypernova-key], script[data-apollo-state]";
  // Left out of a page sent whole: code, styles and icons (the server drops them too).
  const PAGE_NOISE = "script, style, svg, template";
  // Where a reply can be typed: multi-line boxes only (never the site's search field).
  const EDITABLE = "textarea, [contenteditable=''], [contenteditable='true'], [contenteditable='plaintext-only']";
  const NOT_A_REPLY_BOX = "[role='combobox'], [role='searchbox'], [type='search'], form[role='search'] *";
  // Elements a selection's review is likely to be (when no site container encloses it).
  const CARD_LIKE = "article, li, [role='article'], [role='listitem'], [data-review-id], [aria-posinset], [itemtype*='Review']";
  const SELECTION_MIN_TEXT = 120;
  const SELECTION_MAX_TEXT = 20000;

  const utf8 = new TextEncoder();

  /** UTF-8 size of a string, without encoding it when it is clearly small enough. */
  function byteLength(text, limit = Infinity) {
    if (text.length * 3 <= limit) return text.length; // a lower bound is enough to know it fits
    return utf8.encode(text).length;
  }

  /** A 53-bit hash of a string (cyrb53), as hex: tells contents apart, not a security measure. */
  function hashText(text) {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
  }

  const pad = (value) => String(value).padStart(2, "0");

  /** The browser's local time with its UTC offset, e.g. 2026-11-23T14:05:00-06:00. */
  function localIsoTime(date) {
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const abs = Math.abs(offset);
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
      `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  /** The page's language: the html lang attribute, else the browser's. */
  function pageLanguage(doc, nav) {
    const declared = (doc.documentElement?.getAttribute("lang") || "").trim();
    return (declared || nav?.language || "en").slice(0, 35);
  }

  /** Drops elements nested inside another element of the list (ids repeated on descendants). */
  function outermost(elements) {
    const chosen = new Set(elements);
    return elements.filter((element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (chosen.has(parent)) return false;
      }
      return true;
    });
  }

  function selectAll(root, selector) {
    try {
      return Array.from(root.querySelectorAll(selector));
    } catch {
      return []; // a selector this browser does not know
    }
  }

  /**
   * The review containers of a page by a site's layouts: `[[anchor, fallback...], ...]`. The first
   * layout that finds any wins; in a layout, the fallbacks (obfuscated classes) are asked only when
   * the stable anchor finds nothing. This is how parsers/ choose cards too.
   */
  function containersByLayouts(root, layouts) {
    for (const [anchor, ...fallbacks] of layouts) {
      let found = outermost(selectAll(root, anchor));
      if (!found.length && fallbacks.length) found = outermost(fallbacks.flatMap((css) => selectAll(root, css)));
      if (found.length) return found;
    }
    return [];
  }

  function findContainers(doc, site) {
    const found = typeof site.findContainers === "function" ? site.findContainers(doc) : containersByLayouts(doc, site.containers ?? []);
    return outermost(found.filter(Boolean));
  }

  /** What a container says (its text, without drafts typed into it, and its labels): changes when it does. */
  function signature(element) {
    const parts = [];
    const doc = element.ownerDocument;
    const walker = doc.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest("[contenteditable]")) parts.push(node.data);
    }
    for (const labelled of selectAll(element, "[aria-label]")) parts.push(labelled.getAttribute("aria-label"));
    parts.push(element.getAttribute("aria-label") || "", element.getAttribute("data-review-id") || "");
    return hashText(parts.join("\u0001"));
  }

  /** The HTML of the head elements a parser reads from the page (Yelp's business id, the canonical link). */
  function headParts(doc, site) {
    return (site.pageParts ?? []).flatMap((css) => selectAll(doc, css)).map((element) => element.outerHTML);
  }

  /** A small document around the containers, so the server reads them as it reads a page. */
  function wrap(doc, head, bodies) {
    const lang = (doc.documentElement?.getAttribute("lang") || "").replace(/[^A-Za-z0-9-]/g, "");
    const langAttribute = lang ? ` lang="${lang}"` : "";
    return `<!DOCTYPE html>\n<html${langAttribute}><head>${head.join("")}</head><body>\n${bodies.join("\n")}\n</body></html>`;
  }

  /**
   * The page as HTML without its code, styles and icons (data scripts stay: Yelp's reviews are in
   * them, and script addresses stay: a captcha page is known by them). Copied into an inert document,
   * so nothing in the copy loads or runs.
   */
  function pageHtml(doc) {
    const inert = doc.implementation.createHTMLDocument("");
    const root = inert.importNode(doc.documentElement, true);
    for (const element of selectAll(root, PAGE_NOISE)) {
      if (element.localName === "script") {
        if (element.matches(DATA_SCRIPT)) continue;
        if (element.hasAttribute("src")) {
          element.textContent = "";
          continue;
        }
      }
      element.remove();
    }
    return `<!DOCTYPE html>\n${root.outerHTML}`;
  }

  // Attributes that only wire the page's own code (Google's js* event wiring, inline handlers): never review data.
  const WIRING_ATTRIBUTE = /^(?:on|js(?:action|log|name|controller|data|an|tcache)$)/i;

  /**
   * A review container's HTML without its icons, styles, code and event wiring (what the server drops
   * before reading it anyway): a Google Maps card is about a fifth of its size. Copied into an inert
   * document, so nothing in the copy loads or runs.
   */
  function containerHtml(element) {
    const inert = element.ownerDocument.implementation.createHTMLDocument("");
    const copy = inert.importNode(element, true);
    for (const noise of selectAll(copy, PAGE_NOISE)) {
      if (!(noise.localName === "script" && noise.matches(DATA_SCRIPT))) noise.remove();
    }
    for (const node of [copy, ...selectAll(copy, "*")]) {
      for (const name of node.getAttributeNames()) {
        if (WIRING_ATTRIBUTE.test(name)) node.removeAttribute(name);
      }
    }
    return copy.outerHTML;
  }

  /**
   * Groups containers' HTML into messages of at most `maxBytes`: `{groups, tooLarge}` (the containers
   * larger than that on their own are left out).
   */
  function batches(items, overhead, maxBytes) {
    const groups = [];
    const tooLarge = [];
    let current = [];
    let size = overhead;
    for (const item of items) {
      const bytes = byteLength(item.html, maxBytes) + 1;
      if (bytes + overhead > maxBytes) {
        tooLarge.push(item);
        continue;
      }
      if (current.length && size + bytes > maxBytes) {
        groups.push(current);
        current = [];
        size = overhead;
      }
      current.push(item);
      size += bytes;
    }
    if (current.length) groups.push(current);
    return { groups, tooLarge };
  }

  /**
   * The capture loop of one page: call `check()` when the page may have changed (it debounces), and
   * it sends what is new with `send(message)`. Everything it touches comes in, so tests drive it.
   */
  function createCapturer({
    site,
    document: doc,
    location: loc,
    navigator: nav,
    send,
    timers = globalThis,
    now = () => new Date(),
    limits = {},
    log = globalThis.console,
  }) {
    const { maxBytes, debounceMs, maxWaitMs, fallbackDelayMs } = { ...LIMITS, ...limits };
    let pageKey = null;
    let pageStartedAt = 0;
    let sentContainers = new Set(); // signatures of the containers sent in this page view
    let sentPages = new Set(); // hashes of whole pages sent in this page view
    let containersSent = false;
    let timer = null;
    let firstChangeAt = null;
    let stopped = false;
    let outbox = Promise.resolve();

    const keyOfPage = () => (typeof site.pageKey === "function" ? site.pageKey(loc) : `${loc.origin}${loc.pathname}${loc.search}`);

    function startPageIfNew() {
      const key = keyOfPage();
      if (key === pageKey) return;
      pageKey = key;
      pageStartedAt = now().getTime();
      sentContainers = new Set();
      sentPages = new Set();
      containersSent = false;
    }

    function message(html, reason) {
      const moment = now();
      return {
        type: MessageType.CAPTURE,
        url: loc.href,
        html,
        captured_at: localIsoTime(moment),
        utc_offset_minutes: -moment.getTimezoneOffset(),
        lang: pageLanguage(doc, nav),
        reason,
      };
    }

    function queueSend(capture) {
      const sending = outbox.then(() => send(capture));
      outbox = sending.catch(() => {});
      return sending;
    }

    /** The page itself as a message, once per distinct content in this page view (else no message). */
    function sendPage(identity) {
      if (sentPages.has(identity)) return [];
      const html = pageHtml(doc);
      if (byteLength(html, maxBytes) > maxBytes) {
        log?.warn?.(`ReviewDesk: this page is larger than ${maxBytes / 1048576} MB without its scripts; it is not captured.`);
        return [];
      }
      sentPages.add(identity);
      return [message(html, Reason.PAGE)];
    }

    /** The messages a capture of the page now would send (possibly none); marks them as sent. */
    function collect() {
      startPageIfNew();
      const containers = findContainers(doc, site);
      if (typeof site.needsPage === "function" && site.needsPage(doc)) {
        // The reviews are in the page's data: the page goes whole, again only when its reviews changed.
        const identity = hashText([...selectAll(doc, DATA_SCRIPT).map((s) => s.textContent), ...containers.map(signature)].join("\u0002"));
        return sendPage(identity);
      }
      if (!containers.length) {
        const waited = now().getTime() - pageStartedAt >= fallbackDelayMs;
        if (typeof site.isReviewPage === "function" && site.isReviewPage(doc, loc) && waited && !containersSent) {
          return sendPage("no-containers"); // a block page or a changed layout: the server says which
        }
        return [];
      }
      const fresh = [];
      for (const element of containers) {
        const id = signature(element);
        if (!sentContainers.has(id)) fresh.push({ id, html: containerHtml(element) });
      }
      if (!fresh.length) return [];
      const head = headParts(doc, site);
      const overhead = byteLength(wrap(doc, head, []), Infinity);
      const { groups, tooLarge } = batches(fresh, overhead, maxBytes);
      const messages = [];
      for (const group of groups) {
        messages.push(message(wrap(doc, head, group.map((item) => item.html)), containersSent ? Reason.MORE : Reason.PAGE));
        containersSent = true;
        for (const item of group) sentContainers.add(item.id);
      }
      for (const item of tooLarge) {
        sentContainers.add(item.id); // not measured again on every change of the page
        log?.warn?.(`ReviewDesk: a review container is larger than ${maxBytes / 1048576} MB; it is not captured.`);
      }
      return messages;
    }

    /** Captures now (no debounce); answers the worker's answers. */
    function captureNow() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      firstChangeAt = null;
      if (stopped) return Promise.resolve([]);
      let messages;
      try {
        messages = collect();
      } catch (error) {
        log?.warn?.("ReviewDesk: capturing this page failed", error);
        return Promise.resolve([]);
      }
      if (!messages.length) recheckForFallback();
      return Promise.all(messages.map(queueSend));
    }

    /** The page changed: capture once it has been quiet for `debounceMs` (at most `maxWaitMs` after the first change). */
    function check() {
      if (stopped) return;
      const moment = now().getTime();
      firstChangeAt ??= moment;
      if (timer !== null) timers.clearTimeout(timer);
      const delay = Math.max(0, Math.min(debounceMs, firstChangeAt + maxWaitMs - moment));
      timer = timers.setTimeout(() => {
        timer = null;
        captureNow();
      }, delay);
    }

    /** A review page with no container yet: look again when it may be sent whole (it may never change). */
    function recheckForFallback() {
      if (containersSent || sentPages.size || typeof site.isReviewPage !== "function" || !site.isReviewPage(doc, loc)) return;
      const wait = pageStartedAt + fallbackDelayMs - now().getTime();
      if (wait <= 0 || timer !== null) return;
      timer = timers.setTimeout(() => {
        timer = null;
        captureNow();
      }, wait);
    }

    /** Sends the review around the selection (the context menu), even if it was sent before. */
    function captureSelection(selection) {
      const element = enclosingReview(doc, site, selection);
      if (!element) return Promise.resolve(null);
      const html = wrap(doc, headParts(doc, site), [containerHtml(element)]);
      if (byteLength(html, maxBytes) > maxBytes) return Promise.resolve(null);
      return queueSend(message(html, Reason.SELECTION));
    }

    function stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    }

    startPageIfNew();
    return { check, captureNow, captureSelection, stop, collect };
  }

  /** The review-sized element around the selection: a site container, else a card-like block. */
  function enclosingReview(doc, site, selection) {
    const range = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
    let node = range ? range.commonAncestorContainer : null;
    if (!node) return null;
    let element = node.nodeType === 1 ? node : node.parentElement;
    if (!element) return null;
    const container = findContainers(doc, site).find((candidate) => candidate === element || candidate.contains(element));
    if (container) return container;
    let chosen = element;
    for (let current = element; current && current !== doc.body && current !== doc.documentElement; current = current.parentElement) {
      const textLength = (current.textContent || "").length;
      if (textLength > SELECTION_MAX_TEXT) break;
      chosen = current;
      if (current.matches(CARD_LIKE) && textLength >= 20) break;
      if (textLength >= SELECTION_MIN_TEXT && selectAll(current, "[role='img'][aria-label], a[href]").length) break;
    }
    return chosen;
  }

  function isVisible(element) {
    if (!element.isConnected) return false;
    if (typeof element.checkVisibility === "function") return element.checkVisibility();
    const view = element.ownerDocument.defaultView;
    for (let current = element; current; current = current.parentElement) {
      if (current.hidden || current.getAttribute("aria-hidden") === "true") return false;
      const style = view?.getComputedStyle?.(current);
      if (style && (style.display === "none" || style.visibility === "hidden")) return false;
    }
    return true;
  }

  function isEditable(element) {
    return Boolean(element && element.nodeType === 1 && element.matches(EDITABLE) && !element.matches(NOT_A_REPLY_BOX) &&
      !element.disabled && !element.readOnly);
  }

  function setFieldText(field, text) {
    const view = field.ownerDocument.defaultView;
    // The prototype's setter: sites built with React watch the element's own `value` property.
    const prototype = Object.getPrototypeOf(field);
    const setter = Object.getOwnPropertyDescriptor(prototype, "value")?.set;
    field.focus();
    if (setter) setter.call(field, text);
    else field.value = text;
    const InputEventType = view?.InputEvent ?? view?.Event;
    field.dispatchEvent(new InputEventType("input", { bubbles: true, inputType: "insertText", data: text }));
    field.dispatchEvent(new view.Event("change", { bubbles: true }));
    return field.value === text;
  }

  function setEditableText(box, text) {
    const doc = box.ownerDocument;
    const view = doc.defaultView;
    box.focus();
    const selection = view.getSelection?.();
    if (selection) {
      const range = doc.createRange();
      range.selectNodeContents(box);
      selection.removeAllRanges();
      selection.addRange(range);
    }
    let inserted = false;
    try {
      // Rich editors (Facebook's, Google's) update their own state from the browser's editing command.
      inserted = typeof doc.execCommand === "function" && doc.execCommand("insertText", false, text);
    } catch {
      inserted = false;
    }
    const normalised = (value) => value.replace(/\s+/g, " ").trim();
    if (!inserted || normalised(box.textContent || "") !== normalised(text)) {
      box.textContent = text;
      const InputEventType = view?.InputEvent ?? view?.Event;
      box.dispatchEvent(new InputEventType("input", { bubbles: true, inputType: "insertText", data: text }));
    }
    return normalised(box.textContent || "") === normalised(text);
  }

  /**
   * Puts `text` in the site's reply box: the editable field the user last clicked into, else the one
   * visible reply box of the site. Answers `{ok, message}`.
   */
  function insertReply(doc, site, text, lastFocused) {
    if (typeof text !== "string" || !text.trim()) return { ok: false, message: "There is no reply text to insert." };
    let box = lastFocused && lastFocused.isConnected && isEditable(lastFocused) && isVisible(lastFocused) ? lastFocused : null;
    if (!box) {
      const candidates = (site.replyBoxes ?? []).flatMap((css) => selectAll(doc, css));
      const visible = [...new Set(candidates)].filter((element) => isEditable(element) && isVisible(element));
      if (visible.length > 1) {
        return { ok: false, message: "This page has several reply boxes: click into the one of the review you are answering, then press Insert again." };
      }
      box = visible[0] ?? null;
    }
    if (!box) {
      return { ok: false, message: `No reply box is open on this page: press the site's "Reply" button under the review, click into the box, then press Insert again.` };
    }
    const worked = box.matches("textarea") ? setFieldText(box, text) : setEditableText(box, text);
    return worked
      ? { ok: true, message: "The reply is in the reply box. Read it once more, then post it on the page." }
      : { ok: false, message: "The reply box did not take the text. Copy the reply and paste it into the box instead." };
  }

  const sites = new Map();

  /** The site description a platform's content script started with (for tests and the selection). */
  const siteOf = (platform) => sites.get(platform) ?? null;

  /** Wires a site's content script to the real page and the worker. */
  function start(site) {
    sites.set(site.platform, site);
    const runtime = (globalThis.browser ?? globalThis.chrome)?.runtime;
    if (!runtime?.sendMessage) return null;
    let lastFocused = null;
    let observer = null;

    const capturer = createCapturer({
      site,
      document,
      location,
      navigator,
      send: async (capture) => {
        try {
          return await runtime.sendMessage(capture);
        } catch (error) {
          if (!runtime.id) shutDown(); // the extension was reloaded or removed: this script is orphaned
          return null;
        }
      },
    });

    function shutDown() {
      capturer.stop();
      observer?.disconnect();
    }

    document.addEventListener("focusin", (event) => {
      if (isEditable(event.target)) lastFocused = event.target;
    }, true);

    runtime.onMessage.addListener((request, sender, sendResponse) => {
      if (request?.type === MessageType.INSERT_REPLY) {
        sendResponse(insertReply(document, site, request.text, lastFocused));
        return false;
      }
      if (request?.type === MessageType.CAPTURE_SELECTION) {
        capturer.captureSelection(globalThis.getSelection?.()).then(
          (answer) => sendResponse({ ok: Boolean(answer), answer }),
          () => sendResponse({ ok: false }),
        );
        return true;
      }
      return false;
    });

    observer = new MutationObserver(() => capturer.check());
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    capturer.check();
    return capturer;
  }

  globalThis.ReviewDeskCapture = Object.freeze({
    MessageType,
    Reason,
    LIMITS,
    hashText,
    localIsoTime,
    pageLanguage,
    outermost,
    containersByLayouts,
    findContainers,
    pageHtml,
    createCapturer,
    enclosingReview,
    insertReply,
    siteOf,
    start,
  });
})();
