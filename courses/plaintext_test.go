package courses

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"paragraphs", "Premier paragraphe.\nSuite sur une ligne.\n\nSecond paragraphe", "Premier paragraphe. Suite sur une ligne.\nSecond paragraphe."},
		{"headings are sentences", "## 1. L'acte : ce qui est fait\n\nRecruter.", "1. L'acte : ce qui est fait.\nRecruter."},
		{"emphasis and links keep their words", "**Ne pas nuire.** Voir [la leçon](other.fr.md) et <https://example.org>.", "Ne pas nuire. Voir la leçon et https://example.org."},
		{"language spans keep their words", "Mɔgɔ feereli ([traite des personnes]{lang=fr}) kɔrɔ", "Mɔgɔ feereli (traite des personnes) kɔrɔ."},
		{"images say their alt text", "Avant.\n\n![Schéma : l'acte, puis le moyen](../media/d.svg)\n\nAprès.", "Avant.\nSchéma : l'acte, puis le moyen.\nAprès."},
		{"ordered lists keep their numbers", "1. **Ne pas nuire.** Jamais.\n2. Écouter et croire\n", "1. Ne pas nuire. Jamais.\n2. Écouter et croire."},
		{"ordered lists from their start", "3. Trois\n4. Quatre\n", "3. Trois.\n4. Quatre."},
		{"bullets", "- Protocole de Palerme (2000)\n- Loi n° 2012-023\n", "Protocole de Palerme (2000).\nLoi n° 2012-023."},
		{"nested lists and several paragraphs in an item", "- Un\n\n  Suite de un\n  - Sous-point\n", "Un.\nSuite de un.\nSous-point."},
		{"quotes and code", "> Cité\n\n    code lu\n", "Cité.\ncode lu."},
		{"raw HTML and rules dropped", "<b>gras</b> texte\n\n---\n\n<div>bloc</div>\n", "gras texte."},
		{"ends with a quote", "Il dit « oui »", "Il dit « oui »."},
		{"question kept", "Que faire ?", "Que faire ?"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.src); got != tt.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}
