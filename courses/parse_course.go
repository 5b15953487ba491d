package courses

import (
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// fallbackLanguages must include at least one complete language so that
// every reader finds every lesson.
func hasFallback(langs []string) bool {
	for _, l := range fallbacks {
		if slices.Contains(langs, l) {
			return true
		}
	}
	return false
}

// parseCourse decodes course.yaml. It returns the course (nil when the file
// cannot be read as YAML at all) and the line of each lesson id, for
// problems found later in the lesson files.
func (l *loader) parseCourse(data []byte) (*Course, map[string]int) {
	f := &yamlFile{path: l.dir + "/course.yaml", problems: &l.problems}
	root := f.parse(data)
	if root == nil {
		return nil, nil
	}
	c := &Course{Order: 100, Translations: map[string]Translation{}}
	// languages is needed to check the other fields, whatever their order.
	if n := lookup(root, "languages"); n != nil {
		c.Languages = l.languages(f, n)
	}
	lessonLines := map[string]int{}
	f.mapping(root, "", map[string]field{
		"languages": {required: true, decode: func(_, _ *yaml.Node) {}},
		"title":     {required: true, decode: func(k, v *yaml.Node) { c.Title = f.text(k, v, "title", c.Languages) }},
		"summary":   {required: true, decode: func(k, v *yaml.Node) { c.Summary = f.text(k, v, "summary", c.Languages) }},
		"audience": {required: true, decode: func(k, v *yaml.Node) {
			for _, n := range f.sequence(v, "audience") {
				a := f.str(n, "audience")
				if a != "" && !slices.Contains(audiences, a) {
					f.errf(n, "audience: unknown audience %q (known: %v)", a, audiences)
				}
				c.Audience = append(c.Audience, a)
			}
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				f.errf(k, "audience: name at least one")
			}
		}},
		"duration_minutes": {required: true, decode: func(_, v *yaml.Node) { c.DurationMinutes = f.integer(v, "duration_minutes", 1, 600) }},
		"pass_mark":        {required: true, decode: func(_, v *yaml.Node) { c.PassMark = f.integer(v, "pass_mark", 1, 100) }},
		"access": {required: true, decode: func(_, v *yaml.Node) {
			switch a := Access(f.str(v, "access")); a {
			case AccessPublic, AccessCohort:
				c.Access = a
			case "":
			default:
				f.errf(v, "access: must be %q or %q, got %q", AccessPublic, AccessCohort, a)
			}
		}},
		"order": {decode: func(_, v *yaml.Node) { c.Order = f.integer(v, "order", 0, 10000) }},
		"translations": {required: true, decode: func(k, v *yaml.Node) {
			c.Translations = l.translations(f, k, v, c.Languages)
		}},
		"lessons": {required: true, decode: func(k, v *yaml.Node) {
			c.Lessons = l.lessons(f, k, v, c.Languages, lessonLines)
		}},
		"voices": {decode: func(k, v *yaml.Node) {
			c.Voices = l.voices(f, v)
			l.voicesLine = k.Line
		}},
	})
	return c, lessonLines
}

// voices decodes who speaks the recordings of each language.
func (l *loader) voices(f *yamlFile, n *yaml.Node) map[string]Voice {
	out := map[string]Voice{}
	f.perLanguage(n, "voices", "synthetic: true", func(lang, where string, v *yaml.Node) {
		var vc Voice
		f.mapping(v, where, map[string]field{
			"by":        {required: true, decode: func(_, v *yaml.Node) { vc.By = f.str(v, where+".by") }},
			"synthetic": {required: true, decode: func(_, v *yaml.Node) { vc.Synthetic = f.boolean(v, where+".synthetic") }},
		})
		out[lang] = vc
	})
	return out
}

