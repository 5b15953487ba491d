package main

// The wording of the starter library. Every fact comes from the project's
// curriculum notes (the Palermo Protocol's definition, the ILO's eleven
// indicators of forced labour, Mali's Law No. 2012-023, the principles of
// a front-line responder). The material names no service, organisation or
// phone number: each poster and leaflet has ruled lines where the
// facilitator writes the local referral pathway by hand.
//
// The Bambara is a machine-assisted draft that a native speaker has not
// yet reviewed; it uses the words of the course "Detecting trafficking:
// the basics" (mɔgɔ feereli, taamasyɛn, sigida bilasira…).

const (
	credit  = "Projet Kalan / Kalan project"
	licence = "CC BY 4.0"
)

// group is one kind of sign to look for, from the ILO indicators.
type group struct {
	Name  string
	Signs []string
}

// poster is the text of an A4 poster of the signs of trafficking.
type poster struct {
	File, Lang     string
	Title, Subject string
	Kicker         string
	Intro          string
	SignsHeading   string
	SignsNote      string
	Groups         []group // the person, documents, work, movement, communication
	TodoHeading    string
	Todo           []string
	FillLabel      string
	Footer         []string
}

// leaflet is the text of a one-page A5 leaflet: the poster's facts in
// fewer words.
type leaflet struct {
	File, Lang     string
	Title, Subject string
	Kicker         string
	WhatHeading    string
	What           string
	AtRisk         string
	SignsHeading   string
	Signs          []string
	TodoHeading    string
	Todo           []string
	FillLabel      string
	Footer         []string
}

// spot is a spoken awareness spot for espeak-ng.
type spot struct {
	File, Lang     string
	Title          string
	Voice          string
	WordsPerMinute int
	Serial         int // the Ogg stream serial, fixed for stable bytes
	Text           string
}

