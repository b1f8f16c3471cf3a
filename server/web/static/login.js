// The sign-in link (/login#token=...) that `reviewdesk serve` prints: the token is in the fragment, which
// the browser never sends to the server (nor to its logs). It is taken out of the address bar and
// history at once, then signs in through the same form as a pasted token.

const found = /^#token=([A-Za-z0-9_\-.~%]+)$/.exec(window.location.hash);
if (found) {
  window.history.replaceState(null, "", window.location.pathname);
  document.getElementById("token").value = decodeURIComponent(found[1]);
  document.getElementById("sign-in").submit();
}
