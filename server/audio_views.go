package server

import (
	"path"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

// recordingView is a recording as a page offers it: a player that
// downloads nothing until played, and a link that says its size.
type recordingView struct {
	URL, File      string // File: the name a download is saved under
	Size, Duration string // "289 KB", "2 min 19 s"
	Label          string // what the player is, for screen readers
	Synthetic      bool   // the voice is a speech synthesiser's
}

// newRecording describes the recording of paths (a lesson's, a
// question's or an option's Audio) in lang, the language of the text it
// goes with, or returns nil when there is none.
func newRecording(p Page, c *courses.Course, paths map[string]string, lang string) *recordingView {
	m, ok := c.Recording(paths, lang)
	if !ok {
		return nil
	}
	return &recordingView{URL: catalog.MediaURL(m.SHA256), File: path.Base(m.Path), Size: humanSize(p, m.Size),
		Duration: durationLabel(p, m.Duration), Synthetic: c.Voices[lang].Synthetic}
}

// durationLabel says a recording's length: "2 min 19 s", "45 s".
func durationLabel(p Page, d time.Duration) string {
	s := int((d + time.Second/2) / time.Second)
	if s < 60 {
		return p.T("audio.seconds", "Seconds", max(s, 1))
	}
	return p.T("audio.minutes_seconds", "Minutes", s/60, "Seconds", s%60)
}

// shownIn is the language a text is shown in: text (page.go) says "" for
// the page's own.
func shownIn(p Page, lang string) string {
	if lang == "" {
		return p.Lang
	}
	return lang
}
