// Keeps the review page's preview up to date as the reviewer types: it
// sends the form as its "Preview" button does and puts the server's
// rendering (the lesson's own parser and sanitiser) in place. Without it,
// the button does the same with a page load.
(function () {
  "use strict";
  var area = document.querySelector("textarea#markdown");
  var preview = document.querySelector("[data-preview]");
  if (!area || !preview || !window.fetch || !window.DOMParser) return;
  var form = area.form, timer = null, sent = 0;

  function refresh() {
    timer = null;
    var body = new FormData(form);
    body.set("preview", "1");
    var n = ++sent;
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      if (n !== sent) return; // a later keystroke's answer is coming
      var doc = new DOMParser().parseFromString(html, "text/html");
      var next = doc.querySelector("[data-preview]");
      var error = doc.querySelector("#markdown-error");
      preview.querySelector("article").replaceWith(document.importNode(next.querySelector("article"), true));
      preview.hidden = !!error;
      var shown = document.querySelector("#markdown-error");
      if (shown) shown.remove();
      if (error) area.before(document.importNode(error, true));
    }).catch(function () { /* offline: the button still works */ });
  }

  area.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 700);
  });
})();
