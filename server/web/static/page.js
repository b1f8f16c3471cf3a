// What every dashboard page shares: its one way to the server. Calls go same-origin with the session
// cookie and the session's CSRF token in a header; a signed-out session goes back to the sign-in page.
// The answer is {ok, status, data} and a call never throws (the workbench's transport contract).

const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

/** `method` `path` with an optional JSON `body` (or FormData, sent as multipart). */
export async function api(method, path, body) {
  const isForm = typeof FormData !== "undefined" && body instanceof FormData;
  const headers = { "X-CSRF-Token": csrfToken };
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, credentials: "same-origin", headers,
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch (error) {
    return { ok: false, status: 0, data: { message: "ReviewDesk's server did not answer. Is it still running?" } };
  }
  if (response.status === 401) window.location.assign("/login");
  const data = await response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}.` }));
  return { ok: response.ok && data.ok !== false, status: response.status, data };
}

/** The page's CSRF token, for the few requests that cannot go through `api` (an upload with progress). */
export function csrf() {
  return csrfToken;
}

/** Shows `message` in the page's status line (`#status`), as an error when `isError`. */
export function setStatus(message, isError = false, element = document.getElementById("status")) {
  element.textContent = message;
  element.classList.toggle("error", isError);
  element.hidden = !message;
}
