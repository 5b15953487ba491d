package courses

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseQuiz decodes quiz.yaml against the course it belongs to.
func (l *loader) parseQuiz(data []byte, c *Course) *Quiz {
	f := &yamlFile{path: l.dir + "/quiz.yaml", problems: &l.problems}
	root := f.parse(data)
	if root == nil {
		return nil
	}
	q := &Quiz{}
	var drawNode *yaml.Node
	scenarioIDs := map[string]bool{}
	// scenarios first: questions refer to them, whatever the key order.
	if n := lookup(root, "scenarios"); n != nil {
		q.Scenarios = l.scenarios(f, n, c.Languages, scenarioIDs)
	}
	f.mapping(root, "", map[string]field{
		"draw":         {decode: func(_, v *yaml.Node) { drawNode = v; q.Draw = f.integer(v, "draw", 1, 1000) }},
		"max_attempts": {decode: func(_, v *yaml.Node) { q.MaxAttempts = f.integer(v, "max_attempts", 0, 1000) }},
		"wait_minutes": {decode: func(_, v *yaml.Node) { q.WaitMinutes = f.integer(v, "wait_minutes", 0, 60*24*30) }},
		"attempts_before_wait": {decode: func(_, v *yaml.Node) {
			q.AttemptsBeforeWait = f.integer(v, "attempts_before_wait", 0, 1000)
		}},
		"scenarios": {decode: func(_, _ *yaml.Node) {}},
		"questions": {required: true, decode: func(k, v *yaml.Node) {
			q.Questions = l.questions(f, k, v, c, scenarioIDs)
		}},
	})
	pool := 0
	for _, qu := range q.Questions {
		if qu.Lesson == "" {
			pool++
		}
	}
	switch {
	case pool > 0 && q.Draw == 0 && drawNode == nil:
		f.errf(root, "draw: say how many of the %d final-quiz questions each attempt draws", pool)
	case q.Draw > pool && drawNode != nil:
		f.errf(drawNode, "draw: %d is more than the %d questions of the final-quiz pool", q.Draw, pool)
	}
	return q
}

func (l *loader) scenarios(f *yamlFile, n *yaml.Node, langs []string, ids map[string]bool) []Scenario {
	var out []Scenario
	for _, item := range f.sequence(n, "scenarios") {
		var s Scenario
		where := itemName(item, "scenario")
		f.mapping(item, where, map[string]field{
			"id": {required: true, decode: func(_, v *yaml.Node) {
				s.ID = f.id(v, where+": id")
				if ids[s.ID] {
					f.errf(v, "%s: id appears twice", where)
				}
				ids[s.ID] = true
			}},
			"text": {required: true, decode: func(k, v *yaml.Node) { s.Text = f.text(k, v, where+": text", langs) }},
		})
		out = append(out, s)
	}
	return out
}

func (l *loader) questions(f *yamlFile, key, n *yaml.Node, c *Course, scenarioIDs map[string]bool) []Question {
	items := f.sequence(n, "questions")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		f.errf(key, "questions: a quiz needs at least one question")
	}
	seen := map[string]bool{}
	var out []Question
	for _, item := range items {
		q := Question{Kind: KindSingle}
		where := itemName(item, "question")
		var optionsKey *yaml.Node
		f.mapping(item, where, map[string]field{
			"id": {required: true, decode: func(_, v *yaml.Node) {
				q.ID = f.id(v, where+": id")
				if q.ID != "" && seen[q.ID] {
					f.errf(v, "%s: id appears twice in the course", where)
				}
				seen[q.ID] = true
			}},
			"kind": {decode: func(_, v *yaml.Node) {
				switch k := f.str(v, where+": kind"); k {
				case KindSingle, KindMultiple, KindTrueFalse:
					q.Kind = k
				case "":
				default:
					f.errf(v, "%s: kind must be %s, %s or %s, got %q", where, KindSingle, KindMultiple, KindTrueFalse, k)
				}
			}},
			"lesson": {decode: func(_, v *yaml.Node) {
				q.Lesson = f.id(v, where+": lesson")
				if _, _, ok := c.Lesson(q.Lesson); q.Lesson != "" && !ok {
					f.errf(v, "%s: no lesson %q in course.yaml", where, q.Lesson)
				}
			}},
			"review": {decode: func(_, v *yaml.Node) {
				q.Review = f.id(v, where+": review")
				if _, _, ok := c.Lesson(q.Review); q.Review != "" && !ok {
					f.errf(v, "%s: no lesson %q in course.yaml", where, q.Review)
				}
			}},
			"scenario": {decode: func(_, v *yaml.Node) {
				q.Scenario = f.id(v, where+": scenario")
				if q.Scenario != "" && !scenarioIDs[q.Scenario] {
					f.errf(v, "%s: no scenario %q in this quiz", where, q.Scenario)
				}
			}},
			"text": {required: true, decode: func(k, v *yaml.Node) { q.Text = f.text(k, v, where+": text", c.Languages) }},
			"options": {required: true, decode: func(k, v *yaml.Node) {
				optionsKey = k
				q.Options = l.options(f, v, where, c)
			}},
			"audio": {decode: func(_, v *yaml.Node) { q.Audio = l.quizAudio(f, v, where, c) }},
		})
		if optionsKey != nil {
			checkAnswers(f, optionsKey, where, q)
		}
		out = append(out, q)
	}
	return out
}

