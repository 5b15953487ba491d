package courses

import (
	"path"
	"slices"
	"strings"
)

// Items counts one kind of content of a course in one language, relative
// to the course's source language (SourceLang).
type Items struct {
	Total   int      // items the source language has
	Present int      // of those, the ones this language has too
	Missing []string // ids (media: paths) of the others, in course order
}

func (it *Items) add(id string, present bool) {
	it.Total++
	if present {
		it.Present++
	} else {
		it.Missing = append(it.Missing, id)
	}
}

// ItemCoverage is, for one language of a course, which lessons, knowledge
// checks, final-quiz questions and media it has, item by item.
type ItemCoverage struct {
	Lang     string
	Source   bool // the language the course is written in
	Complete bool // in the course's languages: checked to have every lesson and text
	Declared bool // course.yaml's translations has an entry for it
	By       string
	Reviewed bool
	Lessons  Items // lessons with a file in the language
	Checks   Items // knowledge checks (questions with lesson) wholly in the language
	Final    Items // final-quiz questions wholly in the language
	// Media are the files the lessons show (translations such as
	// media/x.bm.svg left aside); a language has one when it is the source
	// language or the course has its translation, else its readers see the
	// source file.
	Media Items
}

// Unreviewed is the number of items present in the language that no
// native speaker reviewed: all of them while the language is not reviewed.
func (ic ItemCoverage) Unreviewed() int {
	if ic.Reviewed {
		return 0
	}
	return ic.Lessons.Present + ic.Checks.Present + ic.Final.Present + ic.Media.Present
}

// Missing is the number of items of the source language the language
// lacks.
func (ic ItemCoverage) Missing() int {
	return len(ic.Lessons.Missing) + len(ic.Checks.Missing) + len(ic.Final.Missing) + len(ic.Media.Missing)
}

// CoverageByItem reports, for each language, what a course has in it item
// by item: the source language first, then the course's languages in
// order, then the others (those of langs, typically the interface
// languages, and any the course has some content in) sorted.
func CoverageByItem(c *Course, langs []string) []ItemCoverage {
	src := SourceLang(c)
	all := []string{src}
	for _, l := range c.Languages {
		if !slices.Contains(all, l) {
			all = append(all, l)
		}
	}
	var extra []string
	note := func(l string) {
		if ValidLang(l) && !slices.Contains(all, l) && !slices.Contains(extra, l) {
			extra = append(extra, l)
		}
	}
	for _, l := range langs {
		note(l)
	}
	for l := range c.Translations {
		note(l)
	}
	for _, ls := range c.Lessons {
		for l := range ls.Body {
			note(l)
		}
	}
	if c.Quiz != nil {
		for _, q := range c.Quiz.Questions {
			for l := range q.Text {
				note(l)
			}
		}
	}
	slices.Sort(extra)
	all = append(all, extra...)

	base := baseMedia(c)
	out := make([]ItemCoverage, 0, len(all))
	for _, lang := range all {
		ic := ItemCoverage{Lang: lang, Source: lang == src, Complete: slices.Contains(c.Languages, lang)}
		if t, ok := c.Translations[lang]; ok {
			ic.Declared, ic.By, ic.Reviewed = true, t.By, t.Reviewed
		}
		for _, ls := range c.Lessons {
			if ls.Body[src] != "" {
				ic.Lessons.add(ls.ID, ls.Body[lang] != "")
			}
		}
		if c.Quiz != nil {
			scenarios := map[string]Text{}
			for _, s := range c.Quiz.Scenarios {
				scenarios[s.ID] = s.Text
			}
			for _, q := range c.Quiz.Questions {
				if !questionIn(q, scenarios, src, src) {
					continue
				}
				items := &ic.Final
				if q.Lesson != "" {
					items = &ic.Checks
				}
				items.add(q.ID, questionIn(q, scenarios, src, lang))
			}
		}
		for _, p := range base {
			_, own := c.MediaByPath(MediaFile(p, lang))
			ic.Media.add(p, lang == src || own)
		}
		out = append(out, ic)
	}
	return out
}

// questionIn reports whether every text of a question that the source
// language has (its text, its scenario's, its options' texts and
// feedback) is in lang.
func questionIn(q Question, scenarios map[string]Text, src, lang string) bool {
	has := func(t Text) bool { return t[src] == "" || t[lang] != "" }
	if q.Text[lang] == "" || !has(scenarios[q.Scenario]) {
		return false
	}
	for _, o := range q.Options {
		if o.Text[lang] == "" || !has(o.Feedback) {
			return false
		}
	}
	return true
}

// baseMedia lists the course's media files that are not the translation
// of another one (media/x.bm.svg beside media/x.svg).
func baseMedia(c *Course) []string {
	var out []string
	for _, m := range c.Media {
		if !isMediaTranslation(c, m.Path) {
			out = append(out, m.Path)
		}
	}
	return out
}

func isMediaTranslation(c *Course, p string) bool {
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	i := strings.LastIndexByte(stem, '.')
	if i < 0 || strings.Contains(stem[i:], "/") || !ValidLang(stem[i+1:]) {
		return false
	}
	_, ok := c.MediaByPath(stem[:i] + ext)
	return ok
}
