// Offline use, on top of pages that work without it: registers the
// service worker (sw.js), shows what waits to be sent and when the phone
// last synchronised, and makes a course available offline on request.
// Texts come from the page (data-* attributes), in the reader's language.
(function () {
  "use strict";
  var nav = navigator;
  // The data saver turns itself on for a slow connection, unless the
  // reader chose (the cookie is their choice; the server reads it).
  if (nav.connection && /2g/.test(nav.connection.effectiveType || "") && document.cookie.indexOf("kalan_saver=") < 0) {
    document.cookie = "kalan_saver=on; path=/; max-age=31536000; samesite=lax";
  }
  if (!("serviceWorker" in nav) || !window.caches || !window.fetch || !window.Promise) return;
  // The first page a phone opens stays light on 2G: the worker and the
  // shell it keeps (≈ 9 KB) come from the second page on, once the page
  // has loaded, or at once when the reader makes a course available offline.
  var registered = null;
  function register() {
    if (!registered) registered = nav.serviceWorker.register("/sw.js").catch(function () {});
    return registered;
  }
  var seen = !!nav.serviceWorker.controller;
  try {
    seen = seen || localStorage.getItem("kalan-seen") === "1";
    localStorage.setItem("kalan-seen", "1");
  } catch (e) { seen = true; /* no storage: no way to tell, register */ }
  if (seen) {
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }

  var PAGES = "kalan-pages", RECORD = "/_kalan/course/", PERSON = "x-kalan-person";
  // Who the pages kept here are for: the person signed in, or anybody.
  // The service worker serves a person's pages only while they are signed in.
  var who = document.querySelector("form.who"), person = (who && who.getAttribute("data-user")) || "";

  // keepFor stores a response marked with whom it is for (as sw.js does).
  function keepFor(cache, key, res) {
    var headers = new Headers(res.headers);
    headers.set(PERSON, person);
    return res.blob().then(function (body) {
      return cache.put(key, new Response(body, { status: res.status, statusText: res.statusText, headers: headers }));
    });
  }

  function fill(s, values) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function when(iso) {
    try { return new Date(iso).toLocaleString(document.documentElement.lang); } catch (e) { return iso; }
  }
  function jsonResponse(v) {
    var headers = { "Content-Type": "application/json" };
    headers[PERSON] = person;
    return new Response(JSON.stringify(v), { headers: headers });
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  // What waits to be sent, and when the last sync was. While something
  // waits, a sync is tried again now and then: a 2G link can come back
  // without the browser noticing it was gone.
  var box = document.getElementById("sync"), retry = null;
  function showSync() {
    if (!box) return;
    Promise.all([
      caches.open("kalan-queue").then(function (q) { return q.keys(); }),
      caches.open("kalan-state").then(function (c) { return c.match("/_kalan/state"); }).then(function (r) { return r ? r.json() : {}; })
    ]).then(function (r) {
      var waiting = r[0].length, s = r[1], d = box.dataset;
      if (waiting && !s.signin && !retry) retry = setTimeout(function () { retry = null; sync(); }, 30000);
      box.textContent = "";
      if (!waiting && !s.synced && !(s.refused || []).length) { box.hidden = true; return; }
      box.appendChild(el("span", fill(d.waiting, { n: waiting }), { "data-waiting-count": waiting }));
      box.appendChild(document.createTextNode(" · " + (s.synced ? fill(d.synced, { time: when(s.synced) }) : d.never)));
      if (waiting && s.signin) {
        box.appendChild(document.createTextNode(" · "));
        box.appendChild(el("a", d.signin, { href: "/login?next=" + encodeURIComponent(location.pathname) }));
      }
      (s.results || []).forEach(function (u) {
        box.appendChild(document.createTextNode(" · "));
        box.appendChild(el("a", d.result, { href: u }));
      });
      (s.refused || []).forEach(function (x) {
        box.appendChild(el("span", " · " + fill(d.refused, { reason: x.reason }), { "class": "refused" }));
      });
      box.hidden = false;
    }).catch(function () {});
  }
  function tell(message) {
    nav.serviceWorker.ready.then(function (reg) { if (reg.active) reg.active.postMessage(message); });
  }
  function sync() { tell("sync"); }
  // The offline page is kept in the language and for the reader of the
  // pages: when either changes, it is fetched again.
  // On a shared phone, another person signed in (the last one's session
  // ended without signing out): the pages kept for the last one go.
  var reader = document.documentElement.lang + (person ? "+" : "-");
  try {
    if (person && localStorage.getItem("kalan-person") !== person) {
      if (localStorage.getItem("kalan-person")) tell("forget");
      localStorage.setItem("kalan-person", person);
    }
    if (nav.onLine && localStorage.getItem("kalan-reader") !== reader) {
      // Remembered once the worker has been told, which may be a page later.
      nav.serviceWorker.ready.then(function (reg) {
        if (!reg.active) return;
        reg.active.postMessage("shell:" + document.documentElement.lang);
        try { localStorage.setItem("kalan-reader", reader); } catch (e) { /* asked again next page */ }
      });
    }
  } catch (e) { /* storage refused: the offline page stays as it was */ }
  nav.serviceWorker.addEventListener("message", function (e) {
    if (e.data === "kalan-sync") { showSync(); showCourses(); }
  });
  window.addEventListener("online", sync);
  showSync();
  sync();

  // Courses made available offline: the record of each names its version,
  // language and pages, so a new version or a language change downloads
  // it again and the offline page can list them.
  function records() {
    return caches.open(PAGES).then(function (c) {
      return c.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.url.indexOf(RECORD) >= 0; }).map(function (k) {
          return c.match(k).then(function (r) {
            var owner = r.headers.get(PERSON);
            return owner === "" || (person && owner === person) ? r.json() : { partial: true }; // someone else's: not listed
          });
        })).then(function (list) {
          return list.filter(function (rec) { return !rec.partial; }); // cut downloads are resumed, not listed
        });
      });
    });
  }

  // voices: the recordings come too (ticked by the reader, told their weight).
  function download(section, manifestURL, button, bar, status, voices) {
    var d = section.dataset;
    button.disabled = true;
    status.textContent = "";
    return fetch(manifestURL, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (plan) {
      var record = RECORD + plan.course;
      if (voices && plan.recordings) plan.urls = plan.urls.concat(plan.recordings), plan.voices = true;
      return caches.open(PAGES).then(function (cache) {
        return cache.match(record).then(function (r) { return r ? r.json() : null; }).then(function (prev) {
          // A download cut by the network resumes: what came already is kept.
          var resume = prev && prev.partial && prev.version === plan.version && prev.lang === plan.lang;
          var done = 0;
          bar.max = plan.urls.length;
          bar.value = 0;
          bar.hidden = false;
          plan.partial = true;
          // One at a time: on 2G, parallel downloads only share the same trickle.
          return plan.urls.reduce(function (chain, url) {
            return chain.then(function () {
              status.textContent = fill(d.progress, { n: done + 1, total: plan.urls.length });
              return (resume ? caches.match(url, { ignoreVary: true }) : Promise.resolve(null)).then(function (hit) {
                if (hit) return null;
                return fetch(url, { credentials: "same-origin" }).then(function (r) {
                  // A quiz that cannot start now (no attempt left) is skipped.
                  if (!r.ok || r.redirected) return null;
                  if (url.indexOf("/media/") === 0) return caches.open("kalan-media").then(function (c) { return c.put(url, r); });
                  return caches.open(PAGES).then(function (c) { return keepFor(c, url, r); });
                });
              }).then(function () { bar.value = ++done; });
            });
          }, cache.put(record, jsonResponse(plan))).then(function () {
            delete plan.partial;
            plan.at = new Date().toISOString();
            return cache.put(record, jsonResponse(plan));
          });
        });
      });
    }).then(function () {
      bar.hidden = true;
      status.textContent = d.ready;
      section.setAttribute("data-offline-ready", "");
    }, function () {
      bar.hidden = true;
      status.textContent = d.failed;
    }).then(function () { button.disabled = false; });
  }

  var section = document.querySelector("[data-offline-course]");
  if (section) {
    var button = section.querySelector("button"), bar = section.querySelector("progress"), status = section.querySelector("[role=status]");
    var slug = section.getAttribute("data-offline-course"), manifest = section.getAttribute("data-manifest");
    var voiceBox = section.querySelector("[data-recordings]");
    section.hidden = false;
    button.addEventListener("click", function () { register(); download(section, manifest, button, bar, status, voiceBox && voiceBox.checked); });
    records().then(function (list) {
      list.forEach(function (rec) {
        if (rec.course !== slug) return;
        if (voiceBox && rec.voices) voiceBox.checked = true;
        if ((rec.version !== section.dataset.version || rec.lang !== document.documentElement.lang) && nav.onLine) {
          download(section, manifest, button, bar, status, rec.voices); // a new version was published: keep the phone's copy current
        } else {
          status.textContent = section.dataset.ready;
          section.setAttribute("data-offline-ready", "");
        }
      });
    }).catch(function () {});
  }

  // The offline page lists the courses on the phone.
  var shelf = document.getElementById("offline-courses");
  function showCourses() {
    if (!shelf) return;
    records().then(function (list) {
      shelf.textContent = "";
      list.forEach(function (rec) {
        var li = el("li");
        li.appendChild(el("a", rec.title || rec.course, { href: "/courses/" + rec.course }));
        shelf.appendChild(li);
      });
      shelf.hidden = !list.length;
    }).catch(function () {});
  }
  showCourses();
})();
