/**
 * The toolbar button opens the side panel: Chrome's sidePanel opens it by itself once told to;
 * Firefox's sidebar is opened from the button's click (it must be opened in the click's handler).
 */

/** Chrome: the button opens the side panel (no popup). Harmless where there is no sidePanel. */
export async function openPanelOnActionClick(browser) {
  try {
    await browser.sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: true });
  } catch {
    // an older Chrome: the panel is still in the side panel menu
  }
}

/** Firefox: the listener for the button's click (null where the browser opens the panel itself). */
export function sidebarOpener(browser) {
  if (!browser.sidebarAction?.open || browser.sidePanel) return null;
  return () => {
    // No await before open(): Firefox allows it only while handling the click.
    browser.sidebarAction.open().catch(() => {});
  };
}
