package catalog

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"kalan/courses"
)

// render turns every lesson of a version into sanitised HTML whose links
// and images point at the platform's URLs. It runs once per version, when
// the version is loaded, never on a page request.
func render(v *Version) (*Course, error) {
	md := goldmark.New()
	policy := bluemonday.UGCPolicy()
	policy.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// UGCPolicy only keeps alt texts made of a few characters; lesson alt
	// texts have colons, arrows and Bambara letters. Any text is safe in an
	// attribute that the sanitiser quotes.
	policy.AllowAttrs("alt").OnElements("img")
	policy.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")

	c := v.Course
	out := &Course{Version: v, lessons: make([]map[string]template.HTML, len(c.Lessons))}
	for i, lesson := range c.Lessons {
		out.lessons[i] = make(map[string]template.HTML, len(lesson.Body))
		for lang, src := range lesson.Body {
			source := []byte(src)
			doc := md.Parser().Parse(text.NewReader(source))
			if err := rewriteLinks(doc, c); err != nil {
				return nil, fmt.Errorf("lesson %s.%s: %w", lesson.ID, lang, err)
			}
			var buf bytes.Buffer
			if err := md.Renderer().Render(&buf, source, doc); err != nil {
				return nil, fmt.Errorf("lesson %s.%s: %w", lesson.ID, lang, err)
			}
			// The sanitiser is the last word: the lesson HTML is trusted by the templates.
			out.lessons[i][lang] = template.HTML(policy.SanitizeBytes(buf.Bytes())) // #nosec G203 -- sanitised just above
		}
	}
	return out, nil
}

// rewriteLinks points media at /media/<hash> and lesson files at their
// lesson page. The course was checked on import, so an unresolved local
// reference means the stored version is corrupt.
func rewriteLinks(doc ast.Node, c *courses.Course) error {
	return ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			url, err := localURL(string(n.Destination), c)
			if err != nil {
				return ast.WalkStop, err
			}
			n.Destination = []byte(url)
			n.SetAttributeString("loading", "lazy")
			n.SetAttributeString("decoding", "async")
		case *ast.Link:
			url, err := localURL(string(n.Destination), c)
			if err != nil {
				return ast.WalkStop, err
			}
			n.Destination = []byte(url)
		}
		return ast.WalkContinue, nil
	})
}

func localURL(dest string, c *courses.Course) (string, error) {
	ref, local, err := courses.LocalRef(dest)
	if err != nil {
		return "", fmt.Errorf("link %q: %w", dest, err)
	}
	if !local {
		return dest, nil
	}
	if ref.Lesson != "" {
		return "/courses/" + c.Slug + "/lessons/" + ref.Lesson, nil
	}
	m, ok := c.MediaByPath(ref.Path)
	if !ok {
		return "", fmt.Errorf("media %q is not part of the version", ref.Path)
	}
	return MediaURL(m.SHA256), nil
}
