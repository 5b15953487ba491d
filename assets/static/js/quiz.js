// Saves quiz answers as the trainee goes, so that a dropped connection or
// a closed browser loses nothing. The page works without it: the "save"
// button does the same with a full page load.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz");
  if (!form || !window.fetch || !window.FormData) return;
  var attempt = form.getAttribute("data-attempt");
  var token = form.querySelector("input[name=_csrf]").value;
  var status = form.querySelector(".save-status");
  var timer = null;

  function answers() {
    var out = {};
    new FormData(form).forEach(function (value, key) {
      if (key.indexOf("q-") === 0) (out[key.slice(2)] = out[key.slice(2)] || []).push(value);
    });
    return out;
  }

  function save() {
    timer = null;
    fetch("/api/v1/attempts/" + encodeURIComponent(attempt) + "/answers", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ answers: answers() })
    }).then(function (r) {
      if (r.ok && status) status.hidden = false;
    }).catch(function () { /* offline: the next change or the buttons try again */ });
  }

  form.addEventListener("change", function () {
    if (status) status.hidden = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 400);
  });
})();
