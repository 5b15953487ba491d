package catalog

import (
	"errors"
	"html/template"
)

// ErrPreview is a draft text that cannot be shown as a lesson: it links
// to or shows a file the course does not have.
var ErrPreview = errors.New("catalog: the text refers to a file the course does not have")

// Preview renders the Markdown of a draft lesson in lang as the published
// lesson would be: the same parser, links and images rewritten against the
// course's media, the same sanitiser. It never changes the course.
func Preview(course *Course, lang, markdown string) (template.HTML, error) {
	body, err := renderBody(newMarkdown(), lessonPolicy(), course.Def, lang, markdown, course.images, nil)
	if err != nil {
		return "", errors.Join(ErrPreview, err)
	}
	return body, nil
}
