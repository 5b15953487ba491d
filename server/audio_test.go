package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/offline"
)

// recordingFile reads one of the little recordings made for package
// audio's tests.
func recordingFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../internal/audio/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mp3Of is a real MP3 of exactly size bytes: whole frames of a little
// recording, and an ID3 tag padded to make up the rest (tests count
// sizes in the data saver's links).
func mp3Of(t testing.TB, size int) []byte {
	t.Helper()
	frames := recordingFile(t, "plain.mp3")
	cut := min(len(frames), size-10)
	for ; cut > 0; cut-- {
		if _, err := audio.Inspect(frames[:cut]); err == nil {
			break
		}
	}
	pad := size - 10 - cut
	if cut == 0 || pad < 0 {
		t.Fatalf("no MP3 of %d bytes", size)
	}
	tag := []byte{'I', 'D', '3', 4, 0, 0, byte(pad >> 21 & 0x7f), byte(pad >> 14 & 0x7f), byte(pad >> 7 & 0x7f), byte(pad & 0x7f)}
	return append(append(tag, make([]byte, pad)...), frames[:cut]...)
}

// bundledRecording is the French recording of a lesson of course 1.
func bundledRecording(t testing.TB, lesson string) courses.Media {
	t.Helper()
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, c := range list {
		if c.Slug != basics {
			continue
		}
		l, _, _ := c.Lesson(lesson)
		if m, ok := c.Recording(l.Audio, "fr"); ok {
			return m
		}
	}
	t.Fatalf("no French recording of %s", lesson)
	return courses.Media{}
}

func (e *env) size(lang string, n int64) string {
	id, data := locales.Size(n)
	return e.t(lang, id, data)
}

// Every lesson of course 1 can be listened to in French, the voice said
// to be synthetic; the player downloads nothing until played.
func TestLessonRecording(t *testing.T) {
	e := newEnv(t)
	list, _ := courses.LoadAll(courses.Bundle())
	for _, l := range list[0].Lessons {
		if list[0].Slug != basics {
			t.Fatal("course 1 is not the first")
		}
		m := bundledRecording(t, l.ID)
		if m.Duration < time.Minute || m.Duration > courses.MaxLessonRecording || m.Size > courses.MaxLessonRecordingSize {
			t.Errorf("%s: %v, %d bytes", l.ID, m.Duration, m.Size)
		}
		d := e.get(t, "/courses/"+basics+"/lessons/"+l.ID+"?lang=fr").doc(t)
		player := d.Find(`article audio`)
		if player.Length() != 1 || player.AttrOr("preload", "") != "none" || player.AttrOr("src", "") != "/media/"+m.SHA256 ||
			!player.Is("[controls]") {
			t.Fatalf("%s: player %s", l.ID, outer(player))
		}
		label := d.Find("#" + player.AttrOr("aria-labelledby", "none"))
		if label.Text() != e.t("fr", "lesson.listen", nil) {
			t.Errorf("%s: the player is labelled %q", l.ID, label.Text())
		}
		secs := int((m.Duration + time.Second/2) / time.Second)
		duration := e.t("fr", "audio.minutes_seconds", map[string]any{"Minutes": secs / 60, "Seconds": secs % 60})
		block := player.Parent()
		if text := block.Text(); !strings.Contains(text, duration+" · "+e.size("fr", m.Size)) || !strings.Contains(text, "Voix de synthèse") {
			t.Errorf("%s: %q does not say %s · %s, and that the voice is synthetic", l.ID, text, duration, e.size("fr", m.Size))
		}
		link := block.Find(`a[download]`)
		if link.AttrOr("href", "") != "/media/"+m.SHA256 || link.AttrOr("download", "") != l.ID+".fr.opus" {
			t.Errorf("%s: download link %s", l.ID, outer(link))
		}
	}
	// The English and Bambara lessons have no recording: nothing is said
	// of one, and the French one is not offered in their place.
	for _, lang := range []string{"en", "bm"} {
		r := e.get(t, "/courses/"+basics+"/lessons/three-elements?lang="+lang)
		if d := r.doc(t); d.Find("audio").Length() != 0 || bytes.Contains(r.body, []byte(e.t(lang, "lesson.listen", nil))) {
			t.Errorf("%s lesson offers a recording", lang)
		}
	}
}

