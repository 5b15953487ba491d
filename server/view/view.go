// Package view renders the HTML pages from the embedded templates and
// serves the static assets under content-hashed names. Templates are parsed
// once at start-up; translation happens through the page model (its T and
// N methods), never through a function bound to a shared template, so
// concurrent requests in different languages cannot mix.
package view

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"
)

// View holds the parsed pages and the fingerprinted static files.
type View struct {
	pages  map[string]*template.Template
	assets map[string]string // logical name ("css/kalan.css") → URL
	files  map[string]Asset  // hashed name ("css/kalan.3f2a1b9c.css") → file
	bufs   sync.Pool
}

// Asset is a static file ready to serve.
type Asset struct {
	Body        []byte
	ContentType string
	ETag        string
}

// New parses every page of templates (pages/*.html, each with
// layouts/*.html and partials/*.html) and fingerprints every file of static.
func New(templates, static fs.FS) (*View, error) {
	v := &View{pages: map[string]*template.Template{}, assets: map[string]string{}, files: map[string]Asset{}}
	v.bufs.New = func() any { return new(bytes.Buffer) }
	if err := v.loadStatic(static); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"asset": v.AssetURL, "inlineStyle": v.InlineStyle, "inlineSVG": v.InlineSVG, "pair": pair}
	common, err := template.New("").Funcs(funcs).ParseFS(templates, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("view: parse layouts: %w", err)
	}
	pages, err := fs.Glob(templates, "pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		t, err := template.Must(common.Clone()).ParseFS(templates, p)
		if err != nil {
			return nil, fmt.Errorf("view: parse %s: %w", p, err)
		}
		v.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return v, nil
}

func (v *View) loadStatic(static fs.FS) error {
	return fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		v.assets[p] = "/static/" + hashed
		v.files[hashed] = Asset{Body: body, ContentType: ctype, ETag: `"` + hash + `"`}
		return nil
	})
}

// AssetURL returns the content-hashed URL of a static file. Templates call
// it as {{asset "css/kalan.css"}}; an unknown name is a template error at
// start-up (see the page tests), not a broken link.
func (v *View) AssetURL(name string) (string, error) {
	u, ok := v.assets[name]
	if !ok {
		return "", fmt.Errorf("view: no static file %q", name)
	}
	return u, nil
}

// InlineStyle returns a stylesheet's text for a <style> element. Pages
// carry their whole stylesheet: on 2G a separate file costs a round trip
// (≈ 1.6 s at 800 ms RTT) before anything paints, and it is ≈ 2 KB
// compressed. Templates call it as {{inlineStyle "css/kalan.css"}}.
func (v *View) InlineStyle(name string) (template.CSS, error) {
	a, err := v.asset(name)
	if err != nil {
		return "", err
	}
	return template.CSS(a.Body), nil // #nosec G203 -- our own stylesheet, embedded at build time
}

// InlineSVG returns an SVG image's markup to draw it in the page. The
// header's logo is drawn so: as an <img> it was one more request on the
// first visit (≈ 800 ms on 2G before the largest paint) and, loading
// after the first paint, it shifted the header on narrow phones.
// Templates call it as {{inlineSVG "img/icon.svg"}}.
func (v *View) InlineSVG(name string) (template.HTML, error) {
	if path.Ext(name) != ".svg" {
		return "", fmt.Errorf("view: %q is not an SVG image", name)
	}
	a, err := v.asset(name)
	if err != nil {
		return "", err
	}
	return template.HTML(a.Body), nil // #nosec G203 -- our own image, embedded at build time
}

// StyleHash is the CSP source that allows InlineStyle(name) in a page
// ('sha256-…'), so that the policy still refuses every other inline style.
func (v *View) StyleHash(name string) (string, error) {
	a, err := v.asset(name)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(a.Body)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'", nil
}

func (v *View) asset(name string) (Asset, error) {
	u, err := v.AssetURL(name)
	if err != nil {
		return Asset{}, err
	}
	return v.files[strings.TrimPrefix(u, "/static/")], nil
}

// Static returns the static file with a hashed name, as found in a URL.
func (v *View) Static(hashed string) (Asset, bool) {
	a, ok := v.files[hashed]
	return a, ok
}

// Pages lists the page names, for tests.
func (v *View) Pages() []string {
	names := make([]string, 0, len(v.pages))
	for n := range v.pages {
		names = append(names, n)
	}
	return names
}

// Render writes the page named name with its model. The page is rendered
// into a buffer first, so that a template error never sends half a page.
func (v *View) Render(w io.Writer, name string, model any) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("view: no page %q", name)
	}
	buf := v.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer v.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "base", model); err != nil {
		return fmt.Errorf("view: render %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Pair hands a partial template two values: the page (P), for its
// translations, and an item (Q).
type Pair struct{ P, Q any }

func pair(p, q any) Pair { return Pair{P: p, Q: q} }
