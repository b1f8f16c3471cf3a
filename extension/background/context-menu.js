/**
 * The context menu "Send this review to ReviewDesk": on selected text in a review site's page, the
 * tab's content script sends the review around the selection (when the automatic capture missed it).
 */

import { MessageType } from "../shared/messages.js";

export const MENU_ID = "reviewdesk-send-selection";
export const MENU_TITLE = "Send this review to ReviewDesk";

/** The pages the content scripts run on (the manifest is the one list of them). */
export function reviewPagePatterns(manifest) {
  return [...new Set((manifest?.content_scripts ?? []).flatMap((script) => script.matches ?? []))];
}

/** (Re)creates the menu item; menus outlive the worker, so old ones go first. */
export async function createMenu(browser) {
  const menus = browser.contextMenus;
  if (!menus) return;
  try {
    await menus.removeAll();
    await new Promise((resolve) => {
      menus.create(
        { id: MENU_ID, title: MENU_TITLE, contexts: ["selection"], documentUrlPatterns: reviewPagePatterns(browser.runtime.getManifest()) },
        () => {
          void browser.runtime.lastError; // a duplicate id after a quick restart: the item is there
          resolve();
        },
      );
    });
  } catch {
    // the menu is a fallback; the automatic capture does not depend on it
  }
}

/** The click handler: asks the tab's content script (top frame) to capture the selection. */
export function menuClickHandler(browser) {
  return (info, tab) => {
    if (info?.menuItemId !== MENU_ID || !Number.isInteger(tab?.id)) return;
    browser.tabs.sendMessage(tab.id, { type: MessageType.CAPTURE_SELECTION }, { frameId: 0 }).catch(() => {});
  };
}
