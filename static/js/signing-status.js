// A page waiting for a permit's electronic signature asks the portal, now and then, whether
// the signature is done, and reloads itself once it is (issue 17: it said "reload later").
// The element carrying data-signing-status-url is the notice that says the page will update.
(function () {
  "use strict";
  var notice = document.querySelector("[data-signing-status-url]");
  if (!notice || !window.fetch) {
    return;
  }
  var url = notice.getAttribute("data-signing-status-url");
  var delay = 2000;
  var tries = 0;

  function again() {
    tries += 1;
    if (tries < 60) {
      delay = Math.min(delay * 1.5, 15000);
      window.setTimeout(check, delay);
    }
  }

  function check() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.awaiting_signature === false) {
          window.location.reload();
        } else {
          again();
        }
      })
      .catch(again);
  }

  window.setTimeout(check, delay);
})();