// With the data saver on, a lesson's recording is a link that says its
// length and size, and nothing else: no player.
func TestLessonRecordingWithTheDataSaver(t *testing.T) {
	e := newEnv(t)
	m := bundledRecording(t, "three-elements")
	for _, target := range []string{"/courses/" + basics + "/lessons/three-elements?lang=fr&saver=on", "/courses/" + basics + "/lessons/three-elements?lang=fr"} {
		headers := []string{}
		if !strings.Contains(target, "saver") {
			headers = []string{"Save-Data", "on"}
		}
		d := e.get(t, target, headers...).doc(t)
		if n := d.Find("audio").Length(); n != 0 {
			t.Errorf("%s: %d players with the data saver on", target, n)
		}
		secs := int((m.Duration + time.Second/2) / time.Second)
		want := e.t("fr", "lesson.listen_link", map[string]any{
			"Duration": e.t("fr", "audio.minutes_seconds", map[string]any{"Minutes": secs / 60, "Seconds": secs % 60}),
			"Size":     e.size("fr", m.Size)})
		link := d.Find(`article a[href="/media/` + m.SHA256 + `"]`)
		if link.Length() != 1 || link.Text() != want || !link.Is("[download]") {
			t.Errorf("%s: link %s, want the words %q", target, outer(link), want)
		}
		if !strings.Contains(link.Parent().Text(), e.t("fr", "audio.synthetic", nil)) {
			t.Errorf("%s: the voice is not said to be synthetic", target)
		}
	}
}

// A recording is served like any media file, and in byte ranges, which a
// phone's player asks for as it plays and a cut download resumes with.
func TestRecordingRanges(t *testing.T) {
	e := newEnv(t)
	m := bundledRecording(t, "three-elements")
	whole, err := courses.Bundle().(interface{ ReadFile(string) ([]byte, error) }).ReadFile(basics + "/" + m.Path)
	if err != nil {
		t.Fatal(err)
	}
	target := "/media/" + m.SHA256
	etag := `"` + m.SHA256 + `"`
	size := strconv.Itoa(len(whole))
	for _, tc := range []struct {
		name, rng string
		status    int
		from, to  int // the bytes expected, to exclusive
		contentRg string
	}{
		{"no range", "", http.StatusOK, 0, len(whole), ""},
		{"first request of a player", "bytes=0-", http.StatusPartialContent, 0, len(whole), "bytes 0-" + strconv.Itoa(len(whole)-1) + "/" + size},
		{"a middle part", "bytes=1000-1999", http.StatusPartialContent, 1000, 2000, "bytes 1000-1999/" + size},
		{"the end", "bytes=-500", http.StatusPartialContent, len(whole) - 500, len(whole), "bytes " + strconv.Itoa(len(whole)-500) + "-" + strconv.Itoa(len(whole)-1) + "/" + size},
		{"past the end", "bytes=" + size + "-", http.StatusRequestedRangeNotSatisfiable, 0, 0, "bytes */" + size},
		{"malformed: the whole file", "bytes=abc", http.StatusOK, 0, len(whole), ""},
		{"several ranges: the whole file", "bytes=0-1,5-9", http.StatusOK, 0, len(whole), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := []string{}
			if tc.rng != "" {
				headers = []string{"Range", tc.rng}
			}
			r := e.get(t, target, headers...)
			if r.StatusCode != tc.status {
				t.Fatalf("%d, want %d", r.StatusCode, tc.status)
			}
			if tc.status != http.StatusRequestedRangeNotSatisfiable && !bytes.Equal(r.body, whole[tc.from:tc.to]) {
				t.Errorf("%d bytes, want bytes %d to %d", len(r.body), tc.from, tc.to)
			}
			if got := r.Header.Get("Content-Range"); got != tc.contentRg {
				t.Errorf("Content-Range %q, want %q", got, tc.contentRg)
			}
			if r.Header.Get("Accept-Ranges") != "bytes" || r.Header.Get("ETag") != etag {
				t.Errorf("Accept-Ranges %q, ETag %q", r.Header.Get("Accept-Ranges"), r.Header.Get("ETag"))
			}
			if tc.status == http.StatusRequestedRangeNotSatisfiable {
				return
			}
			if r.Header.Get("Content-Type") != "audio/ogg" || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") ||
				r.Header.Get("Content-Length") != strconv.Itoa(tc.to-tc.from) || r.Header.Get("Content-Encoding") != "" {
				t.Errorf("headers %v", r.Header)
			}
		})
	}
	// Revalidated by its hash, with or without a range; a range on a
	// copy that changed (If-Range of another tag) is the whole file.
	if r := e.get(t, target, "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	if r := e.get(t, target, "If-None-Match", etag, "Range", "bytes=0-"); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with a range: %d", r.StatusCode)
	}
	if r := e.get(t, target, "If-Range", `"other"`, "Range", "bytes=0-9"); r.StatusCode != http.StatusOK || len(r.body) != len(whole) {
		t.Errorf("If-Range of another file: %d, %d bytes", r.StatusCode, len(r.body))
	}
	if r := e.get(t, target, "If-Range", etag, "Range", "bytes=0-9"); r.StatusCode != http.StatusPartialContent || len(r.body) != 10 {
		t.Errorf("If-Range of this file: %d, %d bytes", r.StatusCode, len(r.body))
	}
	req := httptest.NewRequest(http.MethodHead, target, nil)
	req.Header.Set("Range", "bytes=10-19")
	resp, err := e.app.Test(req, 10_000)
	if err != nil || resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Length") != "10" {
		t.Errorf("HEAD with a range: %v, %v", resp, err)
	}
	if r := e.get(t, "/media/"+strings.Repeat("0", 64), "Range", "bytes=0-"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a range of no file: %d", r.StatusCode)
	}
}

