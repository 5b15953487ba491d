package assets

import "embed"

// fontFiles holds the TrueType fonts for PDFs (see fonts/README.md). They
// live apart from files because a browser never gets them.
//
//go:embed fonts/*.ttf
var fontFiles embed.FS

// Font returns the bytes of an embedded font by file name, e.g.
// "DejaVuSans.ttf" or "DejaVuSans-Bold.ttf": DejaVu Sans covers the
// Bambara letters ɛ Ɛ ɔ Ɔ ɲ Ɲ ŋ Ŋ, which Go's own fonts do not.
func Font(name string) ([]byte, error) {
	return fontFiles.ReadFile("fonts/" + name)
}