func posters() []poster {
	return []poster{
		{
			File:         "indicators-poster.fr.pdf",
			Lang:         "fr",
			Title:        "Traite des personnes : les signes qui doivent alerter",
			Subject:      "Les signes d'alerte de la traite des personnes et que faire",
			Kicker:       "KALAN · SENSIBILISATION",
			Intro:        "La traite des personnes, c'est recruter, transporter, héberger ou accueillir une personne par la menace, la force, l'enlèvement, la tromperie, l'abus de pouvoir ou de sa vulnérabilité, ou en donnant ou recevant de l'argent ou des avantages pour obtenir l'accord de quelqu'un qui a autorité sur elle, pour l'exploiter : travail forcé, exploitation sexuelle, esclavage, servitude, prélèvement d'organes. Pour un enfant (moins de 18 ans), il n'y a pas besoin de menace ni de tromperie : le recruter ou le déplacer pour l'exploiter suffit. Et quand la personne a été trompée ou contrainte, son « accord » ne compte pas.",
			SignsHeading: "Les signes à observer",
			SignsNote:    "Un signe seul n'est pas une preuve. Plusieurs signes ensemble : ne restez pas sans rien faire, orientez la personne.",
			Groups: []group{
				{"La personne", []string{
					"Elle a peur, elle a été menacée ou intimidée.",
					"Elle porte des traces de violences physiques ou sexuelles.",
					"Quelqu'un profite de sa situation : enfant, seule, loin de chez elle, sans argent.",
				}},
				{"Les documents", []string{
					"Quelqu'un d'autre garde ses papiers d'identité (carte, passeport).",
					"Elle ne peut pas les reprendre quand elle les demande.",
				}},
				{"Le travail", []string{
					"Son salaire est retenu, ou jamais payé.",
					"Elle doit une dette qu'elle ne pourra jamais rembourser.",
					"Des journées de travail sans fin, sans repos.",
					"Des conditions de travail et de vie abusives.",
				}},
				{"Les déplacements", []string{
					"Elle ne peut pas aller et venir librement.",
					"Elle est isolée, coupée des autres.",
				}},
				{"La communication", []string{
					"On lui a menti sur le travail ou sur le salaire.",
					"Elle ne peut pas parler librement, ni joindre sa famille.",
				}},
			},
			TodoHeading: "Que faire ?",
			Todo: []string{
				"N'agissez pas seul, et ne confrontez pas la personne que vous soupçonnez d'exploiter.",
				"La sécurité de la personne d'abord : ne faites rien qui puisse lui nuire.",
				"Écoutez-la, croyez-la, gardez pour vous ce qu'elle vous confie. Rien sans son accord.",
				"Un enfant : son intérêt supérieur passe avant tout. Ne l'interrogez pas comme un enquêteur.",
				"Orientez par le circuit local de référencement, vers les services spécialisés de votre localité.",
			},
			FillLabel: "Notre circuit local de référencement : à qui s'adresser ici",
			Footer: []string{
				"D'après le Protocole de Palerme (Nations Unies, 2000), les onze indicateurs du travail forcé de l'OIT et, au Mali, la loi n° 2012-023 du 12 juillet 2012 relative à la lutte contre la traite des personnes et les pratiques assimilées.",
				"Projet Kalan · Licence CC BY 4.0 : reproduisez et partagez librement, en citant la source.",
			},
		},
		{
			File:         "indicators-poster.en.pdf",
			Lang:         "en",
			Title:        "Human trafficking: the signs to watch for",
			Subject:      "The warning signs of trafficking in persons and what to do",
			Kicker:       "KALAN · AWARENESS",
			Intro:        "Trafficking in persons means recruiting, transporting, harbouring or receiving a person by threats, force, abduction, deception, abuse of power or of their vulnerability, or by giving or receiving payments or benefits to obtain the consent of someone who has control over them, in order to exploit them: forced labour, sexual exploitation, slavery, servitude, removal of organs. For a child (under 18), no threat or deception is needed: recruiting or moving a child to exploit them is enough. And once a person was deceived or forced, their \u201cconsent\u201d does not count.",
			SignsHeading: "Signs to look for",
			SignsNote:    "One sign alone is not proof. Several signs together: do not stand by, refer the person.",
			Groups: []group{
				{"The person", []string{
					"They are afraid, or have been threatened or intimidated.",
					"They show signs of physical or sexual violence.",
					"Someone takes advantage of their situation: a child, alone, far from home, without money.",
				}},
				{"Documents", []string{
					"Someone else keeps their identity papers (ID card, passport).",
					"They cannot get them back when they ask.",
				}},
				{"Work", []string{
					"Their wages are withheld, or never paid.",
					"They owe a debt they can never repay.",
					"Endless working days, with no rest.",
					"Abusive working and living conditions.",
				}},
				{"Movement", []string{
					"They cannot come and go freely.",
					"They are isolated, cut off from others.",
				}},
				{"Communication", []string{
					"They were lied to about the work or the pay.",
					"They cannot speak freely, or reach their family.",
				}},
			},
			TodoHeading: "What to do",
			Todo: []string{
				"Do not act alone, and do not confront the person you suspect of exploiting them.",
				"The person's safety comes first: do nothing that could harm them.",
				"Listen, believe them, keep what they tell you to yourself. Nothing without their consent.",
				"A child: the child's best interests come first. Do not question a child as an investigator would.",
				"Refer through the local referral pathway, to the specialised services where you live.",
			},
			FillLabel: "Our local referral pathway: who to turn to here",
			Footer: []string{
				"Based on the Palermo Protocol (United Nations, 2000), the ILO's eleven indicators of forced labour and, in Mali, Law No. 2012-023 of 12 July 2012 on the fight against trafficking in persons and similar practices.",
				"Kalan project · Licence CC BY 4.0: copy and share freely, crediting the source.",
			},
		},
		{
			File:         "indicators-poster.bm.pdf",
			Lang:         "bm",
			Title:        "Mɔgɔ feereli: taamasyɛn minnu ka kan k'i lasɔmi",
			Subject:      "Mɔgɔ feereli taamasyɛnw ani min ka kan ka kɛ",
			Kicker:       "KALAN · KUNNAFONI",
			Intro:        "Mɔgɔ feereli ye ka mɔgɔ ɲini k'a ta, ka taa n'a ye, k'a jigin walima k'a minɛ, ni lasiranni, fanga, nanbara walima a ka dɛsɛ ye, walima ka wari walima nafa di mɔgɔ ma min bɛ a kun na (walima k'a ta) walasa o ka sɔn, walasa ka nafa sɔrɔ a la a tɔɔrɔli fɛ: baara diyagoyalen, cɛnimusoya tɔɔrɔli, jɔnya, farikolo yɔrɔw bɔli. Denmisɛn ta la (mɔgɔ min ma san 18 sɔrɔ), lasiranni walima nanbara tɛ wajibi ye: k'a ta walasa k'a tɔɔrɔ, o bɛ wasa. Ni nkalon walima diyagoya kɛra, mɔgɔ in ka sɔnni tɛ foyi yɛlɛma.",
			SignsHeading: "Taamasyɛn minnu ka kan ka lajɛ",
			SignsNote:    "Taamasyɛn kelen tɛ dalilu ye. Ni taamasyɛn caman bɛ yen ɲɔgɔn fɛ, mɔgɔ in bila sigida bilasira fɛ.",
			Groups: []group{
				{"Mɔgɔ yɛrɛ", []string{
					"A bɛ siran, u y'a lasiran walima u y'a bagabaga.",
					"Binkanni taamasyɛn bɛ a la (farikolo walima cɛnimusoya binkanni).",
					"Mɔgɔ dɔ bɛ nafa sɔrɔ a ka dɛsɛ la: denmisɛn don, a kelen don, a yɔrɔ ka jan a ka so la, wari t'a bolo.",
				}},
				{"Sɛbɛnw", []string{
					"Mɔgɔ wɛrɛ de b'a ka sɛbɛnw mara (karti, paspɔri).",
					"A tɛ se k'u sɔrɔ ni a y'u ɲini.",
				}},
				{"Baara", []string{
					"U b'a ka sara mara, walima u t'a sara abada.",
					"Juru b'a kan, a tɛna se ka min sara abada.",
					"A ka baara waati ka jan kojugu, lafiɲɛ tɛ.",
					"A ka baara ni a sigicogo ka jugu.",
				}},
				{"Taama", []string{
					"A tɛ se ka taa ka na a sago la.",
					"U y'a to a kelen na, mɔgɔ tɔw kɔ.",
				}},
				{"Kuma", []string{
					"U ye nkalon tigɛ a ye baara walima sara ko la.",
					"A tɛ se ka kuma hɔrɔnya la, wa a tɛ se ka kuma a ka denbaya fɛ.",
				}},
			},
			TodoHeading: "Mun ka kan ka kɛ?",
			Todo: []string{
				"Kana a kɛ i kelen na. Kana kɛlɛ kɛ ni mɔgɔ ye i sigasigalen bɛ min na.",
				"A ka lakanani de fɔlɔ: kana fɛn kɛ min bɛ se k'a bila farati la.",
				"A lamɛn, ka da a la. A ye min fɔ i ye, o to gundo la. Kana foyi kɛ a ka sɔnni kɔ.",
				"Denmisɛn ta la: denmisɛn ka nafa de bɛ fɔlɔ. Kana a ɲininka i n'a fɔ ɲininkalikɛla.",
				"A bila sigida bilasira fɛ, i ka sigida baarada kɛrɛnkɛrɛnnenw ma.",
			},
			FillLabel: "An ka sigida bilasira: an bɛ se ka taa mɔgɔ minnu fɛ yan",
			Footer: []string{
				"Kunnafoni bɔyɔrɔw: Protocole de Palerme (Nations Unies, 2000); OIT ka baara diyagoyalen taamasyɛn 11; Mali: sariya nimɔrɔ 2012-023, zuluye kalo tile 12, san 2012, mɔgɔ feereli ni a ɲɔgɔn kɛwalew kɛlɛli kan.",
				"Projet Kalan · CC BY 4.0: i bɛ se k'a jɛnsɛn, ni i y'a bɔyɔrɔ fɔ.",
				"Nin bamanankan sɛbɛn ye sɛbɛn fɔlɔ ye; bamanankan fɔbaga ma a lajɛ fɔlɔ. · Brouillon : relecture par un locuteur natif en attente.",
			},
		},
	}
}

