package courses

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A quiz text a reviewer translates: a question's text, an option's text
// or feedback, a scenario's text.
const (
	FieldText     = "text"
	FieldFeedback = "feedback"
)

// QuizText names one translatable text of quiz.yaml: Question and Field,
// with Option for an option's; or Scenario (Field "text").
type QuizText struct {
	Scenario, Question, Option string
	Field                      string
}

func (q QuizText) String() string {
	switch {
	case q.Scenario != "":
		return "scenario " + strconv.Quote(q.Scenario)
	case q.Option != "":
		return "question " + strconv.Quote(q.Question) + " option " + strconv.Quote(q.Option) + " " + q.Field
	}
	return "question " + strconv.Quote(q.Question) + " " + q.Field
}

// SetQuizTexts returns quizYAML with the texts in values written in lang,
// each in place: a value on one line (plain or quoted) is replaced, a
// language the text lacks is added as a line after the text's last one.
// The rest of the file, comments included, is unchanged. A text written
// otherwise (over several lines, a flow mapping without the language) is
// ErrCannotEdit: that change is the author's to make in the file.
func SetQuizTexts(quizYAML []byte, lang string, values map[QuizText]string) ([]byte, error) {
	root, err := parseRoot(quizYAML)
	if err != nil {
		return nil, err
	}
	var targets []textTarget
	for q, v := range values {
		targets = append(targets, textTarget{what: q.String(), texts: quizTextNode(root, q), value: v})
	}
	return setTexts(quizYAML, lang, targets)
}

// SetLessonTitles returns courseYAML with the titles of lessons (by id)
// in lang, written in place as SetQuizTexts writes quiz texts.
func SetLessonTitles(courseYAML []byte, lang string, titles map[string]string) ([]byte, error) {
	root, err := parseRoot(courseYAML)
	if err != nil {
		return nil, err
	}
	var targets []textTarget
	for id, v := range titles {
		var texts *yaml.Node
		if list := lookup(root, "lessons"); list != nil && list.Kind == yaml.SequenceNode {
			for _, item := range list.Content {
				if n := lookup(item, "id"); n != nil && n.Value == id {
					texts = lookup(item, "title")
				}
			}
		}
		targets = append(targets, textTarget{what: "lesson " + strconv.Quote(id) + " title", texts: texts, value: v})
	}
	return setTexts(courseYAML, lang, targets)
}

// SetCourseTexts returns courseYAML with the course's title and summary
// in lang written in place as SetQuizTexts writes quiz texts; an empty
// one is left as it is.
func SetCourseTexts(courseYAML []byte, lang, title, summary string) ([]byte, error) {
	root, err := parseRoot(courseYAML)
	if err != nil {
		return nil, err
	}
	var targets []textTarget
	for key, v := range map[string]string{"title": title, "summary": summary} {
		if v != "" {
			targets = append(targets, textTarget{what: "course " + key, texts: lookup(root, key), value: v})
		}
	}
	return setTexts(courseYAML, lang, targets)
}

// textTarget is a text to write: texts is its mapping of languages (nil:
// the file lacks it), what names it in errors.
type textTarget struct {
	what  string
	texts *yaml.Node
	value string
}

