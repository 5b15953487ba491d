package server

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/kalan-platform/kalan/server/view"
)

// A page is shared only where the replacement's HTML escaping is the
// escaping html/template would have applied to the name: in text and
// quoted attributes, not in a script, a URL or an unquoted attribute,
// where a name such as `x onmouseover=…` would become markup.
func TestSharedPageOnlyWhereHTMLEscapingIsEnough(t *testing.T) {
	page := func(body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{{define "title"}}t{{end}}{{define "content"}}` + body + `{{end}}`)}
	}
	v, err := view.New(fstest.MapFS{
		"layouts/base.html":  {Data: []byte(`{{define "base"}}<form data-user="{{.Viewer.ID}}"><input name="_csrf" value="{{.CSRF}}"></form>{{template "content" .}}{{end}}`)},
		"partials/none.html": {Data: []byte(`{{define "none"}}{{end}}`)},
		"pages/text.html":    page(`<p title="{{.Viewer.Name}}">{{.Viewer.Name}}</p><title>{{.Viewer.Name}}</title>`),
		"pages/script.html":  page(`<script>var who = "{{.Viewer.Name}}";</script>`),
		"pages/url.html":     page(`<a href="/u?n={{.Viewer.Name}}">x</a>`),
		"pages/bare.html":    page(`<a title={{.Viewer.Name}}>x</a>`),
	}, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	h := &handlers{Deps: Deps{View: v, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, sharedPages: newPageCache()}
	app := fiber.New()
	name := `Awa "x" onmouseover=alert(1) <b>`
	p := Page{CSRF: "tok-EN_123", Viewer: &ViewerInfo{ID: "0123abcd", Name: name}}
	for _, tt := range []struct {
		page   string
		shared bool
	}{{"text", true}, {"script", false}, {"url", false}, {"bare", false}} {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		shared, err := h.sharedPage(c, tt.page, tt.page, p, func(p Page) any { return p })
		body := string(c.Response().Body())
		app.ReleaseCtx(c)
		if err != nil || shared != tt.shared {
			t.Errorf("%s: shared %v (%v), want %v", tt.page, shared, err, tt.shared)
			continue
		}
		if !shared {
			continue
		}
		want := `<form data-user="0123abcd"><input name="_csrf" value="tok-EN_123"></form><p title="Awa &#34;x&#34; onmouseover=alert(1) &lt;b&gt;">Awa &#34;x&#34; onmouseover=alert(1) &lt;b&gt;</p><title>Awa &#34;x&#34; onmouseover=alert(1) &lt;b&gt;</title>`
		if body != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.page, body, want)
		}
		if strings.Contains(body, "mark0f3b") {
			t.Errorf("%s: a mark is left", tt.page)
		}
	}
	// A token the replacement would not escape is never put in.
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	if shared, err := h.sharedPage(c, "text", "text", Page{CSRF: `a"b`, Viewer: p.Viewer}, func(p Page) any { return p }); shared || err != nil {
		t.Errorf("a token with a quote: shared %v (%v)", shared, err)
	}
}
