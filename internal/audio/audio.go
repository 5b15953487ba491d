// Package audio recognises the recordings a course may hold (Ogg with
// Opus or Vorbis, WebM, MP3, MP4/M4A audio) by their bytes, and measures
// their duration from the container, without decoding any sound. It does
// no I/O: it reads the bytes it is given, which callers bound beforehand.
package audio

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Container is the file format around the sound.
type Container string

// Containers recognised. Matroska is recognised only to say so: phones
// play WebM, the subset of Matroska that browsers read.
const (
	Ogg      Container = "ogg"
	WebM     Container = "webm"
	Matroska Container = "matroska"
	MP3      Container = "mp3"
	MP4      Container = "mp4"
)

// Info is what Inspect learnt of a recording.
type Info struct {
	Container   Container
	Codec       string // "opus", "vorbis", "mp3", "aac"…
	Duration    time.Duration
	ContentType string // what to serve it as
}

// Why a file is refused. Inspect wraps them with details; test with
// errors.Is.
var (
	ErrEmpty     = errors.New("audio: the file is empty")
	ErrUnknown   = errors.New("audio: not a recording Kalan can serve (Ogg Opus or Vorbis, WebM, MP3 or M4A)")
	ErrNotAudio  = errors.New("audio: the file holds no sound track, or holds video")
	ErrTruncated = errors.New("audio: the file is cut short")
	ErrCorrupt   = errors.New("audio: the file is damaged")
	ErrSilent    = errors.New("audio: the recording lasts no time")
	// ErrMisnamed is CheckExtension's: the name promises another format.
	ErrMisnamed = errors.New("audio: the file's name does not say what it is")
)

// misnamed says how a name lies, and is ErrMisnamed.
type misnamed string

func (e misnamed) Error() string        { return "audio: " + string(e) }
func (e misnamed) Is(target error) bool { return target == ErrMisnamed }

// contentTypes are the types recordings are served with.
var contentTypes = map[Container]string{Ogg: "audio/ogg", WebM: "audio/webm", MP3: "audio/mpeg", MP4: "audio/mp4"}

// extensions say which container each file extension promises; .opus
// promises the Opus codec as well.
var extensions = map[string]Container{".opus": Ogg, ".ogg": Ogg, ".webm": WebM, ".mp3": MP3, ".m4a": MP4}

// Extensions lists the file extensions of recordings, dot included.
func Extensions() []string { return []string{".opus", ".ogg", ".webm", ".mp3", ".m4a"} }

// Inspect recognises a recording and measures it. Any error wraps one of
// the Err values above.
func Inspect(data []byte) (Info, error) {
	var (
		info Info
		err  error
	)
	switch {
	case len(data) == 0:
		return Info{}, ErrEmpty
	case bytes.HasPrefix(data, []byte("OggS")):
		info, err = inspectOgg(data)
	case bytes.HasPrefix(data, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		info, err = inspectMatroska(data)
	case len(data) >= 8 && string(data[4:8]) == "ftyp":
		info, err = inspectMP4(data)
	case bytes.HasPrefix(data, []byte("ID3")) || isFrame(data):
		info, err = inspectMP3(data)
	default:
		return Info{}, unknown(data)
	}
	if err != nil {
		return Info{}, err
	}
	if info.Duration <= 0 {
		return Info{}, ErrSilent
	}
	info.ContentType = contentTypes[info.Container]
	return info, nil
}

// duration converts a count of units at perSecond units a second,
// saturating rather than overflowing on absurd counts.
func duration(units, perSecond int64) time.Duration {
	if units <= 0 || perSecond <= 0 {
		return 0
	}
	secs := units / perSecond
	if secs >= math.MaxInt64/int64(time.Second)-1 {
		return math.MaxInt64
	}
	return time.Duration(secs)*time.Second + time.Duration(units%perSecond)*time.Second/time.Duration(perSecond)
}

// unknown names the formats people are likely to try, so the message
// says what to do.
func unknown(data []byte) error {
	switch {
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WAVE":
		return fmt.Errorf("%w: this is a WAV file, ten times heavier than needed; encode it as Ogg Opus", ErrUnknown)
	case bytes.HasPrefix(data, []byte("fLaC")):
		return fmt.Errorf("%w: this is a FLAC file; encode it as Ogg Opus", ErrUnknown)
	case bytes.HasPrefix(data, []byte("#!AMR")):
		return fmt.Errorf("%w: this is an AMR file; encode it as Ogg Opus", ErrUnknown)
	}
	return ErrUnknown
}

// CheckExtension reports whether a file named with ext (".opus", any
// case) holds what its name says: a file whose extension lies is refused,
// because phones choose their player by it. The error is ErrMisnamed, or
// ErrUnknown for an extension that is not a recording's.
func CheckExtension(ext string, info Info) error {
	ext = strings.ToLower(ext)
	want, ok := extensions[ext]
	switch {
	case !ok:
		return fmt.Errorf("%w: %q is not an extension of recordings (%s)", ErrUnknown, ext, strings.Join(Extensions(), ", "))
	case info.Container != want || ext == ".opus" && info.Codec != "opus":
		msg := fmt.Sprintf("the name ends in %s but the file is %s", ext, describe(info))
		if right := rightExtension(info); right != "" {
			msg += "; name it " + right
		}
		return misnamed(msg)
	}
	return nil
}

// rightExtension is the extension a recording should have.
func rightExtension(info Info) string {
	switch {
	case info.Container == Ogg && info.Codec == "opus":
		return ".opus (or .ogg)"
	case info.Container == Matroska:
		return ""
	}
	for _, ext := range Extensions()[1:] {
		if extensions[ext] == info.Container {
			return ext
		}
	}
	return ""
}

// describe names a container for messages.
func describe(info Info) string {
	switch info.Container {
	case Ogg:
		return "Ogg " + info.Codec
	case WebM:
		return "WebM"
	case Matroska:
		return "Matroska (export it as WebM)"
	case MP3:
		return "MP3"
	case MP4:
		return "MP4 audio (M4A)"
	}
	return string(info.Container)
}
