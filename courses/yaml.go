package courses

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlFile decodes one YAML file node by node, so that it can report every
// problem with its line instead of stopping at the first.
type yamlFile struct {
	path     string
	problems *[]Problem
}

func (f *yamlFile) errf(n *yaml.Node, format string, args ...any) {
	line := 1
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	*f.problems = append(*f.problems, Problem{Path: f.path, Line: line, Message: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the errors of yaml.v3's parser (as opposed to its
// scanner). The parser reports their line counted from 0, so one is added.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// parse returns the top-level node of the file, or nil after recording the
// syntax error.
func (f *yamlFile) parse(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			if parserProblems[m[2]] {
				line++
			}
			// At the end of the stream the mark can sit past the last line.
			if last := 1 + bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n")); line > last {
				line = last
			}
			msg = "yaml: " + m[2]
		}
		*f.problems = append(*f.problems, Problem{Path: f.path, Line: line, Message: msg})
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		f.errf(nil, "file is empty")
		return nil
	}
	root := doc.Content[0]
	if !f.plain(root) {
		return nil
	}
	return root
}

// plain rejects anchors, aliases and merge keys anywhere in the tree: the
// format does not need them, and following aliases could blow up.
func (f *yamlFile) plain(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		f.errf(n, "anchors and aliases are not supported")
		return false
	}
	if n.Tag == "!!merge" {
		f.errf(n, "merge keys are not supported")
		return false
	}
	for _, c := range n.Content {
		if !f.plain(c) {
			return false
		}
	}
	return true
}

// field handles the value of one key of a mapping.
type field struct {
	required bool
	decode   func(key, value *yaml.Node)
}

// mapping decodes a mapping node: known keys go to their field, unknown and
// duplicate keys and missing required keys are problems. where names the
// mapping in messages ("" for the top level).
func (f *yamlFile) mapping(n *yaml.Node, where string, fields map[string]field) {
	if n.Kind != yaml.MappingNode {
		f.errf(n, "%sexpected a mapping of keys to values", prefix(where))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		fd, ok := fields[name]
		switch {
		case k.Kind != yaml.ScalarNode:
			f.errf(k, "%skeys must be plain words", prefix(where))
		case !ok:
			f.errf(k, "%sunknown key %q", prefix(where), name)
		case seen[name]:
			f.errf(k, "%skey %q appears twice", prefix(where), name)
		default:
			seen[name] = true
			fd.decode(k, v)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if fields[name].required && !seen[name] {
			f.errf(n, "%smissing %q", prefix(where), name)
		}
	}
}

func prefix(where string) string {
	if where == "" {
		return ""
	}
	return where + ": "
}

func (f *yamlFile) scalar(n *yaml.Node, where string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		f.errf(n, "%s: expected a value", where)
		return "", false
	}
	return n.Value, true
}

func (f *yamlFile) str(n *yaml.Node, where string) string {
	s, ok := f.scalar(n, where)
	if !ok {
		return ""
	}
	if strings.TrimSpace(s) == "" {
		f.errf(n, "%s: must not be empty", where)
	}
	return s
}

func (f *yamlFile) integer(n *yaml.Node, where string, min, max int) int {
	s, ok := f.scalar(n, where)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || n.Tag != "!!int" {
		f.errf(n, "%s: expected a whole number, got %q", where, s)
		return 0
	}
	if v < min || v > max {
		f.errf(n, "%s: must be between %d and %d, got %d", where, min, max, v)
		return 0
	}
	return v
}

func (f *yamlFile) boolean(n *yaml.Node, where string) bool {
	s, ok := f.scalar(n, where)
	if !ok {
		return false
	}
	if n.Tag != "!!bool" {
		f.errf(n, "%s: expected true or false, got %q", where, s)
		return false
	}
	return s == "true" || s == "True" || s == "TRUE"
}

// id decodes an identifier (slug pattern).
func (f *yamlFile) id(n *yaml.Node, where string) string {
	s, ok := f.scalar(n, where)
	if !ok {
		return ""
	}
	if !ValidSlug(s) {
		f.errf(n, "%s: %q must be lower-case letters, digits and single hyphens", where, s)
		return ""
	}
	return s
}

func (f *yamlFile) sequence(n *yaml.Node, where string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		f.errf(n, "%s: expected a list", where)
		return nil
	}
	return n.Content
}

// text decodes a translatable text and checks that every language of
// required is present.
func (f *yamlFile) text(key, n *yaml.Node, where string, required []string) Text {
	t := Text{}
	if n.Kind != yaml.MappingNode {
		f.errf(n, "%s: expected one text per language, e.g. \"fr: …\"", where)
		return t
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !ValidLang(k.Value):
			f.errf(k, "%s: %q is not a language code (two or three lower-case letters)", where, k.Value)
		case t[k.Value] != "":
			f.errf(k, "%s: language %q appears twice", where, k.Value)
		default:
			t[k.Value] = f.str(v, where+"."+k.Value)
		}
	}
	for _, lang := range required {
		if t[lang] == "" {
			f.errf(key, "%s: missing translation %q", where, lang)
		}
	}
	return t
}
