package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/account"
)

// spotFields are the metadata of an audio spot in Songhay.
func spotFields() url.Values {
	return url.Values{"title_fr": {"Spot : la traite, parlons-en"}, "topic": {"prevention"}, "audience": {"community"},
		"language": {"ses"}, "licence": {"CC BY 4.0"}, "credit": {"Facilitateurs de Gao"}}
}

// lessonRecording is a real Opus recording of two minutes and more, a
// lesson's of the bundled course.
func lessonRecording(t testing.TB) ([]byte, time.Duration) {
	t.Helper()
	data, err := os.ReadFile("../courses/detecting-trafficking-basics/lessons/indicators.fr.opus")
	if err != nil {
		t.Fatal(err)
	}
	a, err := audio.Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	return data, a.Duration
}

// durationText is a duration as the pages say it ("2 min 10 s").
func (e *env) durationText(lang string, d time.Duration) string {
	s := int((d + time.Second/2) / time.Second)
	if s < 60 {
		return e.t(lang, "audio.seconds", map[string]any{"Seconds": s})
	}
	return e.t(lang, "audio.minutes_seconds", map[string]any{"Minutes": s / 60, "Seconds": s % 60})
}

// libraryObjects counts the files in the library's object storage.
func (e *env) libraryObjects(t testing.TB) int {
	t.Helper()
	list, err := e.blobs.List(context.Background(), "library/")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestLibraryAudioSpotInSonghay(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	data, length := lessonRecording(t)
	if length < time.Minute {
		t.Fatalf("the fixture lasts %s: too short to show minutes", length)
	}
	if r := admin.uploadForm(t, "/admin/library", spotFields(), namedFile{"spot-gao.opus", data}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload of an Opus spot: %d\n%s", r.StatusCode, r.body)
	}
	all, _ := e.library.All(context.Background())
	if len(all) != 1 {
		t.Fatalf("%d resources", len(all))
	}
	spot := all[0]
	if spot.Format != "audio" || spot.Language != "ses" || spot.ContentType != "audio/ogg" || spot.Duration != length.Truncate(time.Millisecond) {
		t.Errorf("stored %s %s %s %s, want audio ses audio/ogg %s", spot.Format, spot.Language, spot.ContentType, spot.Duration, length)
	}
	stored, err := e.store.Resource(context.Background(), spot.ID)
	if err != nil || stored.Duration != spot.Duration {
		t.Errorf("duration read back: %v %v", stored, err)
	}

	for _, lang := range []string{"fr", "en", "bm"} {
		name, dur := e.t(lang, "library.lang.ses", nil), e.durationText(lang, length)
		doc := e.get(t, "/library?language=ses&lang="+lang).doc(t)
		cards := doc.Find(".resources .card")
		if cards.Length() != 1 {
			t.Fatalf("%s: %d items under language=ses", lang, cards.Length())
		}
		meta := cards.Find(".meta").Text()
		if !strings.Contains(meta, name) || cards.Find("[data-duration]").Text() != dur || !strings.Contains(meta, e.size(lang, int64(len(data)))) {
			t.Errorf("%s: card says %q, want %q, %q and the size", lang, meta, name, dur)
		}
		if opt := doc.Find(`#language option[value="ses"]`); !opt.Is("[selected]") || opt.Text() != name {
			t.Errorf("%s: the filter's option ses is %q (selected %v)", lang, opt.Text(), opt.Is("[selected]"))
		}
		if doc.Find(`#language option[value="tmh"]`).Length() != 0 {
			t.Errorf("%s: the filter offers Tamasheq, which has no resource", lang)
		}
	}
	if n := e.get(t, "/library?language=tmh").doc(t).Find(".resources .card").Length(); n != 0 {
		t.Errorf("language=tmh: %d items", n)
	}

	// The resource page: a player that loads nothing until played, then
	// only the link with its size when the data saver is on.
	page := e.get(t, "/library/"+spot.ID+"?lang=en").doc(t)
	player := page.Find("audio")
	if src, _ := player.Attr("src"); src != "/library/"+spot.ID+"/download" || player.AttrOr("preload", "") != "none" || !player.Is("[controls]") {
		t.Errorf("player: %d, src %q, preload %q", player.Length(), src, player.AttrOr("preload", ""))
	}
	if d := page.Find("[data-duration]").Text(); d != e.durationText("en", length) {
		t.Errorf("duration on the page: %q", d)
	}
	if l := page.Find(".facts").Text(); !strings.Contains(l, e.t("en", "library.lang.ses", nil)) {
		t.Errorf("the page does not name the language: %q", l)
	}
	download := e.t("en", "library.download", map[string]any{"Size": e.size("en", int64(len(data)))})
	if page.Find(`a[href="/library/`+spot.ID+`/download"]`).Text() != download {
		t.Errorf("download link beside the player: %q", page.Find("a[download]").Text())
	}
	saver := e.get(t, "/library/"+spot.ID+"?lang=en&saver=on").doc(t)
	if saver.Find("audio").Length() != 0 || saver.Find(`a[href="/library/`+spot.ID+`/download"]`).Text() != download {
		t.Errorf("with the data saver: %d players, link %q", saver.Find("audio").Length(), saver.Find("a[download]").Text())
	}

	// What the phone recorded is what is served: never transcoded.
	got := e.get(t, "/library/"+spot.ID+"/download")
	if !bytes.Equal(got.body, data) || got.Header.Get("Content-Type") != "audio/ogg" {
		t.Errorf("download: %d bytes of %d, %s", len(got.body), len(data), got.Header.Get("Content-Type"))
	}

	// Replacing the file checks it the same way, and measures it again.
	cut := data[:len(data)/2]
	if r := admin.uploadForm(t, "/admin/library/"+spot.ID+"/file?lang=en", nil, namedFile{"spot.opus", cut}); r.StatusCode != http.StatusBadRequest ||
		r.doc(t).Find("#error-file").Text() != e.t("en", "form.library.audio.damaged", nil) {
		t.Errorf("replacing with a cut file: %d %q", r.StatusCode, r.doc(t).Find("#error-file").Text())
	}
	short := recordingFile(t, "opus.ogg")
	if r := admin.uploadForm(t, "/admin/library/"+spot.ID+"/file", nil, namedFile{"spot.opus", short}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("replacing with a good file: %d", r.StatusCode)
	}
	if r, _ := e.library.Get(context.Background(), spot.ID); r.Duration <= 0 || r.Duration > 3*time.Second || r.Size != int64(len(short)) {
		t.Errorf("after replacing: %s, %d bytes", r.Duration, r.Size)
	}
	if n := e.libraryObjects(t); n != 1 {
		t.Errorf("%d objects after the replacements, want 1", n)
	}
}

func TestLibraryAudioRefused(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	opus := recordingFile(t, "opus.ogg")
	withFormat := func(format string) url.Values {
		v := spotFields()
		v.Set("format", format)
		return v
	}
	tests := []struct {
		name   string
		fields url.Values
		file   namedFile
		msg    string
	}{
		{"WAV", spotFields(), namedFile{"spot.wav", wavFile()}, "form.library.audio.unknown"},
		{"an .opus that is MP3", spotFields(), namedFile{"spot.opus", recordingFile(t, "cbr-id3.mp3")}, "form.library.audio.misnamed"},
		{"an .mp3 that is Opus", spotFields(), namedFile{"spot.mp3", opus}, "form.library.audio.misnamed"},
		{"empty", spotFields(), namedFile{"spot.opus", nil}, "form.library.audio.empty"},
		{"a cut Ogg", spotFields(), namedFile{"spot.opus", opus[:len(opus)*2/3]}, "form.library.audio.damaged"},
		{"a video as audio", withFormat("audio"), namedFile{"clip.webm", recordingFile(t, "video.mkv")}, "form.library.audio.not_audio"},
		{"a video named .m4a", spotFields(), namedFile{"clip.m4a", recordingFile(t, "video.mp4")}, "form.library.audio.not_audio"},
		{"not audio at all", spotFields(), namedFile{"spot.mp3", []byte("#!/bin/sh\nrm -rf /\n")}, "form.library.audio.unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []string{"en", "fr"} {
				// The refused file comes second: the good one before it is
				// not kept either.
				r := admin.uploadForm(t, "/admin/library?lang="+lang, tt.fields, namedFile{"good.opus", opus}, tt.file)
				if r.StatusCode != http.StatusBadRequest {
					t.Fatalf("%d, want 400", r.StatusCode)
				}
				if got, want := r.doc(t).Find("#error-file").Text(), e.t(lang, tt.msg, nil); got != want {
					t.Errorf("%s: message %q, want %q", lang, got, want)
				}
			}
			if all, _ := e.library.All(context.Background()); len(all) != 0 || e.libraryObjects(t) != 0 {
				t.Errorf("a refused file left %d resources and %d objects", len(all), e.libraryObjects(t))
			}
		})
	}
	// A browser's recording is WebM, which sniffs as video: declared audio
	// (or not declared), it is audio.
	if r := admin.uploadForm(t, "/admin/library", withFormat("audio"), namedFile{"recording.webm", recordingFile(t, "live.webm")}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a browser's WebM recording: %d\n%s", r.StatusCode, r.body)
	}
	if all, _ := e.library.All(context.Background()); len(all) != 1 || all[0].ContentType != "audio/webm" || all[0].Format != "audio" || all[0].Duration <= 0 {
		t.Errorf("stored %+v", all)
	}
}

