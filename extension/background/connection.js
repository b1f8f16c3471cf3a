/**
 * The connection check (the `connection` message): is the server there, is the toolbar paired, what
 * waits in the queue, and one sentence that says what to do. Sends what waits first.
 */

import { ConnectionState } from "../shared/messages.js";

function waitingSentence(count) {
  if (!count) return "";
  return count === 1 ? "1 capture or step is waiting to be sent." : `${count} captures or steps are waiting to be sent.`;
}

function noticeSentences(notices) {
  const sentences = [];
  if (notices?.dropped) {
    sentences.push(notices.dropped === 1
      ? "1 capture was dropped because too much was waiting for the server; open that page again to capture it."
      : `${notices.dropped} captures were dropped because too much was waiting for the server; open those pages again to capture them.`);
  }
  for (const refused of notices?.refused ?? []) sentences.push(`${refused}.`.replace(/\.\.$/, "."));
  return sentences;
}

// How long the check waits for what is being sent before it answers (the sending goes on).
const FLUSH_WAIT_MS = 5_000;

async function flushBriefly(outbox) {
  let timer;
  const waited = new Promise((resolve) => { timer = setTimeout(resolve, FLUSH_WAIT_MS); });
  try {
    await Promise.race([outbox.flush(), waited]);
  } finally {
    clearTimeout(timer);
  }
}

/** `{state, serverUrl, queued, version?, checker_ready?, message, dropped, notices}` */
export async function checkConnection({ gateway, queue, outbox }) {
  await flushBriefly(outbox);
  const { serverUrl, token } = await gateway.settings();
  const health = await gateway.request("GET", "/api/health", undefined, { withoutToken: !token, timeoutMs: 5_000 });
  const queued = await queue.size();
  const notices = await queue.notices();
  let state = health.state;
  if (state === ConnectionState.CONNECTED && !health.ok) state = ConnectionState.ERROR;
  const answer = { state, serverUrl, queued, dropped: notices.dropped ?? 0, notices: noticeSentences(notices) };
  let message;
  if (health.ok) {
    answer.version = health.data?.version ?? null;
    answer.checker_ready = health.data?.checker_ready ?? null;
    message = `Connected to ReviewDesk${answer.version ? ` ${answer.version}` : ""} at ${serverUrl}.`;
  } else {
    message = health.message || "The server did not answer as expected.";
  }
  answer.message = [message, waitingSentence(queued), ...answer.notices].filter(Boolean).join(" ");
  // The user has now been told; once nothing waits, the notices are done.
  if (health.ok && queued === 0 && (answer.dropped || answer.notices.length)) await queue.clearNotices();
  return answer;
}
