package server_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/testenv"
)

// A trainee opens a lesson of course 1 in French: its recording downloads
// nothing until she presses play; then it plays, and the player knows its
// length.
func TestBrowserLessonRecordingPlays(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	const lesson = "forms-in-mali" // no image: every media request is the recording's
	m := bundledRecording(t, lesson)
	base := e.listen(t)
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	do := browserSteps(t, ctx)
	media := func() int {
		return countRequests(t, e, `kalan_http_requests_total{method="GET",route="/media/:hash",`)
	}

	do("sign in", browserSignIn(base, "awa@kalan.test", "fr")...)
	do("open the lesson",
		chromedp.Navigate(base+"/courses/"+basics+"/lessons/"+lesson),
		chromedp.WaitVisible(chromedp.CSS(`article audio[preload="none"]`)),
		chromedp.Sleep(500*time.Millisecond))
	if n := media(); n != 0 {
		t.Errorf("%d media requests before the trainee pressed play", n)
	}
	duration, at, err := playAudio(ctx, "article audio")
	if err != nil {
		t.Fatalf("play the recording: %v", err)
	}
	want := m.Duration.Seconds()
	if duration <= 0 || duration < want-1 || duration > want+1 || at <= 0 {
		t.Errorf("the player says duration %v s, at %v s; the recording lasts %.1f s", duration, at, want)
	}
	if n := media(); n == 0 {
		t.Error("the recording played without being requested from the server")
	}
	if v, err := testenv.CSPViolations(ctx); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// A trainee makes course 1 available offline with its recordings, having
// read what they weigh; offline, a lesson's recording plays from the
// phone (the service worker answers the player's byte ranges from its
// copy).
func TestBrowserRecordingPlaysOffline(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	const lesson = "forms-in-mali"
	m := bundledRecording(t, lesson)
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
		chromedp.WaitVisible(css("[data-offline-course] [data-recordings]")),
	)
	do("make it available offline with the recordings",
		chromedp.Click(css("[data-offline-course] [data-recordings]")),
		chromedp.Click(css("[data-offline-course] button")),
		chromedp.WaitReady(css("[data-offline-ready]")),
	)
	kept, err := chromedp.Run(tab, chromedp.Evaluate[bool](`caches.open("kalan-media").then(c => c.match("/media/`+m.SHA256+`")).then(r => !!r)`, chromedp.EvalAwaitPromise))
	if err != nil || !kept {
		t.Fatalf("the recording is not on the phone: %v, %v", kept, err)
	}
	do("go offline", offlineNetwork(link, true))
	do("read the lesson offline",
		chromedp.Navigate(base+"/courses/"+basics+"/lessons/"+lesson),
		chromedp.WaitVisible(css(`article audio[preload="none"]`)),
	)
	got, _, err := playAudio(tab, "article audio")
	if err != nil {
		t.Fatalf("play the recording offline: %v", err)
	}
	if want := m.Duration.Seconds(); got < want-1 || got > want+1 {
		t.Errorf("offline, the player says %v s; the recording lasts %.1f s", got, want)
	}
	// The box stays ticked for the next visit: a new version brings the
	// recordings again.
	do("back to the course page offline", chromedp.Navigate(base+"/courses/"+basics), chromedp.WaitVisible(css("[data-offline-ready]")))
	if ticked, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-recordings]").checked`)); !ticked {
		t.Error("the recordings box is no longer ticked")
	}
}

// playAudio presses play on the first audio element matching sel (a user
// gesture: the browser's autoplay rules let it), waits until it plays
// and knows its length, pauses it, and returns that length and where it
// was, in seconds (-1 for a length the player does not know before the
// end: Infinity).
func playAudio(tab context.Context, sel string) (duration, at float64, err error) {
	gesture := func(p *runtime.EvaluateParams) { yes := true; p.UserGesture = &yes }
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`(async () => {
		const a = document.querySelector(`+strconv.Quote(sel)+`);
		await a.play();
		await new Promise((resolve, reject) => {
			const done = () => a.currentTime > 0 && a.duration > 0 && resolve();
			a.addEventListener("timeupdate", done);
			a.addEventListener("error", () => reject(new Error("media error " + (a.error && a.error.code))));
			done();
		});
		a.pause();
		return [isFinite(a.duration) ? a.duration : -1, a.currentTime];
	})()`, chromedp.EvalAwaitPromise, gesture))
	if err != nil {
		return 0, 0, err
	}
	return got[0], got[1], nil
}
