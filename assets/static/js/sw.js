// Kalan's service worker (served at /sw.js after the SHELL and VERSION
// lines). It keeps the public pages a visitor opened and the courses a
// person made available offline, so they read offline; keeps the lesson
// and quiz forms sent without network as events, and sends those to
// /api/v1/sync when the network returns. Pages work without it.
//
// A phone is shared: every page kept is marked with whom it is for (the
// x-kalan-person header: "" for anybody, else an account id), and a
// person's pages are served only while the kalan_who cookie, which lives
// as long as their session cookie, names them. Responses marked no-store
// (everything a signed-in person is sent) are never kept here; only the
// page's own "make available offline" keeps a person's course.
"use strict";

var STATIC = "kalan-static-" + VERSION; // the shell: replaced with each release
var MEDIA = "kalan-media";   // content-addressed: never stale
var PAGES = "kalan-pages";   // pages read and courses made available offline: personal, cleared on sign-out
var QUEUE = "kalan-queue";   // events waiting to be sent: kept until their author signs in and sends them
var STATE = "kalan-state";   // when the last sync was, refusals, results
var STATE_KEY = "/_kalan/state";
var SLOW = 6000;             // on a crawling network, a kept page is better than waiting longer
var PERSON = "x-kalan-person";
var OFFLINE = "/offline", MY_OFFLINE = "/_kalan/offline"; // the offline page for anybody; for the person signed in

self.addEventListener("install", function (e) {
  // The offline page for anybody comes with the shell, in the browser's
  // language; the page asks for it again only in another language, or
  // for the person signed in ("shell:").
  e.waitUntil(caches.open(STATIC).then(function (c) {
    return c.addAll(SHELL).then(function () { return keepAnybodysOfflinePage(c); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("kalan-static-") === 0 && k !== STATIC; })
      .map(function (k) { return caches.delete(k); }));
  }).then(dropUnmarked).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST") {
    if (url.pathname === "/logout") e.respondWith(signOut(req));
    else if (formKind(url.pathname)) e.respondWith(sendOrKeep(req, url));
    return;
  }
  if (req.method !== "GET" || url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") return;
  if (url.pathname.indexOf("/static/") === 0) e.respondWith(cacheFirst(STATIC, req, false));
  else if (url.pathname.indexOf("/media/") === 0) e.respondWith(req.headers.has("Range") ? rangeOf(req) : cacheFirst(MEDIA, req, true));
  else if (req.mode === "navigate") e.respondWith(networkFirst(req, url));
});

self.addEventListener("message", function (e) {
  if (e.data === "sync") e.waitUntil(sync());
  if (e.data === "forget") e.waitUntil(forget().then(notify));
  // The page's language or reader changed: the offline page follows.
  if (typeof e.data === "string" && e.data.indexOf("shell:") === 0) e.waitUntil(keepOfflinePage(e.data.slice(6)).catch(function () {}));
});

self.addEventListener("sync", function (e) { // Background Sync, where the browser has it
  if (e.tag === "kalan-sync") e.waitUntil(sync());
});

function cacheFirst(name, req, anyWidth) {
  return caches.open(name).then(function (cache) {
    return cache.match(req, { ignoreVary: true }).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (res) {
        // Images are kept; audio and video are played from the network,
        // or downloaded on purpose (a course's recordings, made available
        // offline: rangeOf plays them), never copied into the phone's cache.
        var type = res.headers.get("Content-Type") || "";
        if (res.status === 200 && (name !== MEDIA || type.indexOf("image/") === 0)) cache.put(req, res.clone());
        return res;
      }, function (err) {
        // Offline, an image kept in another width is better than none.
        if (anyWidth) return cache.match(req, { ignoreSearch: true, ignoreVary: true }).then(function (other) { return other || Promise.reject(err); });
        throw err;
      });
    });
  });
}

