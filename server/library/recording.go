package library

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/account"
)

// MaxRecordingSize bounds an audio file of the library (an hour of voice
// in MP3, many in Opus): a recording is checked whole, so it is read into
// memory before it is stored.
const MaxRecordingSize = 64 << 20

// recordingCheck says whether an upload is checked as a recording.
type recordingCheck int

const (
	notRecording    recordingCheck = iota
	mustBeRecording                // audio by its bytes, its name or its declared format: refused unless a sound recording
	mayBeRecording                 // a WebM or Ogg file that sniffs as video: a recording if it holds sound only
)

// recordingCheckOf decides how an upload named name, whose first bytes
// say kind, declared as format ("" for the default) is checked. A file is
// a recording when its bytes say audio, when its name ends like a
// recording's, or when it is declared "audio" and its bytes are video
// (a browser's WebM) or unknown. A PDF or an image declared "audio" is
// left to the form's format check.
func recordingCheckOf(name, format string, kind Kind) recordingCheck {
	ext := strings.ToLower(path.Ext(CleanFileName(name)))
	switch {
	case kind == KindAudio, format == "audio" && (kind == KindVideo || kind == ""):
		return mustBeRecording
	case kind == KindVideo && (ext == ".webm" || ext == ".ogg"):
		return mayBeRecording
	case slices.Contains(audio.Extensions(), ext):
		return mustBeRecording
	}
	return notRecording
}

// CheckRecording checks an audio file named name by its bytes with
// package audio: a sound recording in a container phones play, whole,
// named for what it is (a name without an extension is judged by the
// bytes alone), never transcoded. It returns what it measured; the error
// wraps one of package audio's.
func CheckRecording(name string, data []byte) (audio.Info, error) {
	a, err := audio.Inspect(data)
	if err != nil {
		return audio.Info{}, err
	}
	ext := strings.ToLower(path.Ext(CleanFileName(name)))
	switch {
	case ext == "":
		ext = courses.RecordingExtension(a) // "" for Matroska: refused below
	case !slices.Contains(audio.Extensions(), ext):
		return audio.Info{}, fmt.Errorf("%w: the name ends in %s, which is not a recording's (%s)", audio.ErrMisnamed, ext, strings.Join(audio.Extensions(), ", "))
	}
	if err := audio.CheckExtension(ext, a); err != nil {
		return audio.Info{}, err
	}
	return a, nil
}

// recordingError is the form error that says why a recording is refused.
func recordingError(err error) *account.FieldError {
	id := "form.library.audio.unknown"
	switch {
	case errors.Is(err, audio.ErrEmpty):
		id = "form.library.audio.empty"
	case errors.Is(err, audio.ErrMisnamed):
		id = "form.library.audio.misnamed"
	case errors.Is(err, audio.ErrNotAudio):
		id = "form.library.audio.not_audio"
	case errors.Is(err, audio.ErrTruncated), errors.Is(err, audio.ErrCorrupt):
		id = "form.library.audio.damaged"
	case errors.Is(err, audio.ErrSilent):
		id = "form.library.audio.silent"
	}
	return &account.FieldError{Field: "file", MessageID: id}
}
