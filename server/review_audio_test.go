package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/review"
)

const (
	audioURL       = "/admin/courses/" + basics + "/lessons/indicators/audio"
	draftAudioURL  = "/review/" + basics + "/bm/indicators/audio"
	reviewPageURL  = "/review/" + basics + "/bm/indicators"
	audioFixtures  = "../internal/audio/testdata/"
	maxLessonAudio = courses.MaxLessonRecordingSize
)

func audioFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(audioFixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// draftKey is where a draft recording is kept (server/review): not under
// media/, which anybody may read by hash.
func draftKey(sha256 string) string { return "review/recordings/" + sha256 }

// mediaBlobs counts the stored draft recordings.
func mediaBlobs(t testing.TB, e *env) int {
	t.Helper()
	list, err := e.blobs.List(context.Background(), "review/recordings/")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestAudioDraftUploadStoredAndShown(t *testing.T) {
	e := newEnv(t)
	rev, u := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	data := audioFixture(t, "opus.ogg")
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])

	page := rev.get(t, reviewPageURL)
	d := page.doc(t)
	form := d.Find(`form[action="` + audioURL + `"][enctype="multipart/form-data"]`)
	if form.Length() != 1 || form.Find(`input[type=file][name=file][accept="audio/*"][capture]`).Length() != 1 ||
		form.Find(`input[name=lang][value=bm]`).Length() != 1 || form.Find(`input[name=_csrf]`).Length() != 1 {
		t.Fatal("the review page has no recording form posting file, lang=bm and _csrf to the audio route")
	}
	if d.Find("section[data-recording] audio").Length() != 0 {
		t.Error("a player without a draft recording")
	}
	before := mediaBlobs(t, e)

	r := rev.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{"Enregistrement 12.ogg", data})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != reviewPageURL {
		t.Fatalf("upload = %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	if _, err := e.blobs.Stat(context.Background(), draftKey(hash)); err != nil {
		t.Fatalf("the recording is not stored under its hash: %v", err)
	}
	if pub := e.get(t, "/media/"+hash); pub.StatusCode != http.StatusNotFound {
		t.Errorf("a draft recording is served to anybody at /media/{hash}: %d", pub.StatusCode)
	}
	if got := mediaBlobs(t, e); got != before+1 {
		t.Errorf("%d media objects after one upload, want %d", got, before+1)
	}
	rec, err := e.store.Recording(context.Background(), basics, "bm", "indicators")
	if err != nil {
		t.Fatal(err)
	}
	if rec.SHA256 != hash || rec.Container != "ogg" || rec.Ext != ".ogg" || rec.Size != int64(len(data)) || rec.Duration <= 0 ||
		rec.By != u.ID || rec.ByName != "Mariam Sangaré" || rec.At.IsZero() || rec.ContentType != "audio/ogg" {
		t.Errorf("draft recording = %+v", rec)
	}
	if n := auditCount(t, e, audit.RecordingSaved); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}

	d = rev.get(t, reviewPageURL).doc(t)
	player := d.Find(`section[data-recording] audio[controls][preload=none]`)
	if player.AttrOr("src", "") != draftAudioURL {
		t.Fatalf("player src = %q, want %q", player.AttrOr("src", ""), draftAudioURL)
	}
	meta := d.Find("[data-recording-by]").Text()
	if !strings.Contains(meta, "Mariam Sangaré") || !strings.Contains(meta, " s · ") {
		t.Errorf("the recording's line %q does not say who, how long and how heavy", meta)
	}
	if d.Find(`link, script`).Is(`[href*="` + hash + `"], [src*="` + hash + `"]`) {
		t.Error("the page links the public media URL of a draft")
	}

	got := rev.get(t, draftAudioURL)
	if got.StatusCode != http.StatusOK || !bytes.Equal(got.body, data) || got.Header.Get("Content-Type") != "audio/ogg" ||
		!strings.Contains(got.Header.Get("Cache-Control"), "no-") {
		t.Errorf("draft audio = %d %q %q, %d bytes", got.StatusCode, got.Header.Get("Content-Type"), got.Header.Get("Cache-Control"), len(got.body))
	}
	req := httptest.NewRequest(http.MethodGet, draftAudioURL, nil)
	req.Header.Set("Range", "bytes=0-99")
	if part := rev.do(t, req); part.StatusCode != http.StatusPartialContent || len(part.body) != 100 {
		t.Errorf("a range of the draft = %d, %d bytes", part.StatusCode, len(part.body))
	}

	// An admin may listen; a reviewer of another language, a trainee and a
	// trainer may not.
	adm, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	if r := adm.get(t, draftAudioURL); r.StatusCode != http.StatusOK {
		t.Errorf("admin GET draft = %d", r.StatusCode)
	}
	en, _ := e.signedInReviewer(t, "john@kalan.test", "John Smith", "en")
	tr, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	for _, c := range []*client{en, tr} {
		if r := c.get(t, draftAudioURL); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET draft = %d, want 403", r.StatusCode)
		}
	}
	// A second upload replaces the draft: the last wins.
	other := audioFixture(t, "cbr-id3.mp3")
	if r := adm.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{"voice.mp3", other}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second upload = %d", r.StatusCode)
	}
	if rec, _ := e.store.Recording(context.Background(), basics, "bm", "indicators"); rec.Container != "mp3" || rec.ByName != "Ibrahim Coulibaly" {
		t.Errorf("after a second upload the draft is %+v", rec)
	}
}

