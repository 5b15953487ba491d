package server_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kalan/server/testenv"
)

// listen serves the application on a loopback port for a real browser.
func (e *env) listen(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// A trainee opens the catalog in Bambara, switches to French, opens a
// lesson and sees its diagram: the whole path, in a real browser.
func TestBrowserCatalogToLesson(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	base := e.listen(t)
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()

	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	run("open the catalog in Bambara", chromedp.Navigate(base+"/courses?lang=bm"))
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "bm" {
		t.Fatalf("catalog lang = %q", lang)
	}
	if got, want := text("h1"), e.t("bm", "catalog.title", nil); got != want {
		t.Errorf("Bambara catalog heading %q, want %q", got, want)
	}

	run("switch to French", chromedp.Click(chromedp.CSS(`.langs a[hreflang="fr"]`)))
	run("wait for the French page", chromedp.WaitVisible(chromedp.CSS(`.langs strong[lang="fr"]`)))
	if got, want := text("h1"), e.t("fr", "catalog.title", nil); got != want {
		t.Errorf("French catalog heading %q, want %q", got, want)
	}

	run("open the course", chromedp.Click(chromedp.CSS(`.cards a[href="/courses/`+basics+`"]`)))
	run("wait for the course", chromedp.WaitVisible(chromedp.CSS("ol.lessons")))
	run("open the first lesson", chromedp.Click(chromedp.CSS("ol.lessons li:first-child a")))
	run("wait for the lesson", chromedp.WaitVisible(chromedp.CSS("article img")))

	// The choice of French was remembered (cookie), without ?lang= in this URL.
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "fr" {
		t.Errorf("lesson lang = %q, want fr", lang)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const img = document.querySelector("article img");
		img.loading = "eager";
		if (!img.complete) await new Promise(r => { img.onload = r; img.onerror = r; });
		return img.complete && img.naturalWidth > 0;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("image check: %v", err)
	}
	if !loaded {
		t.Error("the lesson's diagram did not load")
	}
}
