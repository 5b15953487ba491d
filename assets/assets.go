// Package assets embeds what the browser gets besides data: page
// templates, stylesheets, scripts and images. Fonts for PDFs come here too.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// Templates returns the page templates: layouts/, partials/ and pages/.
func Templates() fs.FS { return sub("templates") }

// Static returns the files served under /static/ with content-hashed names.
func Static() fs.FS { return sub("static") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // dir is a constant embedded above: this cannot happen
	}
	return f
}
