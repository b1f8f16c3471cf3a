// What every dashboard page shares: its one way to the server. Calls go same-origin with the session
// cookie and the session's CSRF token in a header; a signed-out session goes back to the sign-in page.
// The answer is {ok, status, data} and a call never throws (the workbench's transport contract).

const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const NO_ANSWER = "ReviewDesk's server did not answer. Is it still running?";

// A sign-in link opened while already signed in lands here with its "#token=…": keep it out of the
// address bar and the history at once.
if (window.location.hash.startsWith("#token=")) {
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
}

/** The {ok, status, data} of a server's answer with `status` and body `text`; a 401 goes back to the sign-in page. */
function answer(status, text) {
  if (status === 401) window.location.assign("/login");
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: said below
  }
  if (data === null || typeof data !== "object") data = { ok: false, message: `The server answered ${status}.` };
  return { ok: status >= 200 && status < 300 && data.ok !== false, status, data };
}

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
    return { ok: false, status: 0, data: { message: NO_ANSWER } };
  }
  return answer(response.status, await response.text().catch(() => ""));
}

/** POSTs `formData` (multipart) to `path` like `api`, calling `onProgress(loaded, total)` as the upload goes
 * (with total bytes once it is all sent). Answers {ok, status, data}; never throws. */
export function upload(path, formData, onProgress = () => {}) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    request.setRequestHeader("X-CSRF-Token", csrfToken);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.upload.addEventListener("load", (event) => onProgress(event.total || 1, event.total || 1));
    request.addEventListener("load", () => resolve(answer(request.status, request.responseText)));
    request.addEventListener("error", () => resolve({ ok: false, status: 0, data: { message: NO_ANSWER } }));
    request.addEventListener("abort", () => resolve({ ok: false, status: 0, data: { message: "The upload was stopped." } }));
    request.send(formData);
  });
}

/** The page's CSRF token, for a request that cannot go through `api` or `upload`. */
export function csrf() {
  return csrfToken;
}

/** Shows `message` in the page's status line (`#status`), as an error when `isError`. */
export function setStatus(message, isError = false, element = document.getElementById("status")) {
  element.textContent = message;
  element.classList.toggle("error", isError);
  element.hidden = !message;
}
