package server

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/offline"
)

// offlinePlan is what "make available offline" downloads: the course
// page, its lessons, the quiz (for a signed-in reader: opening it starts
// the attempt that will be answered offline) and the images the lessons
// show, in the reader's language. Bytes estimates the transfer.
type offlinePlan struct {
	Course  string   `json:"course"`
	Title   string   `json:"title"`
	Version string   `json:"version"`
	Lang    string   `json:"lang"`
	Bytes   int64    `json:"bytes"`
	URLs    []string `json:"urls"`
	// Recordings are offered apart, their weight said first: voice
	// weighs far more than text (a lesson read aloud, 300 KB; its page,
	// 5 KB).
	Recordings     []string `json:"recordings,omitempty"`
	RecordingBytes int64    `json:"recording_bytes,omitempty"`
}

// shownMedia finds the images a lesson shows (not the files it links to:
// those are downloaded on purpose, and the data saver shows only links).
var shownMedia = regexp.MustCompile(`src="(/media/[0-9a-f]{64})"`)

// planOffline is the plan of a course version for a reader. Versions never
// change, so each plan is made once (the course page shows its size at
// every view).
func (h *handlers) planOffline(p Page, course *catalog.Course, signedIn, saver bool) offlinePlan {
	key := fmt.Sprintf("%s|%s|%t|%t", course.ID, p.Lang, signedIn, saver)
	if plan, ok := h.plans.Load(key); ok {
		return plan.(offlinePlan)
	}
	plan := makePlan(p, course, signedIn, saver)
	h.plans.Store(key, plan)
	return plan
}

func makePlan(p Page, course *catalog.Course, signedIn, saver bool) offlinePlan {
	cc, lang := course.Def, p.Lang
	plan := offlinePlan{Course: cc.Slug, Version: course.ID, Lang: lang, URLs: []string{courseURL(cc.Slug)}}
	plan.Title, _ = text(p, cc.Title)
	items := []offline.Item{offline.Page(len(cc.Summary[lang]) + 200*len(cc.Lessons))}
	for i, l := range cc.Lessons {
		body, _ := course.LessonHTML(i, lang)
		if saver { // images are links: they are not part of the download
			body, _ = course.LessonSaverHTML(i, lang)
		}
		plan.URLs = append(plan.URLs, lessonURL(cc.Slug, l.ID))
		items = append(items, offline.Page(len(body)))
		for _, m := range shownMedia.FindAllStringSubmatch(string(body), -1) {
			if slices.Contains(plan.URLs, m[1]) {
				continue
			}
			plan.URLs = append(plan.URLs, m[1])
			items = append(items, mediaItem(cc, m[1]))
		}
	}
	if signedIn && cc.Quiz != nil && cc.Quiz.Draw > 0 {
		plan.URLs = append(plan.URLs, quizURL(cc.Slug))
		items = append(items, offline.Page(600*cc.Quiz.Draw))
	}
	plan.Bytes = offline.Size(items)
	var recordings []offline.Item
	for _, m := range courseRecordings(cc, lang) {
		plan.Recordings = append(plan.Recordings, catalog.MediaURL(m.SHA256))
		recordings = append(recordings, offline.Item{Bytes: m.Size})
	}
	plan.RecordingBytes = offline.Size(recordings)
	return plan
}

// courseRecordings are the recordings a reader in lang hears: of each
// lesson, question and answer, in the language its text is shown in;
// each file once.
func courseRecordings(cc *courses.Course, lang string) []courses.Media {
	var out []courses.Media
	add := func(t courses.Text, paths map[string]string) {
		_, used := t.Get(lang)
		if m, ok := cc.Recording(paths, used); ok && !slices.ContainsFunc(out, func(o courses.Media) bool { return o.SHA256 == m.SHA256 }) {
			out = append(out, m)
		}
	}
	for _, l := range cc.Lessons {
		add(l.Body, l.Audio)
	}
	if cc.Quiz != nil {
		for _, q := range cc.Quiz.Questions {
			add(q.Text, q.Audio)
			for _, o := range q.Options {
				add(o.Text, o.Audio)
			}
		}
	}
	return out
}

// offlineOffer is the "make available offline" button of a course page,
// which says what it costs before anything is downloaded.
type offlineOffer struct {
	Slug, Version, Manifest string
	Size                    string // "2.3 MB"
	Minutes                 int    // on 2G
	// The recordings, an option: what they add, when the course has any
	// in the reader's language.
	RecordingsSize    string
	RecordingsMinutes int
}

func (h *handlers) offerOffline(p Page, course *catalog.Course, signedIn, saver bool) *offlineOffer {
	plan := h.planOffline(p, course, signedIn, saver)
	o := &offlineOffer{Slug: plan.Course, Version: plan.Version, Manifest: offlineManifestURL(plan.Course),
		Size: humanSize(p, plan.Bytes), Minutes: offline.Minutes(plan.Bytes)}
	if plan.RecordingBytes > 0 {
		o.RecordingsSize, o.RecordingsMinutes = humanSize(p, plan.RecordingBytes), offline.Minutes(plan.RecordingBytes)
	}
	return o
}

// mediaItem is the download of a media URL of the course.
func mediaItem(cc *courses.Course, url string) offline.Item {
	hash := url[len("/media/"):]
	for _, m := range cc.Media {
		if m.SHA256 == hash {
			return offline.Item{Bytes: m.Size, Compressed: m.ContentType == "image/svg+xml"}
		}
	}
	return offline.Item{}
}

type offlinePage struct{ Page }

// offlineShow is the page the service worker shows when a page was never
// opened, and after keeping a form sent without network: the script fills
// in what waits to be sent and which courses are on the phone.
func (h *handlers) offlineShow(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "offline", offlinePage{h.page(c)})
}

// manifestIcons are the web manifest's icons; the PNG files are made from
// img/icon.svg (README, "Offline use").
var manifestIcons = []struct{ name, sizes, typ, purpose string }{
	{"img/icon.svg", "any", "image/svg+xml", "any"},
	{"img/icon-192.png", "192x192", "image/png", "any"},
	{"img/icon-512.png", "512x512", "image/png", "any"},
	{"img/icon-maskable-512.png", "512x512", "image/png", "maskable"},
}