// voiced is a course whose quiz has recordings beside a question and an
// answer, and whose lesson has one in French.
func voiced(t testing.TB) fstest.MapFS {
	return fstest.MapFS{
		"voiced/course.yaml": {Data: []byte(`languages: [fr, en]
title: {fr: Écouté, en: Listened}
summary: {fr: Résumé, en: Summary}
audience: [police]
duration_minutes: 5
pass_mark: 50
access: public
order: 80
translations: {fr: {by: test, reviewed: true}, en: {by: test, reviewed: true}}
voices: {fr: {by: espeak-ng, synthetic: true}, en: {by: Awa Traoré, synthetic: false}}
lessons:
  - {id: only, title: {fr: Seule, en: Only}}
`)},
		"voiced/lessons/only.fr.md":   {Data: []byte("Écoutez.\n")},
		"voiced/lessons/only.en.md":   {Data: []byte("Listen.\n")},
		"voiced/lessons/only.fr.opus": {Data: recordingFile(t, "opus.ogg")},
		"voiced/quiz.yaml": {Data: []byte(`draw: 1
questions:
  - id: q1
    text: {fr: "Qui recrute ?", en: "Who recruits?"}
    audio: {fr: q1.fr.opus, en: q1.en.mp3}
    options:
      - {id: a, correct: true, text: {fr: Le passeur, en: The smuggler}, audio: {fr: q1-a.fr.m4a}}
      - {id: b, correct: false, text: {fr: Personne, en: Nobody}}
`)},
		"voiced/media/q1.fr.opus":  {Data: recordingFile(t, "opus.ogg")},
		"voiced/media/q1.en.mp3":   {Data: mp3Of(t, 3000)},
		"voiced/media/q1-a.fr.m4a": {Data: recordingFile(t, "aac.m4a")},
	}
}

