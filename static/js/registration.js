/* HA-01: the registration steps are checked and kept by the server (the form works without
   script). This only helps: it moves the focus to the list of errors when there is one, and
   otherwise to the heading of the step shown, so a screen reader announces where one is. */
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) return;
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); return; }
  var step = form.querySelector("fieldset.step:not([hidden]) legend h2");
  if (step && form.getAttribute("data-current-step") !== "0") {
    step.setAttribute("tabindex", "-1");
    step.focus();
  }
})();
