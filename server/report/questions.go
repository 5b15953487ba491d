package report

import (
	"cmp"
	"math"
	"slices"

	"kalan/courses"
)

// Thresholds of the question flags. A flag needs MinAnswers answers: with
// fewer, one trainee more or less would turn it on or off.
const (
	MinAnswers   = 10
	TooEasyAbove = 0.90 // facility
	TooHardBelow = 0.30
	// A wrong option is misleading when the strong trainees choose it more
	// than the weak ones, and at least this share of the strong ones do.
	MisleadingShare = 0.20
	// A language gap is a facility at least this much lower in one
	// language than in the others together: likely a translation problem.
	LanguageGap = 0.20
	// groupShare is the share of attempts in the upper and in the lower
	// group of the discrimination index (Kelley's 27 %).
	groupShare = 0.27
)

// Flag marks a question worth a look. Lang is set for a language gap.
type Flag struct {
	Code string // "too-easy", "too-hard", "misleading", "language-gap"
	Lang string
}

// OptionFigures is how often one option was chosen.
type OptionFigures struct {
	ID      string
	Correct bool
	Chosen  int
	Share   float64 // of the answers to the question; multiple choice shares add up to more than 1
	Upper   float64 // share among the upper group (when HasGroups)
	Lower   float64
}

// Figures are a question's figures over one population of attempts (all
// of them, or those in one language).
type Figures struct {
	Answers  int     // attempts that drew the question
	Right    int     // of which answered it right
	Facility float64 // Right/Answers
	// Discrimination is the facility in the upper group minus the facility
	// in the lower group, the groups being the 27 % best and 27 % worst of
	// the attempts that drew the question, ranked by total score (ties by
	// attempt id, so the figure does not change from one load to the next).
	Discrimination float64
	HasGroups      bool // false when too few attempts to form two groups
	Options        []OptionFigures
}

// QuestionStats is one question's figures, overall and by language.
type QuestionStats struct {
	Question courses.Question
	All      Figures
	ByLang   map[string]Figures
	Flags    []Flag
}

// Questions computes the statistics of a quiz pool over submitted
// attempts. Each attempt counts once, whatever the number of cohorts it
// was recorded in. Questions no longer in the pool are left out.
func Questions(pool []courses.Question, answers []Answer) []QuestionStats {
	answers = unique(answers)
	out := make([]QuestionStats, 0, len(pool))
	for _, q := range pool {
		var drew []Answer
		for _, a := range answers {
			if _, ok := find(a, q.ID); ok {
				drew = append(drew, a)
			}
		}
		s := QuestionStats{Question: q, All: figures(q, drew), ByLang: map[string]Figures{}}
		byLang := map[string][]Answer{}
		for _, a := range drew {
			byLang[a.Lang] = append(byLang[a.Lang], a)
		}
		for lang, list := range byLang {
			s.ByLang[lang] = figures(q, list)
		}
		s.Flags = flags(s, byLang)
		out = append(out, s)
	}
	return out
}

// unique drops repeated attempts, keeping the first.
func unique(answers []Answer) []Answer {
	seen := map[string]bool{}
	var out []Answer
	for _, a := range answers {
		if !seen[a.AttemptID] {
			seen[a.AttemptID] = true
			out = append(out, a)
		}
	}
	return out
}

func find(a Answer, question string) (QuestionAnswer, bool) {
	for _, qa := range a.Questions {
		if qa.ID == question {
			return qa, true
		}
	}
	return QuestionAnswer{}, false
}

// figures computes a question's figures over attempts that all drew it.
func figures(q courses.Question, drew []Answer) Figures {
	f := Figures{Answers: len(drew)}
	chosen := func(list []Answer, option string) int {
		n := 0
		for _, a := range list {
			qa, _ := find(a, q.ID)
			if slices.Contains(qa.Chosen, option) {
				n++
			}
		}
		return n
	}
	right := func(list []Answer) int {
		n := 0
		for _, a := range list {
			if qa, _ := find(a, q.ID); qa.Correct {
				n++
			}
		}
		return n
	}
	f.Right = right(drew)
	f.Facility = share(f.Right, f.Answers)

	ranked := slices.Clone(drew)
	slices.SortFunc(ranked, func(a, b Answer) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.AttemptID, b.AttemptID)
	})
	k := int(math.Round(groupShare * float64(len(ranked))))
	var upper, lower []Answer
	if k >= 1 && 2*k <= len(ranked) {
		f.HasGroups = true
		upper, lower = ranked[:k], ranked[len(ranked)-k:]
		f.Discrimination = share(right(upper), k) - share(right(lower), k)
	}
	for _, o := range q.Options {
		of := OptionFigures{ID: o.ID, Correct: o.Correct, Chosen: chosen(drew, o.ID)}
		of.Share = share(of.Chosen, f.Answers)
		if f.HasGroups {
			of.Upper, of.Lower = share(chosen(upper, o.ID), k), share(chosen(lower, o.ID), k)
		}
		f.Options = append(f.Options, of)
	}
	return f
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// flags applies the thresholds above.
func flags(s QuestionStats, byLang map[string][]Answer) []Flag {
	var out []Flag
	if s.All.Answers >= MinAnswers {
		switch {
		case s.All.Facility > TooEasyAbove:
			out = append(out, Flag{Code: "too-easy"})
		case s.All.Facility < TooHardBelow:
			out = append(out, Flag{Code: "too-hard"})
		}
		if s.All.HasGroups {
			for _, o := range s.All.Options {
				if !o.Correct && o.Upper > o.Lower && o.Upper >= MisleadingShare {
					out = append(out, Flag{Code: "misleading"})
					break
				}
			}
		}
	}
	langs := make([]string, 0, len(byLang))
	for lang := range byLang {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		in := s.ByLang[lang]
		others := Figures{Answers: s.All.Answers - in.Answers, Right: s.All.Right - in.Right}
		if in.Answers >= MinAnswers && others.Answers >= MinAnswers &&
			in.Facility <= share(others.Right, others.Answers)-LanguageGap+1e-9 { // 1e-9: 0.5 is 0.7-0.2 here
			out = append(out, Flag{Code: "language-gap", Lang: lang})
		}
	}
	return out
}
