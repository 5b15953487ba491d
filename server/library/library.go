// Package library is the awareness material that facilitators take to
// villages: posters, leaflets, audio spots, videos, guides. It holds the
// resource's description and its rules (what a file really is, which
// formats suit it, what metadata is required). It does no I/O.
package library

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

// Topics of the material: the forms of trafficking the Mali study found,
// and the themes of the courses. Each has a message id "library.topic.<code>".
func Topics() []string {
	return []string{"trafficking-of-migrants", "child-labour", "sexual-exploitation", "descent-based-slavery", "indicators", "referral", "prevention"}
}

// Audiences of the material ("library.audience.<code>").
func Audiences() []string { return []string{"community", "children-parents", "front-line"} }

// Formats of the material ("library.format.<code>").
func Formats() []string { return []string{"poster", "leaflet", "audio", "video", "guide"} }

// Resource is one item of the library.
type Resource struct {
	ID          string
	Title       courses.Text
	Description courses.Text
	Topic       string
	Audience    string
	Format      string
	Language    string // the language of the material itself
	FileName    string // as uploaded, for the download's name only: never a path
	ContentType string // sniffed from the bytes
	Size        int64
	SHA256      string        // of the content: the download's ETag
	Key         string        // object-storage key
	Duration    time.Duration // of an audio file, measured from its container; 0 for other files
	Licence     string
	Credit      string
	Courses     []string // courses whose offline packs carry it
	CreatedAt   time.Time
	UpdatedAt   time.Time
	WithdrawnAt time.Time // zero unless withdrawn
}

// Withdrawn reports whether the resource was withdrawn.
func (r *Resource) Withdrawn() bool { return !r.WithdrawnAt.IsZero() }

// Kind is what a file is, from its bytes.
type Kind string

// Kinds of files the library takes.
const (
	KindDocument Kind = "document" // PDF
	KindImage    Kind = "image"
	KindAudio    Kind = "audio"
	KindVideo    Kind = "video"
)

// Sniff tells what a file is from its first bytes (at least 512 when the
// file has them), never from its name. ok is false for anything the
// library does not take: executables, archives, scripts, unknown types.
func Sniff(head []byte) (contentType string, kind Kind, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", KindDocument, true
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		// ISO media: the brand says audio (M4A) or video.
		if brand := string(head[8:12]); brand == "M4A " || brand == "M4B " {
			return "audio/mp4", KindAudio, true
		}
		return "video/mp4", KindVideo, true
	case bytes.HasPrefix(head, []byte("OggS")):
		if bytes.Contains(head, []byte("OpusHead")) || bytes.Contains(head, []byte("\x01vorbis")) {
			return "audio/ogg", KindAudio, true
		}
		return "video/ogg", KindVideo, true
	}
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return ct, KindImage, true
	case "audio/mpeg", "audio/wave", "audio/aiff":
		return ct, KindAudio, true
	case "video/webm", "video/avi":
		return ct, KindVideo, true
	}
	return ct, "", false
}

// FormatsFor lists the formats a kind of file can be presented as.
func FormatsFor(k Kind) []string {
	switch k {
	case KindDocument:
		return []string{"poster", "leaflet", "guide"}
	case KindImage:
		return []string{"poster", "leaflet"}
	case KindAudio:
		return []string{"audio"}
	case KindVideo:
		return []string{"video"}
	}
	return nil
}

// KindOf is the kind of a stored content type.
func KindOf(contentType string) Kind {
	switch {
	case contentType == "application/pdf":
		return KindDocument
	case strings.HasPrefix(contentType, "image/"):
		return KindImage
	case strings.HasPrefix(contentType, "audio/"):
		return KindAudio
	case strings.HasPrefix(contentType, "video/"):
		return KindVideo
	}
	return ""
}

// Form is the metadata an admin types for a resource.
type Form struct {
	Title, Description courses.Text
	Topic, Audience    string
	Format             string // "" to take the first format that suits the file
	Language           string
	Licence, Credit    string
	Courses            []string
}

