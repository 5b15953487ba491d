package report

import (
	"cmp"
	"math"
	mathbits "math/bits"
	"slices"
	"strings"

	"github.com/kalan-platform/kalan/courses"
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

// questions computes the statistics over rows (reordered in place) and
// returns them with the number of attempts counted.
//
// A national report has a million answered questions: the attempts are
// ranked once (by score, ties by attempt id), and each question's answers
// are gathered in that order, so its upper and lower groups are the ends
// of its list, with no sorting per question or language. The ranking also
// brings together the copies of an attempt recorded in several cohorts
// (same id, same line), which are then counted once.
func questions(pool []courses.Question, rows []row) ([]QuestionStats, int) {
	slices.SortFunc(rows, func(a, b row) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.attempt, b.attempt)
	})
	ranked := slices.CompactFunc(rows, func(a, b row) bool { return a.attempt == b.attempt })
	// Questions and languages by index: one map lookup per answered
	// question, none per figure.
	index := make(map[string]int, len(pool))
	for i, q := range pool {
		index[q.ID] = i
	}
	langs, langOf := []string{}, make([]int, len(ranked))
	for i, a := range ranked {
		l := slices.Index(langs, a.lang)
		if l < 0 {
			l, langs = len(langs), append(langs, a.lang)
		}
		langOf[i] = l
	}
	hits := gather(pool, index, ranked)
	out := make([]QuestionStats, 0, len(pool))
	for qi, q := range pool {
		drew := hits[qi]
		s := QuestionStats{Question: q, All: figures(q, drew), ByLang: map[string]Figures{}}
		perLang := make([]int, len(langs))
		for _, h := range drew {
			perLang[langOf[h.attempt]]++
		}
		byLang := make([][]hit, len(langs))
		for l, n := range perLang {
			byLang[l] = make([]hit, 0, n)
		}
		for _, h := range drew {
			l := langOf[h.attempt]
			byLang[l] = append(byLang[l], h)
		}
		for l, list := range byLang {
			if len(list) > 0 {
				s.ByLang[langs[l]] = figures(q, list)
			}
		}
		s.Flags = flags(s)
		out = append(out, s)
	}
	return out, len(ranked)
}

// gather reads the answers of the ranked attempts into each question's
// hits, in rank order. The two halves of the ranking are read at once
// (the walk over a million answers was the largest cost of a national
// report), then each question's two lists are joined, the first half's
// first.
func gather(pool []courses.Question, index map[string]int, ranked []row) [][]hit {
	walk := func(from, to int) [][]hit {
		hits := make([][]hit, len(pool))
		for i := from; i < to; i++ {
			eachQuestion(ranked[i].questions, func(id string, correct bool, chosen string) {
				if q, ok := index[id]; ok {
					hits[q] = append(hits[q], hit{attempt: int32(i), chosen: chosenBits(pool[q].Options, chosen), correct: correct})
				}
			})
		}
		return hits
	}
	mid := len(ranked) / 2
	var second [][]hit
	done := make(chan struct{})
	go func() {
		defer close(done)
		second = walk(mid, len(ranked))
	}()
	first := walk(0, mid)
	<-done
	for q := range first {
		first[q] = append(first[q], second[q]...)
	}
	return first
}

// hit is one attempt's answer to one question: an index into the ranked
// attempts and the options chosen (bit i: option i of the question),
// small enough to gather a million.
type hit struct {
	attempt int32
	chosen  uint64
	correct bool
}

// chosenBits marks the options chosen (comma-separated ids) among a
// question's (up to 64; an id the question does not have is left out).
func chosenBits(options []courses.Option, chosen string) uint64 {
	var bits uint64
	for chosen != "" {
		var id string
		id, chosen, _ = strings.Cut(chosen, ",")
		for i := 0; i < len(options) && i < 64; i++ {
			if options[i].ID == id {
				bits |= 1 << i
				break
			}
		}
	}
	return bits
}

// figures computes a question's figures over the attempts that drew it,
// given in rank order.
func figures(q courses.Question, drew []hit) Figures {
	f := Figures{Answers: len(drew)}
	right := func(list []hit) int {
		n := 0
		for _, h := range list {
			if h.correct {
				n++
			}
		}
		return n
	}
	chosen := func(list []hit) []int { // how many chose each option
		n := make([]int, len(q.Options))
		for _, h := range list {
			for bits := h.chosen; bits != 0; bits &= bits - 1 {
				if i := mathbits.TrailingZeros64(bits); i < len(n) {
					n[i]++
				}
			}
		}
		return n
	}
	f.Right = right(drew)
	f.Facility = share(f.Right, f.Answers)
	k := int(math.Round(groupShare * float64(len(drew))))
	var upper, lower []hit
	if k >= 1 && 2*k <= len(drew) {
		f.HasGroups = true
		upper, lower = drew[:k], drew[len(drew)-k:]
		f.Discrimination = share(right(upper), k) - share(right(lower), k)
	}
	all, up, low := chosen(drew), chosen(upper), chosen(lower)
	for i, o := range q.Options {
		of := OptionFigures{ID: o.ID, Correct: o.Correct, Chosen: all[i], Share: share(all[i], f.Answers)}
		if f.HasGroups {
			of.Upper, of.Lower = share(up[i], k), share(low[i], k)
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
func flags(s QuestionStats) []Flag {
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
	langs := make([]string, 0, len(s.ByLang))
	for lang := range s.ByLang {
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
