package server_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/testenv"
)

// offlineNetwork cuts (or restores) the link between the browser and the
// server, which every request crosses, the service worker's included, and
// tells the tab it is offline (or online) so navigator.onLine agrees.
func offlineNetwork(link *testenv.Link, offline bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		link.SetDown(offline)
		_, err := chromedp.Call(ctx, emulateNetworkConditions, networkConditions{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// emulateNetworkConditions is the stable DevTools command behind
// navigator.onLine (the one Playwright's setOffline uses). cdproto no
// longer generates it since it was marked deprecated; its experimental
// successors are refused by some Chromium releases.
var emulateNetworkConditions = cdp.Command[networkConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

type networkConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

// waitJS polls a JavaScript condition in the tab.
func waitJS(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		// The tab's own deadline bounds the wait, not Poll's 30 s default:
		// with the whole suite's browsers on two cores, a worker's install
		// (its shell and the offline page) has taken longer than that.
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0))(ctx, t)
		return chromedp.Void{}, err
	}
}

// waitControlled waits until the service worker controls the page. A
// worker whose install failed is installed again at the next page load,
// as at a reader's next page: with the whole suite's browsers and servers
// on two cores, a shell request has failed once in a full run and the
// page waited 120 s for a worker that was never coming. So the page
// reloads when 15 s pass without one, within the tab's deadline.
func waitControlled() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			_, err := chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`,
				chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second))(ctx, t)
			if err == nil || ctx.Err() != nil {
				return chromedp.Void{}, err
			}
			if _, err := chromedp.Reload()(ctx, t); err != nil {
				return chromedp.Void{}, err
			}
		}
	}
}

// A trainee makes course 1 available offline, loses the network, reads a
// lesson and marks it done, answers and submits the quiz, closes the tab;
// back online, the server holds exactly one graded attempt and the lesson.
func TestBrowserOfflineCourseAndQuiz(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	u := e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	course, _ := e.catalog.Lookup(basics)
	lesson := course.Def.Lessons[1]
	link := testenv.NewLink(t, e.listen(t))
	base := link.URL
	tab, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("sign in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("open the course, its service worker in control",
		chromedp.Navigate(base+"/courses/"+basics),
		waitControlled(),
		chromedp.WaitVisible(css("[data-offline-course] button")),
	)
	cost, _ := chromedp.Run(tab, chromedp.Text(css("[data-offline-course] .meta")))
	if !strings.Contains(cost, "2G") {
		t.Errorf("the offer does not say what the download costs: %q", cost)
	}
	do("make it available offline",
		chromedp.Click(css("[data-offline-course] button")),
		chromedp.WaitReady(css("[data-offline-ready]")),
	)

	do("go offline", offlineNetwork(link, true))
	if online, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`navigator.onLine`)); online {
		t.Fatal("the tab still says it is online")
	}
	do("read a lesson offline",
		chromedp.Navigate(base+lessonPath(basics, lesson.ID)),
		chromedp.WaitVisible(css(`article[data-lesson="`+lesson.ID+`"]`)),
	)
	do("mark it done offline: the phone keeps it",
		chromedp.Click(css("form.complete button")),
		chromedp.WaitVisible(css("#offline-courses")),
	)
	if who, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("form.who") !== null`)); !who {
		t.Error("the offline page kept is the one from before signing in")
	}
	do("open the quiz offline", chromedp.Navigate(base+"/courses/"+basics+"/quiz"), chromedp.WaitVisible(css("form.quiz")))
	attempt, _ := chromedp.Run(tab, chromedp.AttributeValue(css("form.quiz"), "data-attempt"))
	answerShown(t, tab, "form.quiz", course.Def.Quiz, true)
	do("submit offline",
		chromedp.Click(css(`form.quiz button:not([name])`)),
		chromedp.WaitVisible(css("#offline-courses")),
		waitJS(`document.querySelector("#sync [data-waiting-count]") !== null`),
	)
	waiting, _ := chromedp.Run(tab, chromedp.AttributeValue(css("#sync [data-waiting-count]"), "data-waiting-count"))
	if waiting.Value != "2" {
		t.Errorf("waiting to be sent: %q, want 2 (the lesson and the quiz)", waiting.Value)
	}
	if u2, _ := e.store.UserByID(context.Background(), u.ID); len(u2.Progress[basics].LessonsDone) != 0 {
		t.Fatalf("the server got the lesson while the tab was offline")
	}
	cancel() // close the tab

	// Back online, in a new tab: the queue is sent.
	again, closeAgain := chromedp.NewContext(browser)
	defer closeAgain()
	again, cancelAgain := context.WithTimeout(again, 60*time.Second)
	defer cancelAgain()
	do = browserSteps(t, again)
	do("come back online", offlineNetwork(link, false), chromedp.Navigate(base+"/courses/"+basics),
		waitJS(`document.querySelector("#sync [data-waiting-count='0']") !== null`))

	ctx := context.Background()
	u2, err := e.store.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done := u2.Progress[basics].LessonsDone; len(done) != 1 || done[0] != lesson.ID {
		t.Errorf("lessons done on the server: %v, want [%s]", done, lesson.ID)
	}
	list := attemptsOf(t, e, u2, basics)
	if len(list) != 1 || !list[0].Submitted() || list[0].ID != attempt.Value || list[0].Result.Score != 100 {
		t.Fatalf("attempts on the server: %d (want exactly one, graded 100)", len(list))
	}
	// The link is read, then followed: offline.js redraws the status line
	// as it learns more, so a node found for a click can be gone by then.
	result, err := chromedp.Run(again, chromedp.Poll[string](
		`(() => { const a = document.querySelector('#sync a[href*="/quiz/attempts/"]'); return a ? a.getAttribute("href") : "" })()`,
		chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		t.Fatalf("the sync status links to no result: %v", err)
	}
	do("see the result", chromedp.Navigate(base+result), chromedp.WaitVisible(css("[data-passed]")))
	// A shared phone: signing out removes the pages kept for this person.
	do("sign out", chromedp.Click(css("form.who button")), chromedp.WaitVisible(css(`a.who[href^="/login"]`)))
	kept, err := chromedp.Run(again, chromedp.Evaluate[bool](`caches.open("kalan-pages").then(c => c.keys()).then(k => k.some(r => r.url.includes("/courses/") || r.url.includes("/_kalan/")))`, chromedp.EvalAwaitPromise))
	if err != nil || kept {
		t.Errorf("pages kept after signing out: %v, %v", kept, err)
	}
	if v, err := testenv.CSPViolations(again); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// A visitor's offline copy of a public course follows the versions: after
// a new one is published, opening the course page online downloads it
// again, and offline the lesson reads as published.
func TestBrowserOfflineCopyFollowsNewVersions(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	link := testenv.NewLink(t, e.listen(t))
	base := link.URL
	tab, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	keptVersion := `caches.open("kalan-pages").then(c => c.match("/_kalan/course/` + basics + `")).then(r => r ? r.json() : {}).then(p => p.version || "")`

	first, _ := e.catalog.Lookup(basics)
	lessons := first.Def.Lessons
	last := lessonPath(basics, lessons[len(lessons)-1].ID)
	do("start a download that the network cuts at the last lesson",
		chromedp.Navigate(base+"/courses/"+basics+"?lang=fr"),
		cutURL(link, last),
		// The phone's first page: the button itself brings the worker.
		chromedp.Click(css("[data-offline-course] button")),
		waitJS(`document.querySelector("[data-offline-course] [role=status]").textContent === `+jsString(e.t("fr", "offline.failed", nil))),
		waitControlled(),
	)
	lessonsFetched := func() int {
		return countRequests(t, e, `kalan_http_requests_total{method="GET",route="/courses/:slug/lessons/:lesson",`)
	}
	before := lessonsFetched()
	do("resume it",
		offlineNetwork(link, false),
		chromedp.Click(css("[data-offline-course] button")),
		chromedp.WaitReady(css("[data-offline-ready]")),
	)
	if got := lessonsFetched() - before; got != 1 {
		t.Errorf("resuming fetched %d lessons, want only the missing one", got)
	}
	if v, err := chromedp.Run(tab, chromedp.Evaluate[string](keptVersion, chromedp.EvalAwaitPromise)); err != nil || v != first.ID {
		t.Fatalf("kept version %q (%v), want %s", v, err, first.ID)
	}
	publishChanged(t, e)
	second, _ := e.catalog.Lookup(basics)
	do("open the course page again", chromedp.Navigate(base+"/courses/"+basics))
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, _ := chromedp.Run(tab, chromedp.Evaluate[string](keptVersion, chromedp.EvalAwaitPromise))
		if v == second.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the offline copy stayed at %q, want %s", v, second.ID)
		}
		time.Sleep(200 * time.Millisecond)
	}
	do("read the changed lesson offline",
		offlineNetwork(link, true),
		chromedp.Navigate(base+lessonPath(basics, "three-elements")),
		chromedp.WaitVisible(css(`article[data-lesson="three-elements"]`)),
	)
	if text, _ := chromedp.Run(tab, chromedp.Text(css("article"))); !strings.Contains(text, "Nouvelle version.") {
		t.Errorf("offline, the lesson is the old version: %.200q", text)
	}
	do("back online", offlineNetwork(link, false))
}

