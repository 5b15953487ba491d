package courses

// Text is a translatable text: language code → text.
type Text map[string]string

// fallbacks is the order in which content is looked for when the reader's
// language lacks it: French is the working language, then English.
var fallbacks = [...]string{"fr", "en"}

// Get returns the text in lang, else in the first fallback language that has
// it, with the language actually used. It returns "", "" when the text is
// empty in all of them.
func (t Text) Get(lang string) (text, used string) {
	if s := t[lang]; s != "" {
		return s, lang
	}
	for _, l := range fallbacks {
		if s := t[l]; s != "" {
			return s, l
		}
	}
	return "", ""
}

// String returns the text in lang or its fallback.
func (t Text) String(lang string) string {
	s, _ := t.Get(lang)
	return s
}
