package server_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/testenv"
)

// tapReadView is how a page is looked at: a phone's width in CSS pixels
// and its default text size (Chromium's is 16 px; 32 is text at 200 %,
// as a reader who enlarged the text in the phone's settings has it).
type tapReadView struct {
	name  string
	width int64
	text  int64
}

var tapReadViews = []tapReadView{
	{"360 px", 360, 16},
	{"320 px", 320, 16},
	{"360 px, text 200 %", 360, 32},
	{"320 px, text 200 %", 320, 32},
}

// tapReadVisit is one page of the tour: how to reach it from the page
// before, and whether it is a form shown again with its errors.
type tapReadVisit struct {
	name     string
	open     func() error
	errors   bool // the error summary must have the focus
	noScript bool // the page's scripts are off: the summary takes the focus without them
}

// tapReadSummary is the meta description of a course's pages: its
// summary.
func tapReadSummary(e *env, slug, lang string) string {
	c, _ := e.catalog.Lookup(slug)
	s, _ := c.Def.Summary.Get(lang)
	return s
}

// Trainees read Kalan on cheap phones, many with little schooling: every
// page of the application, at 360 and 320 CSS pixels and with the text at
// 200 %, has no sideways scrolling, no unsized image and nothing that
// blocks the first paint, headings that never skip a level,
// tap targets at least 48 px tall (links in running text excepted, as
// WCAG 2.5.8 allows), buttons and quiz options in text of at least 16 px,
// a keyboard focus ring with at least 3:1 contrast against what is behind
// it, and form errors tied to their fields and summed up at the top of
// the form, which takes the focus. One browser visits every page: public,
// trainee, trainer, administrator, the quiz and its result, and forms
// sent with mistakes.
func TestBrowserTapAndRead(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	ctx := context.Background()
	s := seedCohort(t, e) // a cohort of course 1 with a report, its trainer trainer@kalan.test
	if _, err := e.library.ImportBundle(ctx, assets.Library(), e.locales.Supported, e.publishedSlug); err != nil {
		t.Fatal(err)
	}
	admin := e.user(t, account.RoleAdmin, "admin@kalan.test", "Aminata Coulibaly")
	// The trainee, who reads in Bambara: in the cohort, course 1 passed
	// (a certificate), a quiz that must wait before another try, and an
	// invitation.
	reader, _, err := e.auth.Create(ctx, authAccount("reader@kalan.test", "Awa Traoré", "bm"), e.locales.Supported)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddCohort(ctx, reader.ID, s.cohort.ID); err != nil {
		t.Fatal(err)
	}
	reader, _ = e.store.UserByID(ctx, reader.ID)
	for _, l := range s.course.Def.Lessons {
		if err := e.training.CompleteLesson(ctx, reader, s.course, l.ID); err != nil {
			t.Fatal(err)
		}
	}
	passed := tapReadAttempt(t, e, reader.ID, basics, true)
	tapReadAttempt(t, e, reader.ID, "waiting", false)
	reader, _ = e.store.UserByID(ctx, reader.ID)
	serial := reader.Progress[basics].Certificate
	trainer, _ := e.store.UserByLogin(ctx, "trainer@kalan.test")
	other, _, err := e.cohorts.Create(ctx, trainer, cohort.Form{Name: "Gendarmerie de Kayes, avril 2027", Courses: []string{"members"}, Region: "kayes",
		Organisation: "gendarmerie", Starts: "2027-04-01", Ends: "2027-04-30"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	login, _ := account.ParseLogin("reader@kalan.test")
	if _, err := e.cohorts.Enrol(ctx, trainer, other, []account.EnrolRow{{Line: 2, Name: "Awa Traoré", Login: login}}, "fr", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	all, err := e.library.All(ctx)
	if err != nil || len(all) == 0 {
		t.Fatalf("library: %d resources, %v", len(all), err)
	}
	resource := all[0].ID
	dir := t.TempDir()
	badCSV, goodCSV := filepath.Join(dir, "refused.csv"), filepath.Join(dir, "cohorte.csv")
	if err := os.WriteFile(badCSV, []byte(enrolCSV+"Sans identifiant;;;\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goodCSV, []byte(enrolCSV), 0o600); err != nil {
		t.Fatal(err)
	}

	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 150*time.Second)
	defer cancel()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	open := func(path string) func() error {
		return func() error { return chromedp.Do(tab, chromedp.Navigate(base+path)) }
	}
	// send fills a form and submits it with the browser's own checks off
	// (required fields left empty on purpose), then waits for the answer.
	send := func(form string, steps ...chromedp.Action[chromedp.Void]) func() error {
		return func() error {
			steps = append(steps, chromedp.Evaluate[chromedp.Void](`window.tapOld = true; document.querySelector(`+jsString(form)+`).noValidate = true`),
				chromedp.Click(css(form+` button[type="submit"]:not([name])`)))
			if err := chromedp.Do(tab, steps...); err != nil {
				return err
			}
			return waitNewPage(tab)
		}
	}
	signIn := func(login, lang string) func() error { // on a shared phone: "not you?" first
		return func() error {
			if signedIn, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector("form.who")`)); signedIn {
				if err := chromedp.Do(tab, chromedp.Click(css("form.who button")), chromedp.WaitVisible(css("a.who"))); err != nil {
					return err
				}
			}
			return chromedp.Do(tab, browserSignIn(base, login, lang)...)
		}
	}
	cohortPath := "/trainer/cohorts/" + s.cohort.ID
	var resetPath string
	visits := []tapReadVisit{
		{"home in Bambara", open("/?lang=bm"), false, false},
		{"course in Bambara", open("/courses/" + basics), false, false},
		{"library in English", open("/library?lang=en"), false, false},
		{"home", open("/?lang=fr"), false, false},
		{"catalog", open("/courses"), false, false},
		{"course", open("/courses/" + basics), false, false},
		{"lesson", open(lessonPath(basics, s.course.Def.Lessons[1].ID)), false, false},
		{"library", open("/library"), false, false},
		{"resource", open("/library/" + resource), false, false},
		{"verify", open("/verify/" + serial), false, false},
		{"not found", open("/courses/nothing-here"), false, false},
		{"offline", open("/offline"), false, false},
		{"join", open("/join"), false, false},
		{"join with mistakes", send("form.form", chromedp.Navigate(base+"/join"), chromedp.SendKeys(css("#code"), "ABCD-EFGH"),
			chromedp.SendKeys(css("#login"), "awa@")), true, false},
		{"join with mistakes, without JavaScript", send("form.form", chromedp.Navigate(base+"/join"), chromedp.SendKeys(css("#code"), "ABCD-EFGH")), true, true},
		{"sign-in", open("/login"), false, false},
		{"sign-in refused", send("form.form", chromedp.Navigate(base+"/login"), chromedp.SendKeys(css("#login"), "reader@kalan.test"),
			chromedp.SendKeys(css("#password"), "not-the-password")), true, false},
		{"sign-in refused, without JavaScript", send("form.form", chromedp.Navigate(base+"/login"), chromedp.SendKeys(css("#login"), "reader@kalan.test"),
			chromedp.SendKeys(css("#password"), "not-the-password")), true, true},

		{"trainee: home", signIn("reader@kalan.test", "bm"), false, false},
		{"trainee: course", open("/courses/" + basics), false, false},
		{"trainee: lesson", open(lessonPath(basics, s.course.Def.Lessons[0].ID)), false, false},
		{"trainee: knowledge check answered", func() error {
			answerShown(t, tab, "#check form", s.course.Def.Quiz, false)
			if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`window.tapOld = true`), chromedp.Click(css(`#check button[type="submit"]`))); err != nil {
				return err
			}
			return waitNewPage(tab)
		}, false, false},
		{"trainee: quiz", open("/courses/" + basics + "/quiz"), false, false},
		{"trainee: quiz result", open("/courses/" + basics + "/quiz/attempts/" + passed), false, false},
		{"trainee: quiz closed", open("/courses/waiting/quiz"), false, false},
		{"trainee: account", open("/account"), false, false},
		{"trainee: wrong password", send(`form[action="/account/password"]`, chromedp.Navigate(base+"/account"),
			chromedp.SendKeys(css("#current"), "not-the-password"), chromedp.SendKeys(css("#new-password"), "short")), true, false},
		{"trainee: profile with mistakes", send(`form[action="/account"]`, chromedp.Navigate(base+"/account"),
			chromedp.SetValue(css("#name"), "x")), true, false},
		{"trainee: delete refused", send(`form[action="/account/delete"]`, chromedp.Navigate(base+"/account"),
			chromedp.SendKeys(css("#delete-password"), "not-the-password")), true, false},

		{"trainer: dashboard", signIn("trainer@kalan.test", "fr"), false, false},
		{"trainer: cohort", open(cohortPath), false, false},
		{"trainer: question statistics", open(cohortPath + "/questions"), false, false},
		{"trainer: unknown co-trainer", send(`form[action$="/trainers"]`, chromedp.Navigate(base+cohortPath),
			chromedp.SendKeys(css("#trainer"), "nobody@kalan.test")), true, false},
		{"trainer: enrolment refused", send(`form[action$="/enrol"]`, chromedp.Navigate(base+cohortPath),
			chromedp.SetUploadFiles(css("#file"), []string{badCSV})), true, false},
		{"trainer: enrolled", send(`form[action$="/enrol"]`, chromedp.Navigate(base+cohortPath),
			chromedp.SetUploadFiles(css("#file"), []string{goodCSV})), false, false},
		{"trainer: new cohort", open("/trainer/cohorts/new"), false, false},
		{"trainer: new cohort with mistakes", send("form.form", chromedp.Navigate(base+"/trainer/cohorts/new"),
			chromedp.SetValue(css("#starts"), "2027-03-31"), chromedp.SetValue(css("#ends"), "2027-03-01")), true, false},

		{"admin: home", func() error {
			if err := signIn("admin@kalan.test", "fr")(); err != nil {
				return err
			}
			return chromedp.Do(tab, chromedp.Navigate(base+"/admin"))
		}, false, false},
		{"admin: accounts", open("/admin/users"), false, false},
		{"admin: an account", open("/admin/users/" + reader.ID), false, false},
		{"admin: own account", open("/admin/users/" + admin.ID), false, false},
		{"admin: reset link", func() error {
			if err := chromedp.Do(tab, chromedp.Navigate(base+"/admin/users/"+reader.ID), chromedp.Evaluate[chromedp.Void](`window.tapOld = true`),
				chromedp.Click(css(`form[action$="/reset"] button`))); err != nil {
				return err
			}
			if err := waitNewPage(tab); err != nil {
				return err
			}
			link, err := chromedp.Run(tab, chromedp.Text(css("[data-reset-link] code")))
			if u, perr := url.Parse(strings.TrimSpace(link)); err == nil && perr == nil {
				resetPath = u.Path
			}
			return err
		}, false, false},
		{"admin: audit log", open("/admin/audit"), false, false},
		{"admin: courses", open("/admin/courses"), false, false},
		{"admin: national view", open("/admin/reports"), false, false},
		{"admin: all question statistics", open("/admin/reports/questions"), false, false},
		{"admin: library", open("/admin/library"), false, false},
		{"admin: new resource", open("/admin/library/new"), false, false},
		{"admin: new resource with mistakes", send("form.form", chromedp.Navigate(base+"/admin/library/new")), true, false},
		{"admin: a resource", open("/admin/library/" + resource), false, false},
		{"new password", func() error {
			if resetPath == "" {
				return fmt.Errorf("no reset link was shown")
			}
			return chromedp.Do(tab, chromedp.Click(css("form.who button")), chromedp.WaitVisible(css("a.who")), chromedp.Navigate(base+resetPath))
		}, false, false},
		{"new password with mistakes", send("form.form", chromedp.SendKeys(css("#new-password"), "short"), chromedp.SendKeys(css("#password-confirm"), "other")), true, false},
	}

	if _, err := chromedp.Call(tab, emulation.SetScrollbarsHidden, emulation.SetScrollbarsHiddenParams{Hidden: true}); err != nil {
		t.Fatal(err)
	}
	setView := func(v tapReadView) error {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(v.width, 640)); err != nil {
			return err
		}
		_, err := chromedp.Call(tab, page.SetFontSizes, page.SetFontSizesParams{FontSizes: &page.FontSizes{Standard: v.text, Fixed: v.text * 13 / 16}})
		return err
	}
	if err := setView(tapReadViews[0]); err != nil {
		t.Fatal(err)
	}
	scripts := func(on bool) {
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range visits {
		if v.noScript {
			scripts(false)
		}
		if err := v.open(); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if err := setView(tapReadViews[0]); err != nil {
			t.Fatal(err)
		}
		where, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`))
		meta, _ := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector('meta[name="description"]') || {}).content || ""`))
		lang, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`))
		if strings.HasPrefix(v.name, "trainee") && lang != "bm" {
			t.Errorf("%s (%s): the page is in %q; the trainee reads in Bambara", v.name, where, lang)
		}
		if want := tapReadSummary(e, basics, lang); strings.HasPrefix(where, "/courses/"+basics) && !strings.Contains(where, "/quiz") && meta != want {
			t.Errorf("%s (%s): meta description %q, want the course summary %q", v.name, where, meta, want)
		} else if strings.TrimSpace(meta) == "" {
			t.Errorf("%s (%s): no meta description", v.name, where)
		}
		if v.errors {
			// Autofocus is run with the page's first rendering, a moment after it has loaded.
			for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if focused, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`document.activeElement.matches(".error-summary")`)); focused {
					break
				}
			}
			if problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](errorSummaryAudit)); err != nil || len(problems) > 0 {
				t.Errorf("%s (%s): %v %v", v.name, where, problems, err)
			}
		}
		for _, problem := range focusRings(t, tab) {
			t.Errorf("%s (%s): %s", v.name, where, problem)
		}
		for _, view := range tapReadViews {
			if err := setView(view); err != nil {
				t.Fatal(err)
			}
			if size, err := chromedp.Run(tab, chromedp.Evaluate[float64](`innerWidth * 1000 + parseFloat(getComputedStyle(document.body).fontSize)`)); err != nil ||
				size != float64(view.width*1000)+float64(view.text)*17/16 {
				t.Fatalf("%s at %s: the browser shows %v (width × 1000 + body text px), %v", v.name, view.name, size, err)
			}
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](tapReadAudit))
			if err != nil {
				t.Fatalf("%s at %s: %v", v.name, view.name, err)
			}
			for _, p := range problems {
				t.Errorf("%s (%s) at %s: %s", v.name, where, view.name, p)
			}
		}
		if err := setView(tapReadViews[0]); err != nil {
			t.Fatal(err)
		}
		if v.noScript {
			scripts(true)
		}
	}
	if v, err := testenv.CSPViolations(tab); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// tapReadAttempt has a trainee answer a course's final quiz, rightly or
// wrongly, and returns the attempt's id.
func tapReadAttempt(t *testing.T, e *env, userID, slug string, right bool) string {
	t.Helper()
	ctx := context.Background()
	u, err := e.store.UserByID(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	course, _ := e.catalog.Lookup(slug)
	a, err := e.training.StartOrResume(ctx, u, course, "fr")
	if err != nil {
		t.Fatal(err)
	}
	answers := learning.Answers{}
	for _, d := range a.Drawn {
		q, _ := questionByID(course.Def.Quiz, d.Question)
		for _, o := range q.Options {
			if o.Correct == right {
				answers[d.Question] = append(answers[d.Question], o.ID)
				if q.Kind != "multiple" {
					break
				}
			}
		}
	}
	if _, err := e.training.Submit(ctx, u, course, a, answers); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// waitNewPage waits until the page marked with window.tapOld has been
// replaced by another, loaded.
func waitNewPage(tab context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		done, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!window.tapOld && document.readyState === "complete"`))
		if err == nil && done {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no new page after 10 s (%v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// focusRings moves the keyboard focus through the page with Tab and
// checks the ring of each element it reaches: an outline at least 2 px
// wide whose colour has 3:1 contrast against the background behind it
// (the first ancestor with one; the ring is drawn outside the element).
func focusRings(t *testing.T, tab context.Context) []string {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`)); err != nil {
		t.Fatal(err)
	}
	var problems []string
	seen := map[string]bool{}
	for i := 0; i < 300; i++ {
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		ring, err := chromedp.Run(tab, chromedp.Evaluate[focusRing](focusRingAudit))
		if err != nil {
			t.Fatal(err)
		}
		if ring.Element == "" || seen[ring.Path] {
			break // back at the start, or out of the page
		}
		seen[ring.Path] = true
		if ring.Problem != "" {
			problems = append(problems, ring.Element+": "+ring.Problem)
		}
	}
	if len(seen) == 0 {
		problems = append(problems, "Tab reaches nothing")
	}
	return problems
}

// focusRing is what focusRingAudit says of the focused element.
type focusRing struct {
	Element, Path, Problem string
}

// tapReadJS are the helpers of the audits.
const tapReadJS = `
const describe = el => {
	const text = String(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40);
	return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : "") + (text ? " “" + text + "”" : "");
};
const rgba = s => {
	const m = s.match(/rgba?\(([^)]+)\)/);
	if (!m) return null;
	const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
	return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const luminance = c => {
	const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
	return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const contrast = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const backgroundBehind = el => {
	for (let p = el.parentElement; p; p = p.parentElement) {
		const c = rgba(getComputedStyle(p).backgroundColor);
		if (c && c.a > 0) return c;
	}
	return {r: 255, g: 255, b: 255, a: 1};
};
const rendered = el => {
	if (!el.getClientRects().length) return false;
	const r = el.getBoundingClientRect();
	if (r.right <= 0 || r.width <= 1 || r.height <= 1) return false; // off screen until focused (the skip link), or visually hidden
	return getComputedStyle(el).visibility !== "hidden";
};
`

// focusRingAudit describes the focused element's ring.
const focusRingAudit = `(() => {` + tapReadJS + `
	const el = document.activeElement;
	if (!el || el === document.body || el === document.documentElement) return {Element: "", Path: "", Problem: ""};
	let path = "", n = el;
	for (; n && n.parentElement; n = n.parentElement) path = [...n.parentElement.children].indexOf(n) + "/" + path;
	const st = getComputedStyle(el), out = {Element: describe(el), Path: path, Problem: ""};
	const width = parseFloat(st.outlineWidth), colour = rgba(st.outlineColor);
	if (st.outlineStyle === "none" || width < 2 || !colour) {
		out.Problem = "focus ring " + st.outlineStyle + " " + st.outlineWidth;
		return out;
	}
	const bg = backgroundBehind(el), ratio = contrast(colour, bg);
	if (ratio < 3) out.Problem = "focus ring " + st.outlineColor + " on " + JSON.stringify(bg) + ": contrast " + ratio.toFixed(2) + ":1";
	return out;
})()`

// tapReadAudit lists what is wrong with the page as it is shown now.
const tapReadAudit = `(() => {` + tapReadJS + `
	const problems = [];
	const root = document.documentElement;
	if (root.scrollWidth > root.clientWidth || root.scrollWidth > innerWidth) {
		const scrolls = el => {
			if (/absolute|fixed/.test(getComputedStyle(el).position)) return false; // not clipped by a scroller that does not position it
			for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll|hidden/.test(getComputedStyle(p).overflowX)) return true;
			return false;
		};
		const wide = [...document.body.querySelectorAll("*")].filter(el => el.getClientRects().length && el.getBoundingClientRect().right > root.clientWidth + 0.5 && !scrolls(el))
			.filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 0.5))
			.slice(0, 4).map(el => describe(el) + " to " + Math.round(el.getBoundingClientRect().right) + " px");
		problems.push("scrolls sideways: " + root.scrollWidth + " px wide in " + root.clientWidth + " px: " + wide.join(", "));
	}
	// What Lighthouse would flag on 2G: an image without its size moves
	// the page when it arrives; a stylesheet or a synchronous script in
	// the head holds the first paint for a round trip.
	for (const img of document.images) if (!img.getAttribute("width") || !img.getAttribute("height")) problems.push("image without width and height: " + describe(img));
	for (const l of document.querySelectorAll('link[rel~="stylesheet"]')) problems.push("render-blocking stylesheet: " + l.href);
	for (const sc of document.head.querySelectorAll("script[src]")) if (!sc.defer && !sc.async && sc.type !== "module") problems.push("render-blocking script: " + sc.src);
	let last = 0;
	for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
		if (!h.getClientRects().length) continue;
		const level = +h.tagName[1];
		if (level > last + 1) problems.push("heading " + (last ? "h" + last : "start") + " → h" + level + ": " + describe(h));
		last = level;
	}
	// A link is in running text when it is inline and the block around it
	// has words of its own, outside links and controls (separators such
	// as "·" are not words); navigation is never running text.
	const inRunningText = el => {
		if (getComputedStyle(el).display !== "inline" || el.closest("nav, header, footer, .pager, .crumbs, .error-summary")) return false;
		let block = el.parentElement;
		while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
		const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
		let words = "";
		while (walk.nextNode()) {
			const n = walk.currentNode;
			if (!n.parentElement.closest("a, button, select, label, input, textarea") && n.parentElement.getClientRects().length) words += n.textContent;
		}
		return /[\p{L}\p{N}]/u.test(words);
	};
	const targets = "a[href], button, select, textarea, summary, input:not([type=hidden]), label.check, label.option";
	let checked = 0;
	for (const el of document.querySelectorAll(targets)) {
		if (!rendered(el)) continue;
		if (el.matches("a") && inRunningText(el)) continue;
		if (el.matches("input[type=radio], input[type=checkbox]")) {
			const row = el.closest("label");
			if (!row) problems.push("a radio or checkbox outside a label: " + describe(el));
			const r = el.getBoundingClientRect();
			if (r.width < 20 || r.height < 20) problems.push(describe(el) + " is " + Math.round(r.width) + "×" + Math.round(r.height) + " px, want at least 20 (24 px asked)");
			continue; // the tap target is its label, checked as such
		}
		const r = el.getBoundingClientRect();
		checked++;
		if (r.height < 47.5) problems.push("tap target " + describe(el) + " is " + r.height.toFixed(1) + " px tall, want 48");
	}
	if (checked < 5) problems.push("only " + checked + " tap targets found: is the audit broken?");
	// Every hint and error of a form is named by its field.
	const described = new Set([...document.querySelectorAll("[aria-describedby]")].flatMap(el => el.getAttribute("aria-describedby").split(/\s+/)));
	for (const el of document.querySelectorAll("form .error, .form > small"))
		if (!described.has(el.id)) problems.push("no field names " + describe(el) + " in aria-describedby");
	for (const el of document.querySelectorAll("button, .button, label.option, label.check, select, input, textarea")) {
		if (!rendered(el) || el.type === "hidden") continue;
		const size = parseFloat(getComputedStyle(el).fontSize);
		if (size < 15.95) problems.push(describe(el) + " text is " + size.toFixed(1) + " px, want 16");
	}
	return problems;
})()`

// errorSummaryAudit checks a form shown again with its errors: the
// summary has the focus and links to fields that exist; every field
// marked invalid names its message in aria-describedby; every message
// and hint of a form is named by its field.
const errorSummaryAudit = `(() => {` + tapReadJS + `
	const problems = [];
	const summary = document.querySelector(".error-summary");
	if (!summary) return ["no error summary"];
	if (document.activeElement !== summary) problems.push("the focus is on " + describe(document.activeElement) + ", not on the error summary");
	for (const a of summary.querySelectorAll("a")) {
		const id = decodeURIComponent(a.hash.slice(1));
		if (!id || !document.getElementById(id)) problems.push("the summary links to " + a.hash + ", which is not on the page");
	}
	if (!summary.querySelector("a")) problems.push("the summary links to no field");
	const described = new Set();
	for (const el of document.querySelectorAll("[aria-describedby]"))
		for (const id of el.getAttribute("aria-describedby").split(/\s+/)) {
			const target = document.getElementById(id);
			if (!target || !target.textContent.trim()) problems.push(describe(el) + " is described by #" + id + ", which is missing or empty");
			described.add(id);
		}
	for (const el of document.querySelectorAll("[aria-invalid=true]"))
		if (!(el.getAttribute("aria-describedby") || "").split(/\s+/).some(id => { const m = document.getElementById(id); return m && m.matches(".error, .error *, .error-summary *"); }))
			problems.push(describe(el) + " is invalid but names no error message");
	if (!document.querySelector("[aria-invalid=true]") && !summary.closest("form") && !document.querySelector(".error-summary p.error")) problems.push("no field is marked invalid");
	return problems;
})()`