func leaflets() []leaflet {
	return []leaflet{{
		File:         "leaflet.fr.pdf",
		Lang:         "fr",
		Title:        "Traite des personnes : les signes et que faire",
		Subject:      "Les signes de la traite des personnes et que faire",
		Kicker:       "KALAN · SENSIBILISATION",
		WhatHeading:  "Qu'est-ce que la traite ?",
		What:         "Prendre une personne par la tromperie, la menace ou la force, pour l'exploiter et en tirer profit. Pour un enfant, pas besoin de menace ni de tromperie.",
		AtRisk:       "Femmes et hommes, adultes et enfants : tous peuvent en être victimes.",
		SignsHeading: "Les signes",
		Signs: []string{
			"Une offre d'emploi trop belle pour être vraie.",
			"Quelqu'un d'autre garde ses papiers.",
			"Salaire jamais payé, dette qui ne finit jamais.",
			"Travail sans fin, sans repos.",
			"Ne pas pouvoir aller et venir, ni joindre sa famille.",
			"Peur, menaces, traces de violences.",
		},
		TodoHeading: "Que faire ?",
		Todo: []string{
			"N'agissez pas seul.",
			"Parlez-en à une personne de confiance.",
			"La sécurité d'abord ; l'intérêt supérieur de l'enfant.",
			"Orientez par le circuit local de référencement.",
		},
		FillLabel: "Notre circuit local de référencement :",
		Footer: []string{
			"Mali : loi n° 2012-023 du 12 juillet 2012 relative à la lutte contre la traite des personnes et les pratiques assimilées.",
			"Projet Kalan · Licence CC BY 4.0 : reproduisez et partagez librement, en citant la source.",
		},
	}, {
		File:         "leaflet.bm.pdf",
		Lang:         "bm",
		Title:        "Mɔgɔ feereli: a taamasyɛnw ani min ka kan ka kɛ",
		Subject:      "Mɔgɔ feereli taamasyɛnw ani min ka kan ka kɛ",
		Kicker:       "KALAN · KUNNAFONI",
		WhatHeading:  "Mɔgɔ feereli ye mun ye?",
		What:         "Ka mɔgɔ ta ni nkalon, lasiranni walima fanga ye, walasa ka nafa sɔrɔ a la a tɔɔrɔli fɛ. Denmisɛn ta la, lasiranni walima nkalon tɛ wajibi ye.",
		AtRisk:       "Musow ni cɛw, mɔgɔbaw ni denmisɛnw: bɛɛ bɛ se ka feere.",
		SignsHeading: "Taamasyɛnw",
		Signs: []string{
			"Baara layidu min ka ɲi kojugu ka kɛ tiɲɛ ye.",
			"Mɔgɔ wɛrɛ de b'a ka sɛbɛnw mara.",
			"Sara tɛ di, juru tɛ ban abada.",
			"Baara waati ka jan kojugu, lafiɲɛ tɛ.",
			"A tɛ se ka taa ka na a sago la, wa a tɛ se ka kuma a ka denbaya fɛ.",
			"Siran, lasiranni, binkanni taamasyɛnw.",
		},
		TodoHeading: "Mun ka kan ka kɛ?",
		Todo: []string{
			"Kana a kɛ i kelen na.",
			"Kuma mɔgɔ fɛ i dalen bɛ min na.",
			"Mɔgɔ in ka lakanani de fɔlɔ; denmisɛn ka nafa de bɛ fɔlɔ.",
			"A bila sigida bilasira fɛ, i ka sigida baarada kɛrɛnkɛrɛnnenw ma.",
		},
		FillLabel: "An ka sigida bilasira:",
		Footer: []string{
			"Mali: sariya nimɔrɔ 2012-023, zuluye kalo tile 12, san 2012, mɔgɔ feereli ni a ɲɔgɔn kɛwalew kɛlɛli kan.",
			"Projet Kalan · CC BY 4.0: i bɛ se k'a jɛnsɛn, ni i y'a bɔyɔrɔ fɔ.",
			"Sɛbɛn fɔlɔ; bamanankan fɔbaga ma a lajɛ fɔlɔ. · Brouillon : relecture par un locuteur natif en attente.",
		},
	}}
}

