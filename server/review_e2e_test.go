package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/testenv"
)

// A Bambara reviewer records a lesson's voice in the browser (a fake
// microphone), edits its text and marks Bambara reviewed; an admin
// publishes; a trainee reading in Bambara sees the new text without the
// draft notice and plays the recording.
func TestBrowserReviewerRecordsAndAdminPublishes(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.reviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	e.user(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 150*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signOut := chromedp.Action[chromedp.Void](chromedp.Click(css("form.who button")))
	lessonReview := base + "/review/" + basics + "/bm/indicators"

	do("the reviewer signs in", browserSignIn(base, "mariam@kalan.test", "fr")...)
	do("opens the lesson's review page; the recorder shows",
		chromedp.Navigate(lessonReview),
		chromedp.WaitVisible(css("[data-recorder] button")),
	)
	do("records three seconds",
		chromedp.Click(css("[data-recorder] button")),
		waitJS(`document.querySelector("[data-recorder] button").getAttribute("aria-pressed") === "true"`),
		chromedp.Sleep(3*time.Second),
		chromedp.Click(css("[data-recorder] button")),
		chromedp.WaitVisible(css("section[data-recording] audio")),
	)
	by, err := chromedp.Run(tab, chromedp.AttributeValue(css("[data-recording-by]"), "data-recording-by"))
	if err != nil || by.Value != "Mariam Sangaré" {
		t.Fatalf("the draft recording is by %q (%v)", by.Value, err)
	}
	rec, err := e.store.Recording(context.Background(), basics, "bm", "indicators")
	if err != nil || rec.Container != "webm" || rec.Duration < 2*time.Second || rec.Duration > 5*time.Second {
		t.Fatalf("stored draft recording %+v, %v: want the browser's WebM of about 3 s", rec, err)
	}

	const text = "## Taamasiyɛnw\n\nMariam ka sɛbɛn min lajɛra."
	do("edits the text, the preview following as she types",
		chromedp.SetValue(css("textarea#markdown"), text),
		chromedp.SendKeys(css("textarea#markdown"), " Kura!"),
		waitJS(`document.querySelector("[data-preview] article").textContent.includes("lajɛra. Kura!")`),
	)
	do("saves the draft",
		chromedp.Click(css(`section[data-translation] button[type=submit]:not([name=preview])`)),
		chromedp.WaitVisible(css("section[data-translation] p.meta")),
	)
	do("marks Bambara reviewed",
		chromedp.Navigate(base+"/review/"+basics+"/bm"),
		chromedp.Click(css(`form[action$="/bm/reviewed"] button`)),
		chromedp.WaitVisible(css("[data-reviewed-by]")),
		signOut, chromedp.WaitVisible(css(`a[href^="/login"]`)),
	)

	do("the admin signs in", browserSignIn(base, "admin@kalan.test", "fr")...)
	do("and publishes the course's drafts",
		chromedp.Navigate(base+"/admin/courses"),
		chromedp.Click(css(`form[action="/admin/courses/`+basics+`/publish"] button`)),
		chromedp.WaitVisible(css(`[role=status], .flash`)),
		signOut, chromedp.WaitVisible(css(`a[href^="/login"]`)),
	)

	do("the trainee signs in in Bambara", browserSignIn(base, "awa@kalan.test", "bm")...)
	do("opens the lesson",
		chromedp.Navigate(base+"/courses/"+basics+"/lessons/indicators?lang=bm"),
		chromedp.WaitVisible(css(`article audio[preload="none"]`)),
	)
	article, err := chromedp.Run(tab, chromedp.Text(css("main")))
	if err != nil || !strings.Contains(article, "Mariam ka sɛbɛn min lajɛra. Kura!") {
		t.Fatalf("the lesson does not show the reviewed text: %q, %v", article, err)
	}
	notes, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("p.note.review").length`))
	if err != nil || notes != 0 {
		t.Errorf("%d draft-translation notices on the lesson (%v)", notes, err)
	}
	duration, _, err := playAudio(tab, "article audio")
	if err != nil {
		t.Fatalf("play the reviewer's recording: %v", err)
	}
	// Chrome's recorder writes no length; Kalan adds it on upload, so the
	// player knows it before playing to the end (-1: it does not).
	if want := rec.Duration.Seconds(); duration <= 0 || duration < want-0.5 || duration > want+0.5 {
		t.Errorf("the player says %v s; the recording lasts %.2f s", duration, want)
	}
	if v, err := testenv.CSPViolations(tab); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// A facilitators' trainer records a spot in Songhay on the library's
// upload form (a fake microphone), fills in the rest and sends it: the
// spot is in the library, tagged ses, with its length, and plays.
func TestBrowserLibrarySpotRecorded(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	before, err := e.library.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	do("the admin signs in", browserSignIn(base, "admin@kalan.test", "fr")...)
	do("records two seconds on the upload form",
		chromedp.Navigate(base+"/admin/library/new"),
		chromedp.Click(css("[data-recorder] button")),
		waitJS(`document.querySelector("[data-recorder] button").getAttribute("aria-pressed") === "true"`),
		chromedp.Sleep(2*time.Second),
		chromedp.Click(css("[data-recorder] button")),
		waitJS(`document.querySelector("#file").files.length === 1`),
	)
	do("fills in the form and sends it",
		chromedp.SetValue(css("#title_fr"), "Spot : parlons de la traite"),
		chromedp.SetValue(css("#topic"), "prevention"),
		chromedp.SetValue(css("#audience"), "community"),
		chromedp.SetValue(css("#language"), "ses"),
		chromedp.SetValue(css("#credit"), "Facilitateurs de Gao"),
		chromedp.Submit(css("#file")),
		chromedp.WaitNotPresent(css("#file[multiple]")),
	)
	after, err := e.library.All(context.Background())
	if err != nil || len(after) != len(before)+1 {
		t.Fatalf("%d resources after the upload, want %d (%v)", len(after), len(before)+1, err)
	}
	var spot = after[0]
	for _, r := range after {
		if r.Language == "ses" {
			spot = r
		}
	}
	if spot.Language != "ses" || spot.Duration < time.Second || spot.Duration > 4*time.Second || spot.Format != "audio" {
		t.Fatalf("the recorded spot: %+v", spot)
	}
	do("its page plays it",
		chromedp.Navigate(base+"/library/"+spot.ID),
		chromedp.WaitVisible(css(`audio[preload="none"]`)),
	)
	duration, _, err := playAudio(tab, "audio")
	if err != nil || duration <= 0 {
		t.Fatalf("play the spot: duration %v, %v", duration, err)
	}
	if v, err := testenv.CSPViolations(tab); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}
