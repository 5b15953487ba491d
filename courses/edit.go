package courses

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The edits below change one value of a course.yaml in place, line by
// line, so that its comments (the sources of what the course says) and
// its layout come through a publication untouched, and the file can go
// back into a repository as a small diff.

// ErrCannotEdit is returned when course.yaml is not laid out as an edit
// expects (a key written on one line with its value, or a block mapping):
// the change must then be made by hand in the file.
var ErrCannotEdit = errors.New("courses: course.yaml cannot be edited in place")

// SetReviewed returns courseYAML with translations.<lang>.reviewed made
// true. It is unchanged when it already says so.
func SetReviewed(courseYAML []byte, lang string) ([]byte, error) {
	root, err := parseRoot(courseYAML)
	if err != nil {
		return nil, err
	}
	t := lookup(lookup(root, "translations"), lang)
	if t == nil {
		return nil, fmt.Errorf("%w: translations has no %q", ErrCannotEdit, lang)
	}
	v := lookup(t, "reviewed")
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%w: translations.%s has no reviewed value", ErrCannotEdit, lang)
	}
	if v.Value == "true" {
		return courseYAML, nil
	}
	return replaceAt(courseYAML, v.Line, v.Column, v.Value, "true")
}

// AddVoice returns courseYAML with voices.<lang> saying who speaks the
// language's recordings: a new first entry of the voices mapping, or a new
// voices key at the end of the file. A language that has a voice already
// is an error: who speaks is then the author's to say.
func AddVoice(courseYAML []byte, lang, by string) ([]byte, error) {
	if !ValidLang(lang) || strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("courses: add voice: bad language %q or empty name", lang)
	}
	root, err := parseRoot(courseYAML)
	if err != nil {
		return nil, err
	}
	name, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: by})
	if err != nil {
		return nil, err
	}
	entry := lang + ": {by: " + strings.TrimSpace(string(name)) + ", synthetic: false}"
	voices := lookup(root, "voices")
	switch {
	case voices == nil:
		out := bytes.TrimRight(courseYAML, "\n")
		return append(out, []byte("\nvoices:\n  "+entry+"\n")...), nil
	case lookup(voices, lang) != nil:
		return nil, fmt.Errorf("courses: add voice: voices.%s is there already", lang)
	case voices.Kind != yaml.MappingNode || voices.Style&yaml.FlowStyle != 0 || len(voices.Content) == 0:
		return nil, fmt.Errorf("%w: voices is not a block mapping", ErrCannotEdit)
	}
	first := voices.Content[0]
	lines := bytes.SplitAfter(courseYAML, []byte("\n"))
	indent := strings.Repeat(" ", first.Column-1)
	at := first.Line - 1
	out := bytes.Join(lines[:at], nil)
	out = append(out, []byte(indent+entry+"\n")...)
	return append(out, bytes.Join(lines[at:], nil)...), nil
}

func parseRoot(courseYAML []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(courseYAML, &doc); err != nil {
		return nil, fmt.Errorf("courses: course.yaml: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%w: not a mapping", ErrCannotEdit)
	}
	return doc.Content[0], nil
}

// replaceAt replaces old, which the parser found at line and column (from
// 1, in characters), with new.
func replaceAt(data []byte, line, column int, old, new string) ([]byte, error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return nil, ErrCannotEdit
	}
	text := []rune(string(lines[line-1]))
	start := column - 1
	if start < 0 || start+len([]rune(old)) > len(text) || string(text[start:start+len([]rune(old))]) != old {
		return nil, ErrCannotEdit
	}
	edited := string(text[:start]) + new + string(text[start+len([]rune(old)):])
	lines[line-1] = []byte(edited)
	return bytes.Join(lines, nil), nil
}
