package store

import (
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

// The BSON shape of a course version. It is written once and never
// updated; field names are the stored schema, so renaming a Go field does
// not change it.
type versionDoc struct {
	ID        string    `bson:"_id"`
	Slug      string    `bson:"slug"`
	Number    int       `bson:"number"`
	Hash      string    `bson:"hash"`
	CreatedAt time.Time `bson:"created_at"`
	Course    courseDoc `bson:"course"`
	// Files lists the files the version was imported from (a list: paths
	// hold dots, which field names must not). Versions imported before
	// Kalan kept them have none until the same folder is imported again.
	Files []fileDoc `bson:"files,omitempty"`
}

type fileDoc struct {
	Path   string `bson:"path"`
	SHA256 string `bson:"sha256"`
}

type courseDoc struct {
	Languages       []string                  `bson:"languages"`
	Title           map[string]string         `bson:"title"`
	Summary         map[string]string         `bson:"summary"`
	Audience        []string                  `bson:"audience"`
	DurationMinutes int                       `bson:"duration_minutes"`
	PassMark        int                       `bson:"pass_mark"`
	Access          string                    `bson:"access"`
	Order           int                       `bson:"order"`
	Translations    map[string]translationDoc `bson:"translations"`
	Voices          map[string]voiceDoc       `bson:"voices,omitempty"`
	Lessons         []lessonDoc               `bson:"lessons"`
	Quiz            *quizDoc                  `bson:"quiz,omitempty"`
	Media           []mediaDoc                `bson:"media"`
}

type translationDoc struct {
	By       string `bson:"by"`
	Reviewed bool   `bson:"reviewed"`
}

type voiceDoc struct {
	By        string `bson:"by"`
	Synthetic bool   `bson:"synthetic"`
}

type lessonDoc struct {
	ID       string            `bson:"id"`
	Title    map[string]string `bson:"title"`
	Minutes  int               `bson:"minutes,omitempty"`
	Required bool              `bson:"required"`
	Body     map[string]string `bson:"body"`
	Audio    map[string]string `bson:"audio,omitempty"`
}

type quizDoc struct {
	Draw        int           `bson:"draw"`
	MaxAttempts int           `bson:"max_attempts"`
	WaitMinutes int           `bson:"wait_minutes"`
	BeforeWait  int           `bson:"attempts_before_wait,omitempty"`
	Scenarios   []scenarioDoc `bson:"scenarios"`
	Questions   []questionDoc `bson:"questions"`
}

type scenarioDoc struct {
	ID   string            `bson:"id"`
	Text map[string]string `bson:"text"`
}

type questionDoc struct {
	ID       string            `bson:"id"`
	Kind     string            `bson:"kind"`
	Lesson   string            `bson:"lesson,omitempty"`
	Scenario string            `bson:"scenario,omitempty"`
	Review   string            `bson:"review,omitempty"`
	Text     map[string]string `bson:"text"`
	Options  []optionDoc       `bson:"options"`
	Audio    map[string]string `bson:"audio,omitempty"`
}

type optionDoc struct {
	ID       string            `bson:"id"`
	Correct  bool              `bson:"correct"`
	Text     map[string]string `bson:"text"`
	Feedback map[string]string `bson:"feedback,omitempty"`
	Audio    map[string]string `bson:"audio,omitempty"`
}

type mediaDoc struct {
	Path        string        `bson:"path"`
	SHA256      string        `bson:"sha256"`
	Size        int64         `bson:"size"`
	ContentType string        `bson:"content_type"`
	Duration    time.Duration `bson:"duration_ns,omitempty"` // of audio
}

func newVersionDoc(c *courses.Course, n int, at time.Time) versionDoc {
	d := versionDoc{
		ID: VersionID(c.Slug, n), Slug: c.Slug, Number: n, Hash: c.Hash, CreatedAt: at.UTC(),
		Course: courseDoc{
			Languages: c.Languages, Title: c.Title, Summary: c.Summary, Audience: c.Audience,
			DurationMinutes: c.DurationMinutes, PassMark: c.PassMark, Access: string(c.Access), Order: c.Order,
			Translations: map[string]translationDoc{},
		},
	}
	for lang, t := range c.Translations {
		d.Course.Translations[lang] = translationDoc(t)
	}
	for lang, v := range c.Voices {
		if d.Course.Voices == nil {
			d.Course.Voices = map[string]voiceDoc{}
		}
		d.Course.Voices[lang] = voiceDoc(v)
	}
	for _, l := range c.Lessons {
		d.Course.Lessons = append(d.Course.Lessons, lessonDoc{ID: l.ID, Title: l.Title, Minutes: l.Minutes, Required: l.Required, Body: l.Body, Audio: l.Audio})
	}
	for _, m := range c.Media {
		d.Course.Media = append(d.Course.Media, mediaDoc(m))
	}
	d.Files = fileDocs(c.Files)
	if q := c.Quiz; q != nil {
		qd := &quizDoc{Draw: q.Draw, MaxAttempts: q.MaxAttempts, WaitMinutes: q.WaitMinutes, BeforeWait: q.AttemptsBeforeWait}
		for _, s := range q.Scenarios {
			qd.Scenarios = append(qd.Scenarios, scenarioDoc{ID: s.ID, Text: s.Text})
		}
		for _, qu := range q.Questions {
			dq := questionDoc{ID: qu.ID, Kind: qu.Kind, Lesson: qu.Lesson, Scenario: qu.Scenario, Review: qu.Review, Text: qu.Text, Audio: qu.Audio}
			for _, o := range qu.Options {
				dq.Options = append(dq.Options, optionDoc{ID: o.ID, Correct: o.Correct, Text: o.Text, Feedback: o.Feedback, Audio: o.Audio})
			}
			qd.Questions = append(qd.Questions, dq)
		}
		d.Course.Quiz = qd
	}
	return d
}

func (d versionDoc) version() *catalog.Version {
	c := &courses.Course{
		Slug: d.Slug, Languages: d.Course.Languages, Title: d.Course.Title, Summary: d.Course.Summary,
		Audience: d.Course.Audience, DurationMinutes: d.Course.DurationMinutes, PassMark: d.Course.PassMark,
		Access: courses.Access(d.Course.Access), Order: d.Course.Order, Hash: d.Hash,
		Translations: map[string]courses.Translation{},
	}
	for lang, t := range d.Course.Translations {
		c.Translations[lang] = courses.Translation(t)
	}
	for lang, v := range d.Course.Voices {
		if c.Voices == nil {
			c.Voices = map[string]courses.Voice{}
		}
		c.Voices[lang] = courses.Voice(v)
	}
	for _, l := range d.Course.Lessons {
		c.Lessons = append(c.Lessons, courses.Lesson{ID: l.ID, Title: l.Title, Minutes: l.Minutes, Required: l.Required, Body: l.Body, Audio: l.Audio})
	}
	for _, m := range d.Course.Media {
		c.Media = append(c.Media, courses.Media(m))
	}
	for _, f := range d.Files {
		c.Files = append(c.Files, courses.File(f))
	}
	if qd := d.Course.Quiz; qd != nil {
		q := &courses.Quiz{Draw: qd.Draw, MaxAttempts: qd.MaxAttempts, WaitMinutes: qd.WaitMinutes, AttemptsBeforeWait: qd.BeforeWait}
		for _, s := range qd.Scenarios {
			q.Scenarios = append(q.Scenarios, courses.Scenario{ID: s.ID, Text: s.Text})
		}
		for _, dq := range qd.Questions {
			qu := courses.Question{ID: dq.ID, Kind: dq.Kind, Lesson: dq.Lesson, Scenario: dq.Scenario, Review: dq.Review, Text: dq.Text, Audio: dq.Audio}
			for _, o := range dq.Options {
				qu.Options = append(qu.Options, courses.Option{ID: o.ID, Correct: o.Correct, Text: o.Text, Feedback: o.Feedback, Audio: o.Audio})
			}
			q.Questions = append(q.Questions, qu)
		}
		c.Quiz = q
	}
	return &catalog.Version{ID: d.ID, Number: d.Number, Def: c, CreatedAt: d.CreatedAt}
}

func fileDocs(files []courses.File) []fileDoc {
	out := make([]fileDoc, len(files))
	for i, f := range files {
		out[i] = fileDoc(f)
	}
	return out
}
