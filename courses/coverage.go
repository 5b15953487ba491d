package courses

import "slices"

// Coverage is how far a course is translated into one language.
type Coverage struct {
	Lang     string
	Complete bool // the language is in the course's languages: everything is there
	// Counts of what exists in the language, out of the totals.
	Lessons, LessonsTotal int
	Texts, TextsTotal     int // titles, summaries, quiz questions, options and feedback
	By                    string
	Reviewed              bool
	Fallback              string // the language readers get instead, when not complete
}

// CoverageOf reports a course's translation state in each language: those
// of the interface (langs) and any the course has content in.
func CoverageOf(c *Course, langs []string) []Coverage {
	all := append([]string(nil), langs...)
	for _, l := range c.Lessons {
		for lang := range l.Body {
			if !slices.Contains(all, lang) {
				all = append(all, lang)
			}
		}
	}
	slices.Sort(all)
	out := make([]Coverage, 0, len(all))
	for _, lang := range all {
		cv := Coverage{Lang: lang, Complete: slices.Contains(c.Languages, lang)}
		if t, ok := c.Translations[lang]; ok {
			cv.By, cv.Reviewed = t.By, t.Reviewed
		}
		for _, l := range c.Lessons {
			cv.LessonsTotal++
			if l.Body[lang] != "" {
				cv.Lessons++
			}
		}
		count := func(t Text) {
			cv.TextsTotal++
			if t[lang] != "" {
				cv.Texts++
			}
		}
		count(c.Title)
		count(c.Summary)
		for _, l := range c.Lessons {
			count(l.Title)
		}
		if c.Quiz != nil {
			for _, s := range c.Quiz.Scenarios {
				count(s.Text)
			}
			for _, q := range c.Quiz.Questions {
				count(q.Text)
				for _, o := range q.Options {
					count(o.Text)
					if o.Feedback != nil {
						count(o.Feedback)
					}
				}
			}
		}
		if !cv.Complete {
			// What a reader of lang gets for the first lesson lacking it.
			for _, l := range c.Lessons {
				if l.Body[lang] == "" {
					_, cv.Fallback = l.Body.Get(lang)
					break
				}
			}
			if cv.Fallback == "" {
				_, cv.Fallback = c.Title.Get(lang)
			}
		}
		out = append(out, cv)
	}
	return out
}
