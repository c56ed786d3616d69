/* HA-01: the registration form in four steps, with a draft kept in localStorage so that it
   survives a reload. Without JavaScript every step is shown at once and the form still works. */
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var markers = Array.prototype.slice.call(form.querySelectorAll("[data-step-marker]"));
  var current = 0;

  function fields() {
    return Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }

  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox") {
        if (el.name === "jenis_usaha") { (data[el.name] = data[el.name] || []); if (el.checked) data[el.name].push(el.value); }
        else data[el.name] = el.checked;
      } else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
  }

  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data; try { data = JSON.parse(raw); } catch (e) { return; }
    // A page re-rendered by the server with errors already holds the submitted values.
    if (form.querySelector(".field-error, .error-summary")) return;
    fields().forEach(function (el) {
      if (!(el.name in data)) return;
      var v = data[el.name];
      if (el.type === "checkbox") el.checked = Array.isArray(v) ? v.indexOf(el.value) >= 0 : !!v;
      else if (el.type === "radio") el.checked = el.value === v;
      else el.value = v;
    });
  }

  function summary() {
    var box = document.getElementById("registration-summary");
    if (!box) return;
    box.textContent = "";
    var dl = document.createElement("dl");
    dl.className = "facts";
    steps.slice(0, -1).forEach(function (step) {
      step.querySelectorAll(".field").forEach(function (wrap) {
        var label = wrap.querySelector("label, legend");
        var values = [];
        wrap.querySelectorAll("input, select, textarea").forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") { if (el.checked) values.push((el.parentNode.textContent || el.value).trim()); }
          else if (el.type === "file") { if (el.files && el.files[0]) values.push(el.files[0].name); }
          else if (el.tagName === "SELECT") { if (el.value) values.push(el.options[el.selectedIndex].text); }
          else if (el.value) values.push(el.value);
        });
        var dt = document.createElement("dt"); dt.textContent = label ? label.textContent.trim() : "";
        var dd = document.createElement("dd"); dd.textContent = values.join(", ") || "—";
        dl.appendChild(dt); dl.appendChild(dd);
      });
    });
    box.appendChild(dl);
  }

  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    markers.forEach(function (m, i) { m.classList.toggle("current", i === current); });
    if (current === steps.length - 1) summary();
    window.scrollTo(0, 0);
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("click", function (event) {
    if (event.target.hasAttribute("data-next")) show(current + 1);
    if (event.target.hasAttribute("data-prev")) show(current - 1);
  });
  // With server-side errors, open the first step that has one.
  var firstError = steps.findIndex(function (step) { return step.querySelector(".field-error"); });
  show(firstError >= 0 ? firstError : 0);
})();