// rangeOf answers a player's request for part of a recording: from the
// copy made available offline when there is one (offline, and it saves
// the data online too), else from the network, range and all.
function rangeOf(req) {
  return caches.open(MEDIA).then(function (c) { return c.match(req.url, { ignoreVary: true }); }).then(function (hit) {
    var m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get("Range") || "");
    if (!hit || !m || (m[1] === "" && m[2] === "")) return fetch(req);
    return hit.blob().then(function (body) {
      var size = body.size, from = m[1] === "" ? Math.max(size - +m[2], 0) : +m[1];
      var to = m[1] === "" || m[2] === "" ? size - 1 : Math.min(+m[2], size - 1);
      if (from > to || from >= size) return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
      return new Response(body.slice(from, to + 1, body.type), { status: 206, headers: {
        "Content-Type": hit.headers.get("Content-Type") || body.type, "Content-Length": String(to - from + 1),
        "Content-Range": "bytes " + from + "-" + to + "/" + size, "Accept-Ranges": "bytes" } });
    });
  });
}

// Pages kept are those of courses and the home page, one copy per path:
// a language or data-saver switch (?lang=, ?saver=) replaces it, and
// other queries (a knowledge check's answers) are not kept, so the copy
// of a course stays the size of the course. Accounts and trainer reports
// are not worth a phone's storage.
function keyOf(url) {
  if (url.pathname !== "/" && url.pathname.indexOf("/courses") !== 0) return "";
  if (/\/quiz(\/|$)/.test(url.pathname)) return ""; // a quiz or an attempt is always someone's
  var extra = false;
  url.searchParams.forEach(function (v, k) { if (k !== "lang" && k !== "saver") extra = true; });
  return extra ? "" : url.pathname;
}

function networkFirst(req, url) {
  // Pages vary by language cookie; the phone has one reader at a time.
  var key = keyOf(url);
  var kept = person().then(function (who) {
    return caches.open(PAGES).then(function (c) {
      return c.match(req, { ignoreVary: true }).then(function (hit) { return hit || c.match(url.pathname, { ignoreVary: true }); });
    }).then(function (hit) { return mayServe(hit, who) ? hit : null; });
  });
  var net = fetch(req).then(function (res) {
    if (res.ok && key && !res.redirected && !noStore(res)) {
      var copy = res.clone();
      caches.open(PAGES).then(function (c) { return keepFor(c, key, copy, ""); });
    }
    return res;
  });
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW); }).then(function () { return kept; });
  return Promise.race([net, slow.then(function (hit) { return hit || net; })]).then(function (res) {
    return res;
  }, function () {
    return kept.then(function (hit) { return hit || offlinePage(); }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

// noStore: a response the server says must not be kept (any answer to a
// signed-in request).
function noStore(res) { return /no-store/.test(res.headers.get("Cache-Control") || ""); }

// person is the account id the kalan_who cookie names: "" when nobody is
// signed in, null when the browser cannot tell (no Cookie Store API),
// where only pages for anybody are served.
function person() {
  if (!self.cookieStore) return Promise.resolve(null);
  return self.cookieStore.get("kalan_who").then(function (c) { return c ? c.value : ""; }, function () { return null; });
}

// mayServe: a kept page for anybody, or for the person signed in now.
// Pages kept before pages were marked are nobody's.
function mayServe(res, who) {
  if (!res) return false;
  var owner = res.headers.get(PERSON);
  return owner === "" || (!!who && owner === who);
}

// keepFor stores a response marked with whom it is for.
function keepFor(cache, key, res, who) {
  if (!res.ok) return Promise.resolve();
  var headers = new Headers(res.headers);
  headers.set(PERSON, who);
  return res.blob().then(function (body) {
    return cache.put(key, new Response(body, { status: res.status, statusText: res.statusText, headers: headers }));
  });
}

// The offline page: the signed-in person's own copy (it shows who is
// signed in and their queue), else the one for anybody.
function offlinePage() {
  return person().then(function (who) {
    return caches.open(PAGES).then(function (c) { return c.match(MY_OFFLINE); }).then(function (mine) {
      if (mayServe(mine, who) && who) return mine;
      return caches.match(OFFLINE, { ignoreVary: true }).then(function (any) { return mayServe(any, who) ? any : null; });
    });
  });
}

// keepOfflinePage keeps the offline page for the reader of the pages:
// a signed-in person's own; a visitor's in their language, unless the one
// kept is in it already.
function keepOfflinePage(lang) {
  return person().then(function (who) {
    var mine = !who ? null : fetch(OFFLINE, { credentials: "same-origin" }).then(function (res) {
      return caches.open(PAGES).then(function (c) { return keepFor(c, MY_OFFLINE, res, who); });
    });
    // The one for anybody follows the language of the pages read.
    var anybody = caches.open(STATIC).then(function (c) {
      return c.match(OFFLINE).then(function (kept) { return kept ? kept.text() : ""; }).then(function (html) {
        if (lang && html.indexOf('<html lang="' + lang + '"') >= 0) return null;
        return keepAnybodysOfflinePage(c, lang);
      });
    });
    return Promise.all([mine, anybody]);
  });
}

// keepAnybodysOfflinePage keeps the offline page as anybody sees it, in
// lang when given: no cookie goes with it, it names no one.
function keepAnybodysOfflinePage(c, lang) {
  return fetch(lang ? OFFLINE + "?lang=" + encodeURIComponent(lang) : OFFLINE, { credentials: "omit" }).then(function (res) {
    return keepFor(c, OFFLINE, res, "");
  });
}

// dropUnmarked removes pages kept by an older worker, which kept the
// signed-in person's pages without saying whose they were.
function dropUnmarked() {
  return caches.open(PAGES).then(function (c) {
    return c.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) {
        return c.match(k).then(function (r) { return r && r.headers.get(PERSON) === null ? c.delete(k) : null; });
      }));
    });
  });
}

