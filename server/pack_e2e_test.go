package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/server/testenv"
)

// A facilitator unzips the Bambara pack of course 1 on a laptop with no
// network and opens index.html from the folder: the browser shows the
// contents and lesson 1 in Bambara with its diagram, and no server runs.
func TestBrowserOfflinePack(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	if _, err := e.library.ImportBundle(context.Background(), assets.Library(), e.locales.Supported, e.publishedSlug); err != nil {
		t.Fatal(err)
	}
	r := e.get(t, "/courses/"+basics+"/pack?lang=bm")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d", r.StatusCode)
	}
	dir := t.TempDir()
	for name, body := range unzip(t, r.body) {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	course, _ := e.catalog.Lookup(basics)
	wantTitle := course.Def.Lessons[0].Title["bm"]

	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	do := browserSteps(t, ctx)
	index := "file://" + filepath.ToSlash(filepath.Join(dir, "kalan-"+basics+"-bm", "index.html"))
	do("open the unzipped index", chromedp.Navigate(index), chromedp.WaitVisible(chromedp.CSS("ol a")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h2"))); strings.TrimSpace(got) != e.t("bm", "pack.lessons", nil) {
		t.Errorf("contents heading %q, want the Bambara one", got)
	}
	do("open lesson 1", chromedp.Click(chromedp.CSS("ol li:first-child a")), chromedp.WaitVisible(chromedp.CSS("article h1")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article h1"))); strings.TrimSpace(got) != wantTitle {
		t.Errorf("lesson 1 heading %q, want %q", got, wantTitle)
	}
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "bm" {
		t.Errorf("lesson lang = %q", lang)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const imgs = [...document.querySelectorAll("article img")];
		for (const img of imgs) {
			img.loading = "eager";
			if (!img.complete) await new Promise(r => { img.onload = r; img.onerror = r; });
		}
		return imgs.length > 0 && imgs.every(img => img.naturalWidth > 0);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || !loaded {
		t.Errorf("the lesson's images did not load from the folder (%v)", err)
	}
	do("go to lesson 2", chromedp.Click(chromedp.CSS(`.pager a[href="lesson-02.html"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.pager a[href="lesson-01.html"]`))) // only lesson 2 links back to 1
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article h1"))); strings.TrimSpace(got) != course.Def.Lessons[1].Title["bm"] {
		t.Errorf("lesson 2 heading %q", got)
	}
}