// The quiz page has a plain player beside each question and answer that
// has a recording in the language shown, named for screen readers, outside
// the answer's label; without JavaScript it plays as well.
func TestQuizRecordings(t *testing.T) {
	e := newEnv(t)
	list := e.publish(t, voiced(t))
	def := list[0]
	c, _ := e.signedIn(t, account.RoleTrainee, "listener@kalan.test", "Awa Traoré")
	for _, lang := range []string{"fr", "en"} {
		r := c.get(t, "/courses/voiced/quiz?lang="+lang)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", lang, r.StatusCode)
		}
		d := r.doc(t)
		q := def.Quiz.Questions[0]
		qm, _ := def.Recording(q.Audio, lang)
		player := d.Find(`fieldset#q-q1 > legend + audio`)
		label := e.t(lang, "quiz.listen_question", nil)
		if lang == "fr" {
			label = e.t(lang, "audio.label_synthetic", map[string]any{"Label": label})
		}
		if player.Length() != 1 || player.AttrOr("src", "") != "/media/"+qm.SHA256 || player.AttrOr("preload", "") != "none" ||
			!player.Is("[controls]") || player.AttrOr("aria-label", "") != label {
			t.Errorf("%s: question player %s, want the label %q", lang, outer(player), label)
		}
		options := d.Find(`fieldset#q-q1 label.option`)
		options.Each(func(_ int, o *goquery.Selection) {
			if o.Find("audio").Length() != 0 {
				t.Errorf("%s: a player inside an answer's label: playing it would tick the answer", lang)
			}
		})
		a := d.Find(`label.option:has(input[value="a"]) + audio`)
		if lang == "fr" {
			am, _ := def.Recording(q.Options[0].Audio, "fr")
			want := e.t("fr", "audio.label_synthetic", map[string]any{"Label": e.t("fr", "quiz.listen_option", map[string]any{"Text": "Le passeur"})})
			if a.Length() != 1 || a.AttrOr("src", "") != "/media/"+am.SHA256 || a.AttrOr("aria-label", "") != want || a.AttrOr("preload", "") != "none" {
				t.Errorf("fr: answer player %s, want the label %q", outer(a), want)
			}
		} else if a.Length() != 0 {
			t.Errorf("en: the answer has a player, but no English recording")
		}
		if n := d.Find(`label.option:has(input[value="b"]) + audio`).Length(); n != 0 {
			t.Errorf("%s: the answer without a recording has a player", lang)
		}
	}
	// The lesson's knowledge checks share the form: none here, but the
	// lesson has its own recording, and the English one none.
	if n := e.get(t, "/courses/voiced/lessons/only?lang=fr").doc(t).Find("article audio").Length(); n != 1 {
		t.Errorf("%d players on the French lesson", n)
	}
	if n := e.get(t, "/courses/voiced/lessons/only?lang=en").doc(t).Find("audio").Length(); n != 0 {
		t.Errorf("%d players on the English lesson", n)
	}
	// A Bambara reader is shown the French text, the course having no
	// Bambara: the French recording goes with it, its words in Bambara
	// inside the French article.
	d := e.get(t, "/courses/voiced/lessons/only?lang=bm").doc(t)
	if d.Find(`article[lang="fr"] audio`).Length() != 1 || d.Find(`article p[lang="bm"] #listen`).Text() != e.t("bm", "lesson.listen", nil) {
		t.Errorf("the Bambara reader of a French lesson: %s", outer(d.Find("article audio").Parent()))
	}
}

func outer(s *goquery.Selection) string {
	h, _ := goquery.OuterHtml(s)
	return h
}

