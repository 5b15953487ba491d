package locales

import "strconv"

// Size says a file size the way a person paying per megabyte reads it
// ("45 KB", "1.2 MB"): it returns the message id and its template data,
// for Localizer.T.
func Size(n int64) (id string, data map[string]any) {
	switch {
	case n >= 1<<20:
		return "size.mb", map[string]any{"Size": strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)}
	case n >= 1<<10:
		return "size.kb", map[string]any{"Size": strconv.FormatInt((n+1023)>>10, 10)}
	}
	return "size.bytes", map[string]any{"Size": strconv.FormatInt(n, 10)}
}
