/**
 * The server's address as the user types it, and whether it is on this computer. Used by the
 * options page (to warn) and the worker's gateway (to refuse a non-loopback address not confirmed).
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Whether `url` points at this computer (127.0.0.0/8, localhost, ::1). */
export function isLoopbackUrl(url) {
  let host;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The address cleaned: "127.0.0.1:5151/" → "http://127.0.0.1:5151". Null when it is not an http(s) address. */
export function normaliseServerUrl(typed) {
  const text = String(typed ?? "").trim();
  if (!text) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (!["http:", "https:"].includes(url.protocol) || !url.hostname || url.username || url.password || url.search || url.hash) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