// A lesson without a recording weighs what it weighed before recordings
// existed: the page with one is the page without it plus its paragraph.
// The test logs what the paragraph adds, compressed as sent.
func TestRecordingWeighsOnlyItsParagraph(t *testing.T) {
	e := newEnv(t)
	target := "/courses/" + basics + "/lessons/three-elements?lang=fr"
	page := func(saver string) (html []byte, compressed int) {
		r := e.get(t, target+"&saver="+saver, "Accept-Encoding", "br")
		html, err := io.ReadAll(brotli.NewReader(bytes.NewReader(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		return html, len(r.body)
	}
	with, withBytes := page("off")
	withSaver, withSaverBytes := page("on")

	// Course 1 again, without its recordings: a new version.
	silent := fstest.MapFS{}
	err := fs.WalkDir(courses.Bundle(), basics, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || courses.IsRecording(p) {
			return err
		}
		data, err := fs.ReadFile(courses.Bundle(), p)
		silent[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.publish(t, silent)
	without, withoutBytes := page("off")
	withoutSaver, withoutSaverBytes := page("on")

	for _, tc := range []struct {
		name          string
		with, without []byte
	}{{"player", with, without}, {"data saver", withSaver, withoutSaver}} {
		start := bytes.Index(tc.with, []byte("<p><b id=\"listen\">"))
		if tc.name == "data saver" {
			start = bytes.Index(tc.with, []byte("<p><a href=\"/media/"))
		}
		end := start + bytes.Index(tc.with[start:], []byte("</p>\n")) + len("</p>\n")
		if start < 0 || end < start {
			t.Fatalf("%s: no recording paragraph", tc.name)
		}
		if got := slices.Concat(tc.with[:start], tc.with[end:]); !bytes.Equal(got, tc.without) {
			t.Errorf("%s: the page without a recording is not the page with one less its paragraph", tc.name)
		}
	}
	t.Logf("a lesson page with its recording adds %d bytes compressed (%d → %d); with the data saver %d (%d → %d)",
		withBytes-withoutBytes, withoutBytes, withBytes, withSaverBytes-withoutSaverBytes, withoutSaverBytes, withSaverBytes)
}

// "Make available offline" offers the recordings apart, their weight said
// first: the plan lists them beside the pages, in the reader's language
// only, and the course page has a box to tick that says what they add.
func TestOfflinePlanOffersRecordings(t *testing.T) {
	e := newEnv(t)
	course, _ := e.catalog.Lookup(basics)
	var want []string
	var total int64
	for _, l := range course.Def.Lessons {
		m, _ := course.Def.Recording(l.Audio, "fr")
		want = append(want, "/media/"+m.SHA256)
		total += m.Size
	}
	var plan struct {
		URLs           []string `json:"urls"`
		Recordings     []string `json:"recordings"`
		RecordingBytes int64    `json:"recording_bytes"`
	}
	r := e.get(t, "/api/v1/courses/"+basics+"/offline?lang=fr")
	if err := json.Unmarshal(r.body, &plan); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plan.Recordings, want) || plan.RecordingBytes != total {
		t.Errorf("recordings %v (%d bytes), want %v (%d)", plan.Recordings, plan.RecordingBytes, want, total)
	}
	for _, u := range plan.URLs {
		if slices.Contains(want, u) {
			t.Errorf("%s is downloaded whether the reader wants the recordings or not", u)
		}
	}
	box := e.get(t, "/courses/"+basics+"?lang=fr").doc(t).Find("[data-offline-course] label.check:has(input[type=checkbox][data-recordings])")
	text := e.t("fr", "offline.with_recordings", map[string]any{"Size": e.size("fr", total), "Count": offline.Minutes(total)})
	if strings.TrimSpace(box.Text()) != text || strings.TrimSpace(box.Text()) == "" {
		t.Errorf("the box says %q, want %q", strings.TrimSpace(box.Text()), text)
	}
	if e.get(t, "/courses/"+basics+"?lang=fr").doc(t).Find("[data-recordings]:checked").Length() != 0 {
		t.Error("the recordings are ticked before the reader asks")
	}
	// In English, which has no recording, neither the plan nor the page
	// mentions any.
	plan.Recordings, plan.RecordingBytes = nil, 0
	if err := json.Unmarshal(e.get(t, "/api/v1/courses/"+basics+"/offline?lang=en").body, &plan); err != nil || len(plan.Recordings) != 0 || plan.RecordingBytes != 0 {
		t.Errorf("English plan: %v %d %v", plan.Recordings, plan.RecordingBytes, err)
	}
	if n := e.get(t, "/courses/"+basics+"?lang=en").doc(t).Find("[data-recordings]").Length(); n != 0 {
		t.Error("the English course page offers recordings")
	}
}