// checkAnswers applies the rules of each question kind to its options.
func checkAnswers(f *yamlFile, at *yaml.Node, where string, q Question) {
	correct := 0
	for _, o := range q.Options {
		if o.Correct {
			correct++
		}
	}
	switch {
	case correct == 0:
		f.errf(at, "%s: option set has no correct answer", where)
	case q.Kind == KindTrueFalse && len(q.Options) != 2:
		f.errf(at, "%s: a true-false question has exactly two options, got %d", where, len(q.Options))
	case len(q.Options) < 2:
		f.errf(at, "%s: a question needs at least two options", where)
	case q.Kind != KindMultiple && correct > 1:
		f.errf(at, "%s: a %s question has exactly one correct option, got %d", where, q.Kind, correct)
	}
}

func (l *loader) options(f *yamlFile, n *yaml.Node, question string, c *Course) []Option {
	langs := c.Languages
	seen := map[string]bool{}
	var out []Option
	for _, item := range f.sequence(n, question+": options") {
		var o Option
		where := question + ": " + itemName(item, "option")
		f.mapping(item, where, map[string]field{
			"id": {required: true, decode: func(_, v *yaml.Node) {
				o.ID = f.id(v, where+": id")
				if o.ID != "" && seen[o.ID] {
					f.errf(v, "%s: id appears twice in the question", where)
				}
				seen[o.ID] = true
			}},
			"correct":  {required: true, decode: func(_, v *yaml.Node) { o.Correct = f.boolean(v, where+": correct") }},
			"text":     {required: true, decode: func(k, v *yaml.Node) { o.Text = f.text(k, v, where+": text", langs) }},
			"feedback": {decode: func(k, v *yaml.Node) { o.Feedback = f.text(k, v, where+": feedback", langs) }},
			"audio":    {decode: func(_, v *yaml.Node) { o.Audio = l.quizAudio(f, v, where, c) }},
		})
		out = append(out, o)
	}
	return out
}

// quizAudio decodes the recordings of a question or an answer, `audio:
// {fr: q1.fr.opus}`: one file of the course's media folder per language,
// checked and measured (README "Recordings").
func (l *loader) quizAudio(f *yamlFile, n *yaml.Node, where string, c *Course) map[string]string {
	if n.Kind != yaml.MappingNode {
		f.errf(n, "%s: audio: expected one file of media/ per language, e.g. \"fr: question.fr.opus\"", where)
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		at := where + ": audio." + k.Value
		switch {
		case !ValidLang(k.Value):
			f.errf(k, "%s: audio: %q is not a language code (two or three lower-case letters)", where, k.Value)
			continue
		case out[k.Value] != "":
			f.errf(k, "%s: audio: language %q appears twice", where, k.Value)
			continue
		}
		name := f.str(v, at)
		if name == "" {
			continue
		}
		p, err := mediaFilePath(name)
		if err != nil {
			f.errf(v, "%s: %q %v", at, name, err)
			continue
		}
		m, ok := l.loadRecording(p, quizLimits, func(format string, args ...any) {
			f.errf(v, "%s: %s", at, fmt.Sprintf(format, args...))
		})
		if ok {
			out[k.Value] = p
			c.Media = append(c.Media, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mediaFilePath resolves a file named in quiz.yaml to its course-relative
// path: names are relative to the media folder.
func mediaFilePath(name string) (string, error) {
	switch {
	case strings.HasPrefix(name, "media/") || strings.HasPrefix(name, "../") || strings.HasPrefix(name, "./"):
		return "", errors.New("must be named inside media/, without a path before it (\"question.fr.opus\")")
	case strings.Contains(name, "\\") || !fs.ValidPath(name) || path.Clean(name) != name || name == ".":
		return "", errors.New("is not a file name inside media/")
	case !IsRecording(name):
		return "", errors.New("is not a recording: use .opus, .ogg, .webm, .mp3 or .m4a")
	}
	return "media/" + name, nil
}
