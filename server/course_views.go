package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
)

// courseCard is a course in a list (home, catalog).
type courseCard struct {
	URL, Title, TitleLang, Summary, SummaryLang string
	Meta, AccessLabel                           string
	MembersOnly                                 bool
	Started                                     bool // the reader started it: Percent is theirs
	Percent                                     int
}

func newCourseCard(p Page, c *catalog.Course) courseCard {
	cc := c.Def
	card := courseCard{URL: courseURL(cc.Slug), MembersOnly: cc.Access == courses.AccessCohort}
	card.Title, card.TitleLang = text(p, cc.Title)
	card.Summary, card.SummaryLang = text(p, cc.Summary)
	card.Meta = p.N("course.lessons", len(cc.Lessons)) + " · " + p.N("course.minutes", cc.DurationMinutes)
	card.AccessLabel = p.T("course.access." + string(cc.Access))
	return card
}

func courseCards(p Page, list []*catalog.Course) []courseCard {
	cards := make([]courseCard, len(list))
	for i, c := range list {
		cards[i] = newCourseCard(p, c)
	}
	return cards
}

// withProgress adds the signed-in reader's percent done to course cards,
// measured on the version they follow.
func (h *handlers) withProgress(c *fiber.Ctx, cards []courseCard, list []*catalog.Course) error {
	v := currentViewer(c)
	if v == nil {
		return nil
	}
	for i, pc := range list {
		cp, ok := v.Progress[pc.Def.Slug]
		if !ok {
			continue
		}
		course, err := h.Training.Version(c.UserContext(), v.User, pc)
		if err != nil {
			return err
		}
		cards[i].Started = true
		cards[i].Percent = learning.Percent(course.Def, learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: cp.QuizPassed})
	}
	return nil
}

// audienceLabels translates a course's audience codes.
func audienceLabels(p Page, codes []string) string {
	labels := make([]string, len(codes))
	for i, a := range codes {
		labels[i] = p.T("audience." + a)
	}
	return list(p, labels)
}

// languageNames lists the languages a course is complete in, by their own
// names.
func languageNames(p Page, codes []string) string {
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = p.LangName(code)
	}
	return list(p, names)
}

// courseComplete reports whether the course is complete in lang.
func courseComplete(c *courses.Course, lang string) bool {
	for _, l := range c.Languages {
		if strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}
