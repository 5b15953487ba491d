package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
)

const coverageSynopsis = `kalan courses coverage [DIR]

For each course folder under DIR (default: courses), or the course folder
DIR, one table: a line per language (the source language first, then the
languages the course is complete in, then the interface languages and any
other it has some content in), saying how many of the source language's
lessons, knowledge-check questions (checks), final-quiz questions (final)
and media it has, whether a native speaker reviewed it (course.yaml,
translations) and who produced it. Below the table, what each language
misses, by id, and how many items are unreviewed. A question counts when
its text, its scenario and all its options and feedback are translated; a
medium counts when the language has its own version (media/x.bm.svg), as
its readers otherwise see the source file (right for an image without
words).

Above the table, the figures of the quiz-quality checks that courses check
warns about: the final-quiz pool against 3 x draw, the share of
single-choice questions whose key is the longest option, the share of
true-false questions whose key is "true" (40-60 %), and the attempt rules.

Problems of a course are printed as path:line: message, and the exit
status is then 1; so is a DIR that cannot be read.`

func coursesCoverage(e env, args []string) error {
	fs := flag.NewFlagSet("courses coverage", flag.ContinueOnError)
	if err := parseFlags(e, fs, args, coverageSynopsis); err != nil {
		return err
	}
	dir := "courses"
	switch fs.NArg() {
	case 0:
	case 1:
		dir = fs.Arg(0)
	default:
		fs.Usage()
		return errUsage
	}
	ld, err := loadCourses(e, dir)
	if len(ld.list) == 0 {
		return err
	}
	langs, lerr := interfaceLanguages()
	if lerr != nil {
		return lerr
	}
	for i, c := range ld.list {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		writeCoverage(e.stdout, c, langs)
	}
	return err
}

// writeCoverage writes one course's table.
func writeCoverage(out io.Writer, c *courses.Course, langs []string) {
	q := courses.QualityOf(c)
	fmt.Fprintf(out, "%s (source language %s)\n", c.Slug, q.Lang)
	fmt.Fprintf(out, "  quiz: %s\n", quizFigures(q))
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  language\tstate\tlessons\tchecks\tfinal\tmedia\treviewed\tproduced by")
	cov := courses.CoverageByItem(c, langs)
	for _, ic := range cov {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ic.Lang, state(ic),
			ratio(ic.Lessons), ratio(ic.Checks), ratio(ic.Final), ratio(ic.Media), reviewed(ic), or(ic.By, "-"))
	}
	w.Flush()
	var missing, unreviewed []string
	for _, ic := range cov {
		if ic.Missing() > 0 {
			var parts []string
			for _, k := range []struct {
				name  string
				items courses.Items
			}{{"lessons", ic.Lessons}, {"checks", ic.Checks}, {"final", ic.Final}, {"media", ic.Media}} {
				switch n := len(k.items.Missing); {
				case n == 0:
				case n == k.items.Total && n > 3:
					parts = append(parts, fmt.Sprintf("%s: all %d", k.name, n))
				default:
					parts = append(parts, k.name+": "+strings.Join(k.items.Missing, ", "))
				}
			}
			missing = append(missing, fmt.Sprintf("    %s  %s", ic.Lang, strings.Join(parts, "; ")))
		}
		if n := ic.Unreviewed(); n > 0 {
			unreviewed = append(unreviewed, fmt.Sprintf("%s %d", ic.Lang, n))
		}
	}
	if len(missing) > 0 {
		fmt.Fprintln(out, "  missing:")
		for _, m := range missing {
			fmt.Fprintln(out, m)
		}
	}
	if len(unreviewed) > 0 {
		fmt.Fprintf(out, "  unreviewed items: %s\n", strings.Join(unreviewed, ", "))
	}
}

// quizFigures is the line of quiz-quality figures; "(!)" marks what
// courses check warns about.
func quizFigures(q courses.Quality) string {
	if !q.HasQuiz {
		return "none"
	}
	var parts []string
	if q.Pool == 0 {
		parts = append(parts, "no final quiz")
	} else {
		p := fmt.Sprintf("pool %d / draw %d = %.1f×", q.Pool, q.Draw, float64(q.Pool)/float64(max(q.Draw, 1)))
		if q.PoolShort() {
			p += fmt.Sprintf(" (!) below %d×, needs %d", courses.MinPoolPerDraw, courses.MinPoolPerDraw*q.Draw)
		}
		parts = append(parts, p)
	}
	if q.Single > 0 {
		p := fmt.Sprintf("longest option is the key in %d/%d single-choice (%d %%)", q.LongestKey, q.Single, courses.Percent(q.LongestKey, q.Single))
		if q.LongestCue() {
			p += " (!)"
		}
		parts = append(parts, p)
	}
	if q.TrueFalse > 0 {
		p := fmt.Sprintf("\"true\" is the key in %d/%d true-false (%d %%)", q.TrueKeys, q.TrueFalse, courses.Percent(q.TrueKeys, q.TrueFalse))
		if q.TrueUnbalanced() {
			p += fmt.Sprintf(" (!) outside %d–%d %%", courses.MinTrueShare, courses.MaxTrueShare)
		}
		parts = append(parts, p)
	}
	if n := len(q.Unclear); n > 0 {
		parts = append(parts, fmt.Sprintf("%d true-false without true/false options (!)", n))
	}
	if n := len(q.FalseFirst); n > 0 {
		parts = append(parts, fmt.Sprintf("%d true-false with \"false\" first (!)", n))
	}
	if q.Pool > 0 {
		attempts := "attempts unlimited"
		if q.MaxAttempts > 0 {
			attempts = fmt.Sprintf("at most %d attempts", q.MaxAttempts)
		}
		wait := fmt.Sprintf("wait %d min", q.WaitMinutes)
		if q.AttemptsBeforeWait > 1 && q.WaitMinutes > 0 {
			wait = fmt.Sprintf("%d at once, then wait %d min", q.AttemptsBeforeWait, q.WaitMinutes)
		}
		parts = append(parts, attempts+", "+wait)
	}
	return strings.Join(parts, "; ")
}

func ratio(it courses.Items) string {
	if it.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d", it.Present, it.Total)
}

func state(ic courses.ItemCoverage) string {
	switch {
	case ic.Source:
		return "source"
	case ic.Complete && ic.Missing() == 0:
		return "complete"
	case ic.Complete:
		return "complete, media missing"
	case ic.Lessons.Present+ic.Checks.Present+ic.Final.Present+ic.Media.Present == 0:
		return "absent"
	default:
		return "partial"
	}
}

func reviewed(ic courses.ItemCoverage) string {
	switch {
	case !ic.Declared:
		return "-"
	case ic.Reviewed:
		return "yes"
	default:
		return "no"
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// interfaceLanguages are the codes of the languages Kalan's interface
// speaks, the languages coverage is reported for.
func interfaceLanguages() ([]string, error) {
	loc, err := locales.Load(nil)
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, l := range loc.Languages() {
		langs = append(langs, l.Code)
	}
	return langs, nil
}