// setTexts writes each target's value in lang into data, whose nodes they
// are: a one-line value is replaced; a language the text lacks is added
// as a line after its last one; anything else is ErrCannotEdit.
func setTexts(data []byte, lang string, targets []textTarget) ([]byte, error) {
	if !ValidLang(lang) {
		return nil, fmt.Errorf("courses: texts: bad language %q", lang)
	}
	// Later edits first, so that earlier positions stay right.
	type edit struct {
		line, col int
		apply     func([]byte) ([]byte, error)
	}
	var edits []edit
	for _, t := range targets {
		texts, quoted := t.texts, yamlQuote(t.value)
		if texts == nil {
			return nil, fmt.Errorf("%w: the file has no %s", ErrCannotEdit, t.what)
		}
		if n := lookup(texts, lang); n != nil {
			if n.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%w: %s in %s is not a text", ErrCannotEdit, t.what, lang)
			}
			edits = append(edits, edit{n.Line, n.Column, func(b []byte) ([]byte, error) { return replaceScalar(b, n, quoted) }})
			continue
		}
		if texts.Kind != yaml.MappingNode || texts.Style&yaml.FlowStyle != 0 || len(texts.Content) == 0 {
			return nil, fmt.Errorf("%w: %s has no %s line to add to", ErrCannotEdit, t.what, lang)
		}
		first, last := texts.Content[0], texts.Content[len(texts.Content)-1]
		if last.Kind != yaml.ScalarNode || last.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return nil, fmt.Errorf("%w: %s ends with a text over several lines", ErrCannotEdit, t.what)
		}
		line := strings.Repeat(" ", first.Column-1) + lang + ": " + quoted + "\n"
		edits = append(edits, edit{last.Line, last.Column, func(b []byte) ([]byte, error) {
			if _, err := scalarEnd(b, last); err != nil { // the value must end on its line
				return nil, err
			}
			lines := bytes.SplitAfter(b, []byte("\n"))
			if last.Line > len(lines) {
				return nil, ErrCannotEdit
			}
			if !bytes.HasSuffix(lines[last.Line-1], []byte("\n")) {
				lines[last.Line-1] = append(lines[last.Line-1], '\n')
			}
			out := bytes.Join(lines[:last.Line], nil)
			out = append(out, line...)
			return append(out, bytes.Join(lines[last.Line:], nil)...), nil
		}})
	}
	slices.SortFunc(edits, func(a, b edit) int {
		if a.line != b.line {
			return b.line - a.line
		}
		return b.col - a.col
	})
	out := data
	for _, e := range edits {
		var err error
		if out, err = e.apply(out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// quizTextNode is the mapping of languages of q in a quiz file's root.
func quizTextNode(root *yaml.Node, q QuizText) *yaml.Node {
	byID := func(list *yaml.Node, id string) *yaml.Node {
		if list == nil || list.Kind != yaml.SequenceNode {
			return nil
		}
		for _, item := range list.Content {
			if n := lookup(item, "id"); n != nil && n.Value == id {
				return item
			}
		}
		return nil
	}
	if q.Scenario != "" {
		return lookup(byID(lookup(root, "scenarios"), q.Scenario), FieldText)
	}
	item := byID(lookup(root, "questions"), q.Question)
	if q.Option != "" {
		item = byID(lookup(item, "options"), q.Option)
	}
	return lookup(item, q.Field)
}

// yamlQuote writes s as a double-quoted YAML scalar on one line: Go's
// escapes (\n, \", \\, \uXXXX) are all YAML's too.
func yamlQuote(s string) string { return strconv.Quote(s) }

// replaceScalar replaces the one-line scalar n with quoted.
func replaceScalar(b []byte, n *yaml.Node, quoted string) ([]byte, error) {
	end, err := scalarEnd(b, n)
	if err != nil {
		return nil, err
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	text := []rune(string(lines[n.Line-1]))
	lines[n.Line-1] = []byte(string(text[:n.Column-1]) + quoted + string(text[end:]))
	return bytes.Join(lines, nil), nil
}

// scalarEnd is the rune index, in its line, just past the scalar n, which
// must start and end on that line.
func scalarEnd(b []byte, n *yaml.Node) (int, error) {
	lines := bytes.SplitAfter(b, []byte("\n"))
	if n.Line < 1 || n.Line > len(lines) {
		return 0, ErrCannotEdit
	}
	text := []rune(strings.TrimRight(string(lines[n.Line-1]), "\r\n"))
	start := n.Column - 1
	if start < 0 || start >= len(text) {
		return 0, ErrCannotEdit
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(text); i++ {
			switch text[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(text); i++ {
			if text[i] == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && n.Tag == "!!str":
		// A plain scalar on one line is its value, verbatim.
		v := []rune(n.Value)
		if start+len(v) <= len(text) && string(text[start:start+len(v)]) == n.Value {
			rest := strings.TrimLeft(string(text[start+len(v):]), " \t")
			if rest == "" || rest[0] == '#' || rest[0] == ',' || rest[0] == '}' {
				return start + len(v), nil
			}
		}
	}
	return 0, fmt.Errorf("%w: a text over several lines", ErrCannotEdit)
}

// QuizText returns text t of the quiz in lang (no fallback: "" when it is
// not translated), and whether the quiz has t at all.
func (c *Course) QuizText(t QuizText, lang string) (string, bool) {
	if c.Quiz == nil {
		return "", false
	}
	if t.Scenario != "" {
		for _, s := range c.Quiz.Scenarios {
			if s.ID == t.Scenario && t.Field == FieldText {
				return s.Text[lang], true
			}
		}
		return "", false
	}
	for _, q := range c.Quiz.Questions {
		if q.ID != t.Question {
			continue
		}
		if t.Option == "" {
			return q.Text[lang], t.Field == FieldText
		}
		for _, o := range q.Options {
			if o.ID == t.Option {
				switch t.Field {
				case FieldText:
					return o.Text[lang], true
				case FieldFeedback:
					return o.Feedback[lang], true
				}
			}
		}
	}
	return "", false
}
