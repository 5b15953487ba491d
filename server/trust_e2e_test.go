package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/testenv"
)

// A shared phone: a trainee looks at her account page, signs out and
// hands the phone over; the next person presses Back. The browser must
// ask the server again (and be sent to sign in), not show her page from
// its back/forward cache.
func TestBrowserBackAfterSignOutShowsNothing(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("sign in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("open her account", chromedp.Navigate(base+"/account"), chromedp.WaitVisible(css("form.who")))
	if body, _ := chromedp.Run(tab, chromedp.Text(css("body"))); !strings.Contains(body, "awa@kalan.test") {
		t.Fatalf("the account page does not show the login, so the test proves nothing: %q", body)
	}
	do("sign out", chromedp.Click(css("form.who button")), chromedp.WaitVisible(css(`a.who[href^="/login"]`)))
	// Signing out lands on the home page; Back leaves it for whatever the
	// browser shows for /account: its stored copy, or the server's answer.
	do("press Back", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		// A page restored from the back/forward cache fires no load event
		// for NavigateBack to wait for: wait a little, then look.
		back, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, _ = chromedp.NavigateBack()(back, tg)
		return chromedp.Void{}, nil
	})
	// Whichever way the page came back, its path is no longer the home's.
	var path string
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		look, cancel := context.WithTimeout(tab, 2*time.Second)
		path, _ = chromedp.Run(look, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : "/"`))
		cancel()
		if path != "/" && path != "" {
			break
		}
	}
	body, _ := chromedp.Run(tab, chromedp.Text(css("body")))
	if path == "/account" || strings.Contains(body, "awa@kalan.test") || strings.Contains(body, "Awa Traoré") {
		t.Errorf("Back after signing out shows %s with her details:\n%s", path, body)
	}
}

// Signing out clears the site's storage, but not the work a trainee did
// offline: Awa marks a lesson done without network, her session ends
// before it is sent; Binta signs in and out on the same phone; Awa's
// event is still waiting, and is sent when she signs in again.
func TestBrowserSignOutKeepsTheOfflineQueue(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	awa := e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	e.user(t, account.RoleTrainee, "binta@kalan.test", "Binta Diallo")
	course, _ := e.catalog.Lookup(basics)
	lesson := course.Def.Lessons[0]
	link := testenv.NewLink(t, e.listen(t))
	base := link.URL
	tab, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	queued := `caches.open("kalan-queue").then(c => c.keys()).then(k => k.length)`

	do("Awa signs in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("keeps course 1 offline", keepOffline(base, basics)...)
	do("reads a lesson and marks it done without network: the phone keeps it",
		offlineNetwork(link, true),
		chromedp.Navigate(base+lessonPath(basics, lesson.ID)),
		chromedp.WaitVisible(css("form.complete button")),
		chromedp.Click(css("form.complete button")),
		chromedp.WaitVisible(css("#offline-courses")),
	)
	if n, _ := chromedp.Run(tab, chromedp.Evaluate[int](queued, chromedp.EvalAwaitPromise)); n != 1 {
		t.Fatalf("%d events waiting, want 1", n)
	}
	do("her session ends before it is sent", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "kalan_session", URL: base})
		return err
	}), offlineNetwork(link, false))
	do("Binta signs in", browserSignIn(base, "binta@kalan.test", "fr")...)
	do("and out", chromedp.Click(css("form.who button")), chromedp.WaitVisible(css(`a.who[href^="/login"]`)))
	if n, err := chromedp.Run(tab, chromedp.Evaluate[int](queued, chromedp.EvalAwaitPromise)); n != 1 {
		t.Fatalf("after Binta signed out, %d events waiting (%v), want Awa's 1", n, err)
	}
	do("Awa signs in again: her lesson reaches the server", browserSignIn(base, "awa@kalan.test", "fr")...)
	deadline := time.Now().Add(30 * time.Second)
	for {
		u, err := e.store.UserByID(context.Background(), awa.ID)
		if err == nil && slices.Contains(u.Progress[basics].LessonsDone, lesson.ID) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Awa's lesson done offline never reached the server")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A shared phone on a crawling network: Awa keeps course 1 offline and
// closes the browser without signing out (her session cookies go with
// it). The next person opens one of its lessons while the network
// stalls: the service worker must not fall back on Awa's copy, which
// shows her name and progress (finding 3); once the link gives up, they
// get the offline page for anybody.
func TestBrowserClosedBrowserOnAStalledNetworkShowsNoOnesPages(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	course, _ := e.catalog.Lookup(basics)
	lesson := course.Def.Lessons[1]
	link := testenv.NewLink(t, e.listen(t))
	base := link.URL
	tab, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("Awa signs in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("keeps course 1 offline", keepOffline(base, basics)...)
	do("reads a lesson: her name is on it", chromedp.Navigate(base+lessonPath(basics, lesson.ID)), chromedp.WaitVisible(css("form.who")))
	do("closes the browser: its session cookies are gone", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, name := range []string{"kalan_session", "kalan_who"} {
			if _, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: name, URL: base}); err != nil {
				return err
			}
		}
		return nil
	}))
	link.SetStalled(true)
	// The worker waits 6 s for a crawling network before it looks at
	// what it kept; the lesson is asked for and left waiting past that.
	do("the next person opens the lesson on a stalled network",
		chromedp.Evaluate[chromedp.Void](`setTimeout(() => { location.href = "`+lessonPath(basics, lesson.ID)+`?next=1"; }, 0)`))
	time.Sleep(8 * time.Second)
	shown := func() string {
		look, cancel := context.WithTimeout(tab, 3*time.Second)
		defer cancel()
		text, _ := chromedp.Run(look, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		return text
	}
	if text := shown(); strings.Contains(text, "Awa") {
		t.Fatalf("after the stall, the phone shows Awa's page to the next person:\n%s", text)
	}
	link.SetDown(true)
	link.SetStalled(false)
	// The link gives up: whatever the phone shows now (the offline page
	// for anybody), it is not Awa's.
	text := ""
	for end := time.Now().Add(20 * time.Second); text == "" && time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		text = shown()
	}
	if strings.Contains(text, "Awa") {
		t.Errorf("offline, the phone shows Awa's pages to the next person:\n%s", text)
	}
	if !strings.Contains(text, e.t("fr", "offline.title", nil)) {
		t.Errorf("offline, the next person does not get the offline page:\n%s", text)
	}
}

// keepOffline opens a course and makes it available offline, its
// service worker in control.
func keepOffline(base, slug string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/courses/" + slug),
		chromedp.Click(chromedp.CSS("[data-offline-course] button")), // brings the worker if no page did
		chromedp.WaitReady(chromedp.CSS("[data-offline-ready]")),
		waitControlled(),
		// The worker keeps the offline page for anybody once it is told
		// who reads (the next person on the phone gets that one).
		waitPromise(`caches.match("/offline").then(r => !!r)`),
	}
}

// waitPromise polls a JavaScript promise of a boolean in the tab until it
// resolves to true.
func waitPromise(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			ok, err := chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)(ctx, t)
			if err != nil || ok {
				return chromedp.Void{}, err
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}
