package offline

// What a course costs to take offline. The figures are estimates shown
// before downloading, so they are stated as "about".
const (
	// pageChrome is the HTML around a lesson's text (header, forms, footer).
	pageChrome = 4 << 10
	// compression is what brotli and gzip make of HTML and SVG, roughly.
	compression = 3
	// Rate2G is what a 2G (EDGE) connection in Mali really carries,
	// about 50 kbit/s, in bytes per second.
	Rate2G = 6000
)

// Item is one file of a course download.
type Item struct {
	Bytes      int64
	Compressed bool // HTML and SVG travel compressed
}

// Page is a page of the course whose own text is n bytes.
func Page(n int) Item { return Item{Bytes: int64(n + pageChrome), Compressed: true} }

// Size is the number of bytes a download of these items transfers.
func Size(items []Item) int64 {
	var total int64
	for _, it := range items {
		if it.Compressed {
			total += it.Bytes / compression
		} else {
			total += it.Bytes
		}
	}
	return total
}

// Minutes is how long bytes take on 2G, rounded up, at least one.
func Minutes(bytes int64) int {
	m := int((bytes + Rate2G*60 - 1) / (Rate2G * 60))
	return max(m, 1)
}