// perLanguage calls each for every "<lang>: {…}" entry of a mapping named
// name (voices, translations), with where = "name.lang" for messages; a
// key that is not a language code is reported and skipped. It reports
// false, having said so, when n is not a mapping.
func (f *yamlFile) perLanguage(n *yaml.Node, name, example string, each func(lang, where string, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		f.errf(n, "%s: expected one entry per language, e.g. \"fr: {by: …, %s}\"", name, example)
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !ValidLang(k.Value) {
			f.errf(k, "%s: %q is not a language code", name, k.Value)
			continue
		}
		each(k.Value, name+"."+k.Value, v)
	}
	return true
}

// lookup returns the value of key in a mapping node, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func (l *loader) languages(f *yamlFile, n *yaml.Node) []string {
	var langs []string
	for _, item := range f.sequence(n, "languages") {
		lang := f.str(item, "languages")
		switch {
		case lang == "":
		case !ValidLang(lang):
			f.errf(item, "languages: %q is not a language code (two or three lower-case letters)", lang)
		case slices.Contains(langs, lang):
			f.errf(item, "languages: %q appears twice", lang)
		default:
			langs = append(langs, lang)
		}
	}
	if n.Kind == yaml.SequenceNode && !hasFallback(langs) {
		f.errf(n, "languages: must include %q or %q, the fallback languages", fallbacks[0], fallbacks[1])
	}
	return langs
}

func (l *loader) translations(f *yamlFile, key, n *yaml.Node, langs []string) map[string]Translation {
	out := map[string]Translation{}
	ok := f.perLanguage(n, "translations", "reviewed: true", func(lang, where string, v *yaml.Node) {
		var t Translation
		f.mapping(v, where, map[string]field{
			"by":       {required: true, decode: func(_, v *yaml.Node) { t.By = f.str(v, where+".by") }},
			"reviewed": {required: true, decode: func(_, v *yaml.Node) { t.Reviewed = f.boolean(v, where+".reviewed") }},
		})
		out[lang] = t
	})
	if !ok {
		return out
	}
	for _, lang := range langs {
		if _, ok := out[lang]; !ok {
			f.errf(key, "translations: say who produced %q and whether it was reviewed", lang)
		}
	}
	return out
}

func (l *loader) lessons(f *yamlFile, key, n *yaml.Node, langs []string, lines map[string]int) []Lesson {
	items := f.sequence(n, "lessons")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		f.errf(key, "lessons: a course needs at least one lesson")
	}
	var lessons []Lesson
	for _, item := range items {
		ls := Lesson{Required: true}
		where := itemName(item, "lesson")
		f.mapping(item, where, map[string]field{
			"id": {required: true, decode: func(_, v *yaml.Node) {
				ls.ID = f.id(v, where+": id")
				if ls.ID == "quiz" {
					f.errf(v, "%s: the id \"quiz\" is the quiz's, in addresses: choose another", where)
					ls.ID = ""
				}
				if _, dup := lines[ls.ID]; dup && ls.ID != "" {
					f.errf(v, "%s: id appears twice", where)
					ls.ID = ""
				} else if ls.ID != "" {
					lines[ls.ID] = v.Line
				}
			}},
			"title":    {required: true, decode: func(k, v *yaml.Node) { ls.Title = f.text(k, v, where+": title", langs) }},
			"minutes":  {decode: func(_, v *yaml.Node) { ls.Minutes = f.integer(v, where+": minutes", 1, 240) }},
			"required": {decode: func(_, v *yaml.Node) { ls.Required = f.boolean(v, where+": required") }},
		})
		if ls.ID != "" {
			lessons = append(lessons, ls)
		}
	}
	return lessons
}

// itemName names a list item in messages by its id when it has one:
// `question "q3"`, or just `question`.
func itemName(item *yaml.Node, kind string) string {
	if idNode := lookup(item, "id"); idNode != nil {
		return kind + " " + quote(idNode.Value)
	}
	return kind
}

// quote quotes an id for a message, cut short when absurdly long.
func quote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}