// formKind names the event a form of these URLs becomes offline.
function formKind(path) {
  if (/^\/courses\/[a-z0-9-]+\/lessons\/[a-z0-9-]+\/complete$/.test(path)) return "lesson";
  if (/^\/courses\/[a-z0-9-]+\/quiz$/.test(path)) return "quiz";
  return "";
}

// sendOrKeep posts the form; without network it keeps the form as an
// event and shows the offline page, which says it is kept.
function sendOrKeep(req, url) {
  var copy = req.clone();
  return fetch(req).catch(function () {
    return copy.formData().then(function (form) {
      var ev = eventOf(url.pathname, form);
      if (!ev) return Response.error();
      return keep(ev).then(function () {
        if (self.registration.sync) self.registration.sync.register("kalan-sync").catch(function () {});
        return Response.redirect("/offline?kept=" + ev.type, 303);
      });
    });
  });
}

function eventOf(path, form) {
  var parts = path.split("/"); // "", "courses", slug, …
  var ev = { id: newID(), user: form.get("user") || "", at: new Date().toISOString(), course: parts[2] };
  if (!ev.user) return null;
  if (formKind(path) === "lesson") {
    ev.type = "lesson";
    ev.lesson = parts[4];
    return ev;
  }
  ev.type = form.get("save") ? "answers" : "submit";
  ev.attempt = form.get("attempt") || "";
  ev.answers = {};
  form.forEach(function (value, key) {
    if (key.indexOf("q-") === 0) (ev.answers[key.slice(2)] = ev.answers[key.slice(2)] || []).push(value);
  });
  return ev;
}

function newID() {
  var b = new Uint8Array(16);
  self.crypto.getRandomValues(b);
  return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
}

// The queue is a cache of small JSON responses, one per event, named so
// that they sort in the order they were made.
function keep(ev) {
  return caches.open(QUEUE).then(function (q) {
    return q.put("/_kalan/queue/" + Date.now().toString(36).padStart(10, "0") + "-" + ev.id, json(ev));
  }).then(notify);
}

function json(value) { return new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } }); }

function readState() {
  return caches.open(STATE).then(function (c) { return c.match(STATE_KEY); }).then(function (r) {
    return r ? r.json() : {};
  }).then(function (s) {
    s.refused = s.refused || [];
    s.results = s.results || [];
    return s;
  });
}

function writeState(s) {
  return caches.open(STATE).then(function (c) { return c.put(STATE_KEY, json(s)); });
}

function notify() {
  return self.clients.matchAll({ includeUncontrolled: true }).then(function (list) {
    list.forEach(function (c) { c.postMessage("kalan-sync"); });
  });
}

// Signing out on a shared phone removes the pages kept (they show the
// person's progress and quiz), not the events waiting for them. The
// answer to /logout tells the browser to clear the site's storage
// (Clear-Site-Data), so the queue is read first and put back after.
function signOut(req) {
  return forget().then(readQueue).then(function (saved) {
    return fetch(req).then(function (res) {
      return restoreQueue(saved).then(function () { return res; }, function () { return res; });
    });
  });
}

