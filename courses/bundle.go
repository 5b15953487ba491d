package courses

import (
	"embed"
	"io/fs"
)

// The bundled curriculum: every course folder directly under courses/.
// "*/*" takes the contents of each folder and leaves out this package's Go
// files and README.
//
//go:embed */*
var bundle embed.FS

// Bundle returns the curriculum embedded in the binary, imported on the
// first start of an empty database.
func Bundle() fs.FS { return bundle }
