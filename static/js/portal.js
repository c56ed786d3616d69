/* Small behaviours of every page, kept out of the templates so that the
   Content-Security-Policy needs no inline script (issue 15). */
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form on change (a <noscript> button does it without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.submit(); });
  });
  // [data-clear-draft="key"]: forget a form draft kept in localStorage once it was sent.
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    try { localStorage.removeItem(el.getAttribute("data-clear-draft")); } catch (e) { /* storage disabled */ }
  });
})();