// cutURL makes one address unreachable, until the network is restored.
func cutURL(link *testenv.Link, path string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(context.Context, *chromedp.Target) error {
		link.Cut(path)
		return nil
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// countRequests adds up the counters of /metrics whose series starts
// with prefix (a metric and some of its labels).
func countRequests(t *testing.T, e *env, prefix string) int {
	t.Helper()
	total := 0
	for _, line := range strings.Split(string(e.get(t, "/metrics").body), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		n, err := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		total += n
	}
	return total
}

// A shared phone: Awa's session ends without her signing out, and Binta
// signs in. The course Awa kept offline, with her progress and quiz in
// its pages, is no longer on the phone.
func TestBrowserAnotherReaderForgetsTheLastOnesPages(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	e.user(t, account.RoleTrainee, "binta@kalan.test", "Binta Diallo")
	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	kept := `caches.open("kalan-pages").then(c => c.keys()).then(k => k.some(r => r.url.includes("/_kalan/course/")))`

	do("Awa signs in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("and keeps course 1 offline", keepOffline(base, basics)...)
	if has, _ := chromedp.Run(tab, chromedp.Evaluate[bool](kept, chromedp.EvalAwaitPromise)); !has {
		t.Fatal("the course was not kept")
	}
	do("her session ends", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "kalan_session", URL: base})
		return err
	}))
	do("Binta signs in", browserSignIn(base, "binta@kalan.test", "fr")...)
	do("Awa's pages are gone", waitJS(`window.__gone === true || (`+kept+`.then(has => { window.__gone = !has; }), false)`))
}