// Validate checks a form for a file of a kind (kind "" when only the
// metadata changes and the file stays) and applies it to r. Errors are
// message ids for the form page.
func (f Form) Validate(r *Resource, kind Kind, supported func(lang string) bool, course func(slug string) bool) account.FieldErrors {
	var errs account.FieldErrors
	title := courses.Text{}
	for lang, s := range f.Title {
		if s = strings.TrimSpace(s); s != "" && supported(lang) {
			title[lang] = s
		}
	}
	switch {
	case len(title) == 0:
		errs = append(errs, &account.FieldError{Field: "title", MessageID: "form.library.title_required"})
	case longest(title) > 200:
		errs = append(errs, &account.FieldError{Field: "title", MessageID: "form.library.too_long"})
	case hidden(title):
		errs = append(errs, &account.FieldError{Field: "title", MessageID: "form.hidden_characters"})
	}
	desc := courses.Text{}
	for lang, s := range f.Description {
		if s = strings.TrimSpace(s); s != "" && supported(lang) {
			desc[lang] = s
		}
	}
	switch {
	case longest(desc) > 2000:
		errs = append(errs, &account.FieldError{Field: "description", MessageID: "form.library.too_long"})
	case hidden(desc):
		errs = append(errs, &account.FieldError{Field: "description", MessageID: "form.hidden_characters"})
	}
	if !slices.Contains(Topics(), f.Topic) {
		errs = append(errs, &account.FieldError{Field: "topic", MessageID: "form.library.choose"})
	}
	if !slices.Contains(Audiences(), f.Audience) {
		errs = append(errs, &account.FieldError{Field: "audience", MessageID: "form.library.choose"})
	}
	if !materialLanguage(f.Language, supported) {
		errs = append(errs, &account.FieldError{Field: "language", MessageID: "form.library.choose"})
	}
	if kind == "" {
		kind = KindOf(r.ContentType)
	}
	format := f.Format
	if format == "" && len(FormatsFor(kind)) > 0 {
		format = FormatsFor(kind)[0]
	}
	if !slices.Contains(FormatsFor(kind), format) {
		errs = append(errs, &account.FieldError{Field: "format", MessageID: "form.library.format_mismatch"})
	}
	licence, credit := strings.TrimSpace(f.Licence), strings.TrimSpace(f.Credit)
	if licence == "" || utf8.RuneCountInString(licence) > 200 {
		errs = append(errs, &account.FieldError{Field: "licence", MessageID: "form.library.required"})
	}
	if credit == "" || utf8.RuneCountInString(credit) > 200 {
		errs = append(errs, &account.FieldError{Field: "credit", MessageID: "form.library.required"})
	}
	var tags []string
	for _, slug := range f.Courses {
		if slug != "" && !slices.Contains(tags, slug) {
			if !courses.ValidSlug(slug) || !course(slug) {
				errs = append(errs, &account.FieldError{Field: "courses", MessageID: "form.courses.unknown"})
				break
			}
			tags = append(tags, slug)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	r.Title, r.Description, r.Topic, r.Audience, r.Format, r.Language = title, desc, f.Topic, f.Audience, format, f.Language
	r.Licence, r.Credit, r.Courses = licence, credit, tags
	return nil
}

func longest(t courses.Text) int {
	n := 0
	for _, s := range t {
		n = max(n, utf8.RuneCountInString(s))
	}
	return n
}

// FormOf is the form showing a resource's current metadata.
func FormOf(r *Resource) Form {
	return Form{Title: r.Title, Description: r.Description, Topic: r.Topic, Audience: r.Audience, Format: r.Format,
		Language: r.Language, Licence: r.Licence, Credit: r.Credit, Courses: r.Courses}
}

// CleanFileName keeps a safe, readable download name from an uploaded
// name: the last path element, no control characters, at most 120 runes.
// It is only ever used in Content-Disposition, never as a path.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '"' || r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	name = strings.TrimSpace(b.String())
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// Filter selects resources for the public list; zero fields match all.
type Filter struct {
	Topic, Format, Language string
	Search                  string // part of a title, any language, any case
}

// Matches reports whether a resource passes the filter.
func (f Filter) Matches(r *Resource) bool {
	if r.Withdrawn() || (f.Topic != "" && r.Topic != f.Topic) || (f.Format != "" && r.Format != f.Format) || (f.Language != "" && r.Language != f.Language) {
		return false
	}
	if q := strings.ToLower(strings.TrimSpace(f.Search)); q != "" {
		for _, t := range r.Title {
			if strings.Contains(strings.ToLower(t), q) {
				return true
			}
		}
		return false
	}
	return true
}

// hidden reports whether a text, in any language, holds characters that
// make it display other than it reads (see account.HasHiddenRunes). Line
// breaks of a description are its own.
func hidden(t courses.Text) bool {
	for _, s := range t {
		if account.HasHiddenRunes(strings.NewReplacer("\r\n", "", "\n", "", "\t", "").Replace(s)) {
			return true
		}
	}
	return false
}