func TestAudioDraftRefusedStoresNothing(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	ogg := audioFixture(t, "opus.ogg")
	big := append(append([]byte{}, ogg...), make([]byte, maxLessonAudio)...)
	cases := []struct {
		name, file string
		data       []byte
		status     int
		message    string // its id
	}{
		{"empty", "empty.ogg", nil, http.StatusBadRequest, "review.audio.error.empty"},
		{"not audio", "notes.ogg", []byte("Bonjour, ceci n'est pas un son.\n"), http.StatusBadRequest, "review.audio.error.unknown"},
		{"a WAV file", "voice.wav", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 64)...), http.StatusBadRequest, "review.audio.error.unknown"},
		{"cut half-way", "voice.ogg", ogg[:len(ogg)/2], http.StatusBadRequest, "review.audio.error.damaged"},
		{"lying name", "voice.mp3", ogg, http.StatusBadRequest, "review.audio.error.misnamed"},
		{"other extension", "voice.txt", ogg, http.StatusBadRequest, "review.audio.error.unknown"},
		{"video", "clip.mp4", audioFixture(t, "video.mp4"), http.StatusBadRequest, "review.audio.error.not_audio"},
		{"matroska without a name", "blob", audioFixture(t, "audio.mka"), http.StatusBadRequest, "review.audio.error.unknown"},
		{"over the size limit", "voice.ogg", big, http.StatusRequestEntityTooLarge, "review.audio.error.too_large"},
	}
	before := mediaBlobs(t, e)
	for _, tc := range cases {
		r := rev.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{tc.file, tc.data})
		if r.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, r.StatusCode, tc.status)
			continue
		}
		// The reviewer reads French; the limit is in the message.
		want := e.t("fr", tc.message, map[string]any{"Duration": "", "Size": ""})
		got := r.doc(t).Find("#recording-error").Text()
		if tc.status == http.StatusRequestEntityTooLarge {
			want, got = strings.SplitN(want, ":", 2)[1], strings.SplitN(got, ":", 2)[1]
		}
		if got != want {
			t.Errorf("%s: message %q, want %s: %q", tc.name, got, tc.message, want)
		}
	}
	// No file at all.
	if r := rev.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusBadRequest ||
		r.doc(t).Find("#recording-error").Length() != 1 {
		t.Errorf("no file = %d", r.StatusCode)
	}
	if got := mediaBlobs(t, e); got != before {
		t.Errorf("%d media objects after refused uploads, want %d", got, before)
	}
	if _, err := e.store.Recording(context.Background(), basics, "bm", "indicators"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a refused upload left a draft: %v", err)
	}
	if n := auditCount(t, e, audit.RecordingSaved); n != 0 {
		t.Errorf("%d audit entries after refused uploads", n)
	}
}

func TestAudioDraftRefusedToOthers(t *testing.T) {
	e := newEnv(t)
	data := audioFixture(t, "opus.ogg")
	tr, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	trainerC, _ := e.signedIn(t, account.RoleTrainer, "fatou@kalan.test", "Fatoumata Keïta")
	en, _ := e.signedInReviewer(t, "john@kalan.test", "John Smith", "en")
	for name, c := range map[string]*client{"trainee": tr, "trainer": trainerC, "reviewer of English": en} {
		if r := c.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{"voice.ogg", data}); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, r.StatusCode)
		}
	}
	// Without the CSRF token, or with a wrong one.
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	for _, token := range []string{"", "forged"} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		if token != "" {
			_ = w.WriteField("_csrf", token)
		}
		_ = w.WriteField("lang", "bm")
		fw, _ := w.CreateFormFile("file", "voice.ogg")
		_, _ = fw.Write(data)
		_ = w.Close()
		req := httptest.NewRequest(http.MethodPost, audioURL, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		if r := rev.do(t, req); r.StatusCode != http.StatusForbidden {
			t.Errorf("CSRF %q: %d, want 403", token, r.StatusCode)
		}
	}
	if _, err := e.store.Recording(context.Background(), basics, "bm", "indicators"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a refused upload left a draft: %v", err)
	}
	sum := sha256.Sum256(data)
	if _, err := e.blobs.Stat(context.Background(), draftKey(hex.EncodeToString(sum[:]))); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a refused upload stored its file: %v", err)
	}
}

func TestAudioDraftParallelUploads(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	data := audioFixture(t, "opus.webm")
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	before := mediaBlobs(t, e)
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		tab := rev.tab(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = tab.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{"voice.webm", data}).StatusCode
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("upload %d = %d", i, code)
		}
	}
	if got := mediaBlobs(t, e); got != before+1 {
		t.Errorf("%d media objects after 5 uploads of one file, want %d", got, before+1)
	}
	rec, err := e.store.Recording(context.Background(), basics, "bm", "indicators")
	if err != nil || rec.SHA256 != hash || rec.Size != int64(len(data)) || rec.Container != "webm" || rec.Ext != ".webm" || rec.Duration <= 0 {
		t.Fatalf("draft after parallel uploads = %+v, %v", rec, err)
	}
	if got := rev.get(t, draftAudioURL); got.StatusCode != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Errorf("the draft plays %d bytes (%d)", len(got.body), got.StatusCode)
	}
	if n := auditCount(t, e, audit.RecordingSaved); n != 5 {
		t.Errorf("%d audit entries, want 5 (every upload)", n)
	}
}
