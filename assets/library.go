package assets

import (
	"embed"
	"io/fs"
)

// libraryFiles holds the starter library: awareness material the project
// makes itself (see library/README.md), described by library/library.yaml.
// The generator (library/gen) and the README stay out of the binary.
//
//go:embed library/library.yaml library/*.pdf library/*.ogg
var libraryFiles embed.FS

// Library returns the starter library: library.yaml and the files it
// names, at the root of the returned file system.
func Library() fs.FS {
	f, err := fs.Sub(libraryFiles, "library")
	if err != nil {
		panic(err) // "library" is a constant embedded above: this cannot happen
	}
	return f
}