function readQueue() {
  return caches.open(QUEUE).then(function (q) {
    return q.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) {
        return q.match(k).then(function (r) { return r.text(); }).then(function (body) { return { url: k.url, body: body }; });
      }));
    });
  });
}

function restoreQueue(saved) {
  if (!saved.length) return Promise.resolve();
  return caches.open(QUEUE).then(function (q) {
    return Promise.all(saved.map(function (it) {
      return q.match(it.url).then(function (hit) {
        return hit || q.put(it.url, new Response(it.body, { headers: { "Content-Type": "application/json" } }));
      });
    }));
  });
}

function forget() {
  return caches.delete(PAGES).then(readState).then(function (s) {
    s.results = [];
    s.refused = [];
    return writeState(s);
  });
}

var running = null;

function sync() {
  if (!running) running = send().then(done, done);
  return running;
}

function done() {
  running = null;
  return notify();
}

// send posts the events of whoever is signed in, oldest first, in small
// batches. Each batch answered is removed from the queue; an interrupted
// one is sent again later, and the server acknowledges what it already has.
function send() {
  var queue, state, who;
  return caches.open(QUEUE).then(function (q) {
    queue = q;
    return q.keys();
  }).then(function (keys) {
    if (!keys.length) return null;
    return Promise.all([readState(), fetch("/api/v1/sync", { credentials: "same-origin", cache: "no-store" })]).then(function (r) {
      state = r[0];
      state.signin = r[1].status === 401; // the session ended offline: the queue waits for sign-in
      if (state.signin) return forget().then(readState).then(function (s) { s.signin = true; return writeState(s); }).then(function () { return null; });
      if (!r[1].ok) return writeState(state).then(function () { return null; });
      return r[1].json().then(function (w) {
        who = w;
        var before = state.user;
        state.user = w.user;
        if (before && before !== w.user) return forget().then(function () { return readState(); }).then(function (s) { s.user = w.user; state = s; return keys; });
        return keys;
      });
    });
  }).then(function (keys) {
    if (!keys) return;
    keys.sort(function (a, b) { return a.url < b.url ? -1 : 1; });
    return Promise.all(keys.map(function (k) { return queue.match(k).then(function (r) { return r.json(); }).then(function (ev) { return { key: k, ev: ev }; }); }))
      .then(function (items) {
        var mine = items.filter(function (it) { return it.ev.user === who.user; });
        return batches(queue, state, who, mine, Math.min(who.max_events || 20, 20));
      });
  });
}

function batches(queue, state, who, items, size) {
  if (!items.length) return writeState(state);
  var part = items.slice(0, size);
  return fetch("/api/v1/sync", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": who.csrf },
    body: JSON.stringify({ events: part.map(function (it) { return it.ev; }) })
  }).then(function (res) {
    if (res.status === 413 && size > 1) return batches(queue, state, who, items, Math.ceil(size / 2));
    if (res.status === 400) { // one event can never be sent: drop it, keep the others
      return res.json().then(function (b) {
        var bad = part[b.index] || part[0];
        state.refused.push({ reason: b.error, at: new Date().toISOString() });
        return queue.delete(bad.key).then(function () {
          return batches(queue, state, who, items.filter(function (it) { return it !== bad; }), size);
        });
      });
    }
    if (!res.ok) return writeState(state); // signed out, or the server is busy: later
    return res.json().then(function (body) {
      var byID = {};
      part.forEach(function (it) { byID[it.ev.id] = it; });
      state.synced = body.synced_at;
      return Promise.all(body.results.map(function (r) {
        if (r.status === "refused") state.refused.push({ reason: r.reason, at: body.synced_at });
        if (r.url && r.status === "accepted") state.results.push(r.url);
        return byID[r.id] ? queue.delete(byID[r.id].key) : null;
      })).then(function () {
        state.refused = state.refused.slice(-5);
        state.results = state.results.slice(-5);
        return writeState(state);
      }).then(notify).then(function () {
        return batches(queue, state, who, items.slice(part.length), size);
      });
    });
  }, function () { return writeState(state); }); // the network went again: the rest waits
}
