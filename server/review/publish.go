package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/catalog"
)

// ErrNothingToPublish: no draft, recording or mark would change the
// published course.
var ErrNothingToPublish = errors.New("review: nothing to publish")

// PublishError is a publication refused because the course with the
// drafts does not pass the checks of `kalan courses check`; nothing was
// published.
type PublishError struct{ Problems []courses.Problem }

func (e *PublishError) Error() string {
	return fmt.Sprintf("review: the course with its drafts has %d problems", len(e.Problems))
}

// Publication is what a publication did.
type Publication struct {
	Version    int // the number of the version now published
	Texts      int // lessons whose text or title changed, and the course's own texts
	Questions  int // quiz questions and scenarios whose texts changed
	Recordings int // lesson recordings added or replaced
	Reviewed   []string
}

// Publish makes the drafts of a published course version in langs its
// next version, the way `kalan courses import` publishes a folder: the
// version's own files (catalog.Importer.Folder) with the drafts written
// into them, checked, then imported. Text drafts replace
// lessons/<id>.<lang>.md; a draft recording replaces the lesson's
// recording in its language, and course.yaml gains who speaks it when it
// did not say; a language marked reviewed on this version becomes
// `reviewed: true` in course.yaml, so the mark outlives the version. When
// a check fails nothing is published and every draft stays. After the
// publication the drafts it took are deleted, unless a reviewer saved a
// newer one meanwhile. When another version was published since
// versionID, nothing is published (catalog.ErrPublishedMeanwhile): the
// drafts stay, to be published over the new version.
func (s *Service) Publish(ctx context.Context, actor *account.User, versionID string, langs []string, addr string) (*Publication, error) {
	if s.courses == nil {
		return nil, errors.New("review: no catalog to publish to")
	}
	v, err := s.courses.Version(ctx, versionID)
	if err != nil {
		return nil, err
	}
	folder, err := s.courses.Folder(ctx, v)
	if err != nil {
		return nil, err
	}
	c := v.Def
	pub := &Publication{}
	var taken []func(context.Context) error // what to delete once published
	for _, lang := range langs {
		if lang == courses.SourceLang(c) {
			continue
		}
		t, err := s.takeTexts(ctx, c, lang, folder, pub)
		if err != nil {
			return nil, err
		}
		r, err := s.takeRecordings(ctx, c, lang, folder, pub)
		if err != nil {
			return nil, err
		}
		taken = append(append(taken, t...), r...)
		if err := s.takeMark(ctx, c, v.ID, lang, folder, pub); err != nil {
			return nil, err
		}
	}
	next, problems := courses.Load(folder.FS(c.Slug), c.Slug)
	if len(problems) > 0 {
		return nil, &PublishError{Problems: problems}
	}
	if next.Hash == c.Hash {
		return nil, ErrNothingToPublish
	}
	// Over the version the drafts were written into only: publishing over
	// one published meanwhile would undo it.
	result, err := s.courses.ImportOver(ctx, folder.FS(c.Slug), next, v.ID)
	if err != nil {
		return nil, err
	}
	pub.Version = result.Version
	if err := s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.CoursePublished, TargetType: "course", TargetID: c.Slug,
		Details: map[string]string{"version": strconv.Itoa(pub.Version), "from": v.ID, "languages": strings.Join(langs, " "),
			"texts": strconv.Itoa(pub.Texts), "questions": strconv.Itoa(pub.Questions), "recordings": strconv.Itoa(pub.Recordings), "reviewed": strings.Join(pub.Reviewed, " ")}, IP: addr}); err != nil {
		return pub, err
	}
	for _, del := range taken {
		if err := del(ctx); err != nil {
			return pub, err
		}
	}
	if s.marked != nil {
		if err := s.marked(ctx); err != nil {
			return pub, err
		}
	}
	return pub, nil
}

