/**
 * One name for the WebExtension API in both browsers: Firefox has `browser` (and `chrome`), Chrome
 * only `chrome`; both return promises in Manifest V3.
 */

globalThis.browser ??= globalThis.chrome;

export const browser = globalThis.browser;
export default browser;
