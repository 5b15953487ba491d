// Records a voice in the browser: a lesson's on the review page, a spot
// on the library's upload form. It keeps what the browser records (Chrome
// on Android: WebM/Opus) and puts it in the form's file field, as a file
// chosen from the phone would be: the server checks it the same way, and
// the page works without this script (the file field stays). With
// data-submit the form is sent when the recording stops; otherwise it
// waits for the rest of the form.
(function () {
  "use strict";
  var box = document.querySelector("[data-recorder]");
  if (!box || !window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
  var form = box.closest("form");
  var input = form.querySelector("input[type=file]");
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  var limit = Number(box.getAttribute("data-max-seconds")) || 600;
  var submit = box.hasAttribute("data-submit");
  var label = button.textContent;
  var recorder = null, started = 0, tick = null;
  box.hidden = false;

  function clock(s) {
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function type() {
    var kinds = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
    for (var i = 0; i < kinds.length; i++) if (MediaRecorder.isTypeSupported(kinds[i])) return kinds[i];
    return "";
  }

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var chunks = [];
      var opts = { audioBitsPerSecond: 24000 };
      if (type()) opts.mimeType = type();
      recorder = new MediaRecorder(stream, opts);
      recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        clearInterval(tick);
        stream.getTracks().forEach(function (t) { t.stop(); });
        var mime = recorder.mimeType || opts.mimeType || "audio/webm";
        var ext = mime.indexOf("ogg") >= 0 ? ".ogg" : mime.indexOf("mp4") >= 0 ? ".m4a" : ".webm";
        var files = new DataTransfer();
        files.items.add(new File(chunks, "recording" + ext, { type: mime.split(";")[0] }));
        input.files = files.files;
        button.setAttribute("aria-pressed", "false");
        if (submit) {
          status.textContent = box.getAttribute("data-sending");
          button.disabled = true;
          form.submit();
        } else {
          status.textContent = box.getAttribute("data-ready") + " " + clock(Math.floor((Date.now() - started) / 1000));
          button.textContent = label;
        }
      };
      recorder.start(1000);
      started = Date.now();
      button.textContent = box.getAttribute("data-stop");
      button.setAttribute("aria-pressed", "true");
      tick = setInterval(function () {
        var s = Math.floor((Date.now() - started) / 1000);
        status.textContent = box.getAttribute("data-on") + " " + clock(s);
        if (s >= limit) stop();
      }, 1000);
      status.textContent = box.getAttribute("data-on") + " 0:00";
    }).catch(function () {
      status.textContent = box.getAttribute("data-denied");
    });
  }

  button.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") stop(); else start();
  });
})();
