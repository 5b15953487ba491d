package locales

import (
	"sort"
	"strconv"
	"strings"
)

// Negotiate picks the language of a page: the first supported of the
// explicit choices (in order: ?lang=, the kalan_lang cookie, the signed-in
// user's preference), else the best supported language of the
// Accept-Language header, else the default. An unknown code is never an
// error, only skipped.
func (c *Messages) Negotiate(acceptLanguage string, choices ...string) string {
	for _, code := range choices {
		if c.Supported(code) {
			return code
		}
	}
	for _, code := range ParseAcceptLanguage(acceptLanguage) {
		if c.Supported(code) {
			return code
		}
	}
	return Default
}

// ParseAcceptLanguage returns the base language codes of an
// Accept-Language header, most wanted first ("bm-ML;q=0.9, fr" → fr, bm).
// Malformed entries are skipped; only the first 16 entries are read.
func ParseAcceptLanguage(header string) []string {
	type entry struct {
		code string
		q    float64
	}
	var entries []entry
	for i, part := range strings.Split(header, ",") {
		if i >= 16 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		code, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		code, _, _ = strings.Cut(code, "_")
		if len(code) < 2 || len(code) > 3 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyz") != "" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > 0 {
			entries = append(entries, entry{code, q})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].q > entries[j].q })
	codes := make([]string, 0, len(entries))
	for _, e := range entries {
		codes = append(codes, e.code)
	}
	return codes
}