func spots() []spot {
	return []spot{
		{
			File:           "awareness-spot.fr.ogg",
			Lang:           "fr",
			Title:          "Traite des personnes : parlez-en",
			Voice:          "fr",
			WordsPerMinute: 150,
			Serial:         2012023,
			Text: `Un message du projet Kalan.
La traite des personnes, c'est recruter ou déplacer quelqu'un par la tromperie, la menace ou la force, pour l'exploiter.
Femmes et hommes, adultes et enfants : tout le monde peut en être victime.
Attention : une offre d'emploi trop belle pour être vraie est un signal d'alerte.
Quelqu'un qui garde vos papiers d'identité, aussi.
Si vous avez un doute, pour vous ou pour un proche, n'agissez pas seul :
parlez-en à une personne de confiance, ou aux services de votre localité.`,
		},
		{
			File:           "awareness-spot.en.ogg",
			Lang:           "en",
			Title:          "Human trafficking: speak up",
			Voice:          "en",
			WordsPerMinute: 150,
			Serial:         2012024,
			Text: `A message from the Kalan project.
Human trafficking means recruiting or moving someone by deception, threats or force, in order to exploit them.
Women and men, adults and children can all be trafficked.
Be careful: a job offer that seems too good to be true is a warning sign.
So is someone who keeps your identity papers.
If you have a doubt, for yourself or someone close to you, do not act alone:
talk to someone you trust, or to the local services.`,
		},
	}
}
