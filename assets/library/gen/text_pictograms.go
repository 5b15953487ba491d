package main

// The words of the pictogram poster (pictograms/poster.svg): as few as
// possible, since many who look at it do not read; the pictures carry the
// message and the facilitator says the rest. The keys are those of the
// drawing's <text data-key="…"> elements; every key must have a text in
// every language, and every text must be used.

// pictoPoster is one language's pictogram poster.
type pictoPoster struct {
	File, Lang     string
	Title, Subject string // the PDF's metadata
	Text           map[string]string
}

func pictoPosters() []pictoPoster {
	return []pictoPoster{
		{
			File:    "signs-pictograms.fr.pdf",
			Lang:    "fr",
			Title:   "Traite des personnes : les signes, que faire",
			Subject: "Affiche en pictogrammes : les signes d'alerte de la traite, ce qu'il faut faire et ne pas faire, et le circuit local de référencement à écrire à la main",
			Text: map[string]string{
				"kicker":        "KALAN · SENSIBILISATION",
				"title":         "Traite des personnes : les signes, que faire",
				"signs":         "Signes d'alerte",
				"signs-note":    "Un signe seul ne prouve rien. Plusieurs signes\u00a0: parlez-en, n'agissez pas seul.",
				"sign-papers":   "Un autre garde ses papiers",
				"sign-locked":   "Ne peut pas sortir ni partir",
				"sign-nonstop":  "Travail jour et nuit, sans repos",
				"sign-debt":     "Une dette qui ne finit jamais",
				"sign-child":    "Enfant au travail, pas à l'école",
				"sign-offer":    "Offre trop belle, travail au loin",
				"sign-threat":   "Menaces, peur",
				"sign-wages":    "Salaire jamais payé",
				"do":            "À faire",
				"do-talk":       "Parlez à quelqu'un de confiance",
				"do-together":   "N'agissez pas seul",
				"do-refer":      "Orientez par le circuit local",
				"do-safety":     "La sécurité d'abord",
				"dont":          "À ne pas faire",
				"dont-confront": "N'affrontez pas l'exploiteur présumé",
				"dont-spread":   "Pas de photo.\nNe répétez pas son histoire",
				"pathway":       "Notre circuit local de référencement",
				"pathway-note":  "À écrire à la main : à qui s'adresser ici, et comment",
				"footer": "D'après les indicateurs du travail forcé de l'OIT et les principes d'intervention du cours Kalan « Détecter la traite des personnes : les bases ». Au Mali : loi n° 2012-023 du 12 juillet 2012.\n" +
					"Projet Kalan · Licence CC BY 4.0 : reproduisez et partagez librement, en citant la source.",
			},
		},
		{
			File:    "signs-pictograms.en.pdf",
			Lang:    "en",
			Title:   "Human trafficking: the signs and what to do",
			Subject: "Pictogram poster: the warning signs of trafficking, what to do and not to do, and the local referral pathway to write in by hand",
			Text: map[string]string{
				"kicker":        "KALAN · AWARENESS",
				"title":         "Human trafficking: the signs and what to do",
				"signs":         "Warning signs",
				"signs-note":    "One sign alone proves nothing. Several signs: speak up, do not act alone.",
				"sign-papers":   "Papers kept by someone else",
				"sign-locked":   "Cannot go out or leave",
				"sign-nonstop":  "Works day and night, no rest",
				"sign-debt":     "A debt that never ends",
				"sign-child":    "A child at work, not at school",
				"sign-offer":    "A job offer too good, far away",
				"sign-threat":   "Threats, fear",
				"sign-wages":    "Wages never paid",
				"do":            "Do",
				"do-talk":       "Talk to someone you trust",
				"do-together":   "Do not act alone",
				"do-refer":      "Refer through the local pathway",
				"do-safety":     "Safety first",
				"dont":          "Do not",
				"dont-confront": "Do not confront the suspected exploiter",
				"dont-spread":   "No photos.\nDo not spread their story",
				"pathway":       "Our local referral pathway",
				"pathway-note":  "Write in by hand: who to turn to here, and how",
				"footer": "Based on the ILO indicators of forced labour and the front-line principles of the Kalan course \u201cDetecting trafficking: the basics\u201d. In Mali: Law No. 2012-023 of 12 July 2012.\n" +
					"Kalan project · Licence CC BY 4.0: copy and share freely, crediting the source.",
			},
		},
		{
			File:    "signs-pictograms.bm.pdf",
			Lang:    "bm",
			Title:   "Mɔgɔ feereli: a taamasyɛnw ani min ka kan ka kɛ",
			Subject: "Afisi jaw ye: mɔgɔ feereli taamasyɛnw, min ka kan ka kɛ ani min man kan ka kɛ, sigida bilasira",
			Text: map[string]string{
				"kicker":        "KALAN · KUNNAFONI",
				"title":         "Mɔgɔ feereli: a taamasyɛnw ani min ka kan ka kɛ",
				"signs":         "Taamasyɛnw",
				"signs-note":    "Taamasyɛn kelen tɛ dalilu ye. Taamasyɛn caman: a fɔ, kana a kɛ i kelen na.",
				"sign-papers":   "Mɔgɔ wɛrɛ b'a ka sɛbɛnw mara",
				"sign-locked":   "A tɛ se ka bɔ ka taa a sago la",
				"sign-nonstop":  "Baara su ni tile, lafiɲɛ tɛ",
				"sign-debt":     "Juru min tɛ ban abada",
				"sign-child":    "Denmisɛn bɛ baara, lakɔli tɛ",
				"sign-offer":    "Layidu ka ɲi kojugu, yɔrɔ jan",
				"sign-threat":   "Lasiranni, siran",
				"sign-wages":    "Sara tɛ di abada",
				"do":            "Min ka kan ka kɛ",
				"do-talk":       "Kuma mɔgɔ fɛ i dalen bɛ min na",
				"do-together":   "Kana a kɛ i kelen na",
				"do-refer":      "A bila sigida bilasira fɛ",
				"do-safety":     "Lakanani de fɔlɔ",
				"dont":          "Min man kan ka kɛ",
				"dont-confront": "Kana kɛlɛ kɛ ni a tɔɔrɔbaga ye",
				"dont-spread":   "Kana ja ta.\nKana a ka ko jɛnsɛn",
				"pathway":       "An ka sigida bilasira",
				"pathway-note":  "A sɛbɛn yan i bolo la: an bɛ se ka taa mɔgɔ minnu fɛ yan",
				"footer": "OIT ka baara diyagoyalen taamasyɛnw ani Kalan ka kalan « Mɔgɔ feereli dɔncogo: a jusigilanw » ka sinsinbere kan. Mali: sariya nimɔrɔ 2012-023, zuluye kalo tile 12, san 2012.\n" +
					"Projet Kalan · CC BY 4.0: i bɛ se k'a jɛnsɛn, ni i y'a bɔyɔrɔ fɔ.\n" +
					"Nin bamanankan sɛbɛn ye sɛbɛn fɔlɔ ye; bamanankan fɔbaga ma a lajɛ fɔlɔ. · Brouillon : relecture par un locuteur natif en attente.",
			},
		},
	}
}