// wavFile is the start of a WAV file, as a phone's recorder exports:
// enough for the library and package audio to know it.
func wavFile() []byte {
	return append([]byte("RIFF\x24\x40\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x40\x00\x00"), make([]byte, 16384)...)
}

// FuzzLibraryAudio uploads arbitrary files, named and declared anyhow, in
// any language: never a server error, and a refused file leaves neither a
// resource nor an object behind.
func FuzzLibraryAudio(f *testing.F) {
	e := newEnv(f)
	admin, _ := e.signedIn(f, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	opus := recordingFile(f, "opus.ogg")
	f.Add("spot.opus", "", "ses", opus)
	f.Add("spot.opus", "audio", "tmh", opus[:len(opus)/2])
	f.Add("spot.opus", "audio", "ff", recordingFile(f, "cbr-id3.mp3"))
	f.Add("spot.wav", "", "snk", wavFile())
	f.Add("spot.webm", "video", "ses", recordingFile(f, "live.webm"))
	f.Add("../../spot.m4a", "audio", "../fr", recordingFile(f, "aac.m4a"))
	f.Add("spot.mka", "audio", "xx", recordingFile(f, "audio.mka"))
	f.Add("spot.ogg", "", "SES", []byte("OggS\x00\x02OpusHead"))
	f.Add("", "audio", "ses\x00", []byte{})
	f.Fuzz(func(t *testing.T, name, format, lang string, data []byte) {
		fields := spotFields()
		fields.Set("format", format)
		fields.Set("language", lang)
		before, _ := e.library.All(context.Background())
		objects := e.libraryObjects(t)
		r := admin.uploadForm(t, "/admin/library", fields, namedFile{name, data})
		if r.StatusCode >= 500 {
			t.Fatalf("upload of %q (%s, %q, %d bytes) = %d", name, format, lang, len(data), r.StatusCode)
		}
		after, _ := e.library.All(context.Background())
		if r.StatusCode != http.StatusSeeOther && (len(after) != len(before) || e.libraryObjects(t) != objects) {
			t.Fatalf("a refused upload (%d) stored something", r.StatusCode)
		}
		if r.StatusCode == http.StatusSeeOther && after[0].Format == "audio" && after[0].Duration <= 0 {
			t.Fatalf("an audio resource without a duration: %+v", after[0])
		}
	})
}