// takeTexts writes the text drafts of lang into folder: lessons' into
// their Markdown files and their titles into course.yaml, quiz items'
// into quiz.yaml.
func (s *Service) takeTexts(ctx context.Context, c *courses.Course, lang string, folder catalog.Folder, pub *Publication) ([]func(context.Context) error, error) {
	drafts, err := s.store.Drafts(ctx, c.Slug, lang)
	if err != nil {
		return nil, err
	}
	var taken []func(context.Context) error
	quiz := map[courses.QuizText]string{}
	titles := map[string]string{}
	for _, d := range drafts {
		if d.Lesson == CourseItem {
			title, summary := changed(c.Title[lang], d.Title), changed(c.Summary[lang], d.Markdown)
			if title != "" || summary != "" {
				edited, err := courses.SetCourseTexts(folder["course.yaml"], lang, title, summary)
				if err != nil {
					return nil, err
				}
				folder["course.yaml"] = edited
				pub.Texts++
			}
			taken = append(taken, s.dropDraft(d))
			continue
		}
		if _, _, isQuiz := ParseItem(d.Lesson); isQuiz {
			exists, changed := false, false
			for t, v := range d.Texts {
				now, ok := c.QuizText(t, lang)
				exists = exists || ok
				if ok && now != v {
					quiz[t], changed = v, true
				}
			}
			if !exists {
				continue // the item left the quiz; its draft stays for the record
			}
			if changed {
				pub.Questions++
			}
			taken = append(taken, s.dropDraft(d))
			continue
		}
		if _, _, ok := c.Lesson(d.Lesson); !ok {
			continue // the lesson left the course; its draft stays for the record
		}
		lesson, _, _ := c.Lesson(d.Lesson)
		p := courses.LessonFile(d.Lesson, lang)
		changedTitle := d.Title != "" && d.Title != lesson.Title[lang]
		if changedTitle {
			titles[d.Lesson] = d.Title
		}
		if string(folder[p]) != d.Markdown {
			folder[p] = []byte(d.Markdown)
		} else if !changedTitle {
			p = ""
		}
		if p != "" {
			pub.Texts++
		}
		taken = append(taken, s.dropDraft(d))
	}
	if len(quiz) > 0 {
		edited, err := courses.SetQuizTexts(folder["quiz.yaml"], lang, quiz)
		if err != nil {
			return nil, err
		}
		folder["quiz.yaml"] = edited
	}
	if len(titles) > 0 {
		edited, err := courses.SetLessonTitles(folder["course.yaml"], lang, titles)
		if err != nil {
			return nil, err
		}
		folder["course.yaml"] = edited
	}
	return taken, nil
}

// takeRecordings writes the draft recordings of lang into folder, and who
// speaks them into course.yaml when it does not say.
func (s *Service) takeRecordings(ctx context.Context, c *courses.Course, lang string, folder catalog.Folder, pub *Publication) ([]func(context.Context) error, error) {
	if s.recordings == nil {
		return nil, nil
	}
	recs, err := s.recordings.Recordings(ctx, c.Slug, lang)
	if err != nil {
		return nil, err
	}
	var taken []func(context.Context) error
	var voices []string
	for _, r := range recs {
		if _, _, ok := c.Lesson(r.Lesson); !ok {
			continue
		}
		data, err := s.readRecording(ctx, r.SHA256)
		if err != nil {
			return nil, fmt.Errorf("review: recording of %s in %s: %w", r.Lesson, lang, err)
		}
		for _, ext := range audio.Extensions() {
			delete(folder, courses.RecordingFile(r.Lesson, lang, ext))
		}
		folder[courses.RecordingFile(r.Lesson, lang, r.Ext)] = data
		pub.Recordings++
		if !slices.Contains(voices, r.ByName) {
			voices = append(voices, r.ByName)
		}
		taken = append(taken, func(ctx context.Context) error {
			return s.recordings.DeleteRecording(ctx, r.Slug, r.Lang, r.Lesson, r.SHA256)
		})
	}
	if _, said := c.Voices[lang]; len(voices) > 0 && !said {
		slices.Sort(voices)
		edited, err := courses.AddVoice(folder["course.yaml"], lang, strings.Join(voices, ", "))
		if err != nil {
			return nil, err
		}
		folder["course.yaml"] = edited
	}
	return taken, nil
}

// takeMark writes `reviewed: true` for lang into course.yaml when the
// version's lang has a mark.
func (s *Service) takeMark(ctx context.Context, c *courses.Course, versionID, lang string, folder catalog.Folder, pub *Publication) error {
	if t, ok := c.Translations[lang]; !ok || t.Reviewed {
		return nil
	}
	m, err := s.MarkOf(ctx, c.Slug, versionID, lang)
	if err != nil || m == nil {
		return err
	}
	edited, err := courses.SetReviewed(folder["course.yaml"], lang)
	if err != nil {
		return err
	}
	folder["course.yaml"] = edited
	pub.Reviewed = append(pub.Reviewed, lang)
	return nil
}

func (s *Service) readRecording(ctx context.Context, sha256 string) ([]byte, error) {
	r, err := s.OpenRecording(ctx, sha256, 0, -1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Export writes the published version versionID as the zip of its course
// folder: what `kalan courses check` reads and `kalan courses import`
// publishes again as the same version.
func (s *Service) Export(ctx context.Context, w io.Writer, versionID string) error {
	if s.courses == nil {
		return errors.New("review: no catalog to export from")
	}
	return s.courses.Export(ctx, w, versionID)
}

// changed is draft when it is a text other than published, else "".
func changed(published, draft string) string {
	if draft == published {
		return ""
	}
	return draft
}

// dropDraft deletes d once it is published, unless it changed since.
func (s *Service) dropDraft(d Draft) func(context.Context) error {
	return func(ctx context.Context) error {
		return s.store.DeleteDraft(ctx, d.Slug, d.Lang, d.Lesson, d.Revision)
	}
}
