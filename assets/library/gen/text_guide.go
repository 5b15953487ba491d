package main

// The facilitator guide: one village session of about 80 minutes built
// on the pictogram poster, the audio spot and the leaflet. Every fact in
// it comes from the curriculum notes (the Palermo Protocol's definition,
// Law No. 2012-023, the principles of a front-line responder, the limits
// of confidentiality); the advice on running the session follows the
// course lesson on talking with communities. It names no organisation,
// service, person or phone number: the local referral pathway is the one
// the facilitator writes on the poster, and when none can be reached the
// guide names kinds of services only.

func guides() []guide {
	return []guide{guideFR(), guideBM()}
}

func guideFR() guide {
	return guide{
		File:     "facilitator-guide.fr.pdf",
		Lang:     "fr",
		Title:    "Guide de l'animateur : une séance au village sur la traite des personnes",
		Subject:  "Plan d'une séance de sensibilisation de 60 à 90 minutes, ce qu'il ne faut jamais faire, comment orienter, que faire quand quelqu'un se confie",
		Kicker:   "KALAN · GUIDE DE L'ANIMATEUR",
		Running:  "Kalan · Guide de l'animateur : une séance au village sur la traite des personnes",
		MaxPages: 4,
		Intro: "Ce guide propose une séance d'environ 80 minutes (de 60 à 90 selon les échanges) pour une réunion de village. " +
			"Elle s'appuie sur trois supports de la bibliothèque Kalan : l'affiche en pictogrammes (les signes, ce qu'il faut faire et ne pas faire), " +
			"le spot audio et le dépliant. Elle ne demande pas de réseau, seulement un téléphone chargé pour le spot. " +
			"Le but n'est pas de trouver des victimes pendant la séance, mais que chacun sache reconnaître les signes et à qui s'adresser, " +
			"sans se mettre ni mettre personne en danger.",
		Blocks: []any{
			gHeading("Avant la séance"),
			gBullets{
				"Remplissez à la main le cadre « Notre circuit local de référencement » de l'affiche : qui, près d'ici, reçoit et aide une personne en danger, et comment le joindre. Vérifiez que ces contacts sont à jour.",
				"Imprimez l'affiche (en plus grand si vous pouvez) et quelques dépliants pour ceux qui lisent.",
				"Chargez le téléphone, copiez-y le spot audio et écoutez-le une fois. Le spot existe en français et en anglais : devant un groupe qui parle bambara ou une autre langue, prévoyez de le résumer dans sa langue.",
				"Venez à deux si possible : l'un anime, l'autre observe le groupe et reste disponible après la séance pour écouter quelqu'un à l'écart.",
				"Choisissez un lieu et une heure où les anciens, les femmes et les jeunes peuvent venir et parler librement.",
				"Relisez la leçon « Les premiers gestes » du cours « Détecter la traite des personnes : les bases ».",
			},
			gHeading("Déroulé de la séance"),
			gStep{Time: "0–10", Unit: "min", Title: "Accueil et règle de la séance", Parts: []gPart{
				{Label: "Dites", Text: "« Merci d'être venus. Nous allons parler d'un danger qui peut toucher n'importe quelle famille : la traite des personnes. Une règle pour tous : ici, on ne dit le nom de personne, ni d'une victime, ni de quelqu'un qu'on soupçonne. Si vous voulez parler d'une situation, venez me voir après, seul à seul. »"},
				{Label: "Demandez", Items: []string{
					"Quand quelqu'un part travailler loin de chez lui, qu'est-ce qui peut bien se passer ? Et mal se passer ?",
				}},
			}},
			gStep{Time: "10–20", Unit: "min", Title: "Qu'est-ce que la traite ?", Parts: []gPart{
				{Label: "Dites", Text: "« La traite, c'est recruter, transporter, héberger ou accueillir une personne par la menace, la force, l'enlèvement, la tromperie, l'abus de pouvoir ou de sa vulnérabilité, ou en donnant ou recevant de l'argent ou des avantages pour obtenir l'accord de celui qui a autorité sur elle, afin de l'exploiter : travail forcé, exploitation sexuelle, esclavage, servitude. Femmes et hommes, adultes et enfants peuvent en être victimes. Pour un enfant, pas besoin de menace ni de tromperie : le recruter ou le déplacer pour l'exploiter suffit. Et quand une personne a été trompée ou forcée, son accord ne compte pas. Au Mali, la loi n° 2012-023 du 12 juillet 2012 lutte contre la traite des personnes. »"},
				{Label: "Demandez", Items: []string{
					"Pourquoi une personne accepte-t-elle une offre de travail loin de chez elle ?",
					"Pourquoi la traite peut-elle aussi se passer près de chez soi, sans passer de frontière ?",
				}},
			}},
			gStep{Time: "20–25", Unit: "min", Title: "Le spot audio", Parts: []gPart{
				{Label: "Faites", Text: "Faites écouter le spot (environ 35 secondes), deux fois si besoin ; résumez-le dans la langue du groupe."},
				{Label: "Demandez", Items: []string{
					"Qu'avez-vous entendu ? Qui peut être victime ? (Tout le monde : femmes et hommes, adultes et enfants.)",
					"Quels signes d'alerte le message cite-t-il ? (Une offre d'emploi trop belle pour être vraie ; quelqu'un qui garde vos papiers.)",
					"Que conseille-t-il de faire ? (Ne pas agir seul ; en parler à une personne de confiance ou aux services locaux.)",
				}},
			}},
			gStep{Time: "25–45", Unit: "min", Title: "Les signes, avec l'affiche", Parts: []gPart{
				{Label: "Faites", Text: "Montrez les pictogrammes « Signes d'alerte » un par un. Laissez d'abord le groupe dire ce qu'il voit, puis expliquez le signe : les papiers gardés par un autre, ne pas pouvoir sortir ni partir, le travail jour et nuit, la dette qui ne finit jamais, l'enfant au travail et pas à l'école, l'offre trop belle et le travail au loin, les menaces, le salaire jamais payé."},
				{Label: "Dites", Text: "« Un signe seul ne prouve rien. Plusieurs signes ensemble : il faut en parler, sans agir seul. »"},
				{Label: "Demandez", Items: []string{
					"Que voyez-vous sur cette image ? Pourquoi est-ce un signe d'alerte ?",
				}},
			}},
			gStep{Time: "45–65", Unit: "min", Title: "Une histoire à discuter", Parts: []gPart{
				{Label: "Lisez", Text: "« Une jeune fille de quinze ans quitte le village avec une femme qui promet à ses parents un travail bien payé en ville, et l'école. En ville, elle fait le ménage du matin au soir, sans repos. Elle ne va pas à l'école. La femme garde son acte de naissance et dit que la famille lui doit l'argent du voyage. La jeune fille n'a pas le droit de téléphoner à ses parents. »"},
				{Label: "Demandez", Items: []string{
					"Quels signes voyez-vous ? Montrez-les sur l'affiche. (La promesse trompeuse, le travail sans repos, pas d'école, les papiers gardés, la dette, pas de contact avec la famille.)",
					"Est-ce de la traite ? (Oui : c'est une enfant, recrutée et déplacée pour être exploitée ; pour un enfant, cela suffit.)",
					"Qu'aurait pu demander la famille avant le départ ? (Qui garde ses papiers et son argent, comment la joindre, si elle peut revenir quand elle le veut.)",
					"Si vous appreniez cela, que feriez-vous ? Que ne feriez-vous pas ?",
				}},
				{Label: "S'il reste du temps", Text: "« Un homme part travailler sur un site d'orpaillage. Le patron retient son salaire pour rembourser le transport et la nourriture ; la dette grandit chaque mois, et il n'a pas le droit de partir. » Demandez les signes (salaire retenu, dette sans fin, pas libre de partir) et rappelez que les adultes, hommes et femmes, peuvent eux aussi être victimes."},
			}},
			gStep{Time: "65–75", Unit: "min", Title: "Que faire, que ne pas faire", Parts: []gPart{
				{Label: "Faites", Text: "Montrez les cases « À faire » et « À ne pas faire » de l'affiche, puis le cadre du circuit local : lisez à voix haute ce que vous y avez écrit."},
				{Label: "Dites", Text: "« Si vous avez un doute : parlez-en à une personne de confiance, n'agissez pas seul, orientez par le circuit local. La sécurité de la personne d'abord. N'allez pas affronter celui que vous soupçonnez, ne prenez pas de photo, ne répétez pas l'histoire de la personne : cela peut la mettre en danger. »"},
				{Label: "Demandez", Items: []string{
					"À qui, ici, peut-on parler en confiance ?",
					"Pourquoi est-il dangereux d'aller affronter quelqu'un qu'on soupçonne ?",
				}},
			}},
			gStep{Time: "75–80", Unit: "min", Title: "Clôture", Parts: []gPart{
				{Label: "Dites", Text: "« Retenez trois choses : les signes, ne pas agir seul, le circuit local. Je reste encore un moment si quelqu'un veut me parler seul à seul. »"},
				{Label: "Faites", Text: "Laissez l'affiche là où tous peuvent la voir si le lieu s'y prête, donnez les dépliants à ceux qui lisent, remerciez le groupe."},
			}},
			gBox{Title: "Ce qu'il ne faut jamais faire", Items: []string{
				"Dire en public le nom d'une victime ou d'une personne soupçonnée, ou raconter un cas que l'on pourrait reconnaître.",
				"Aller affronter la personne soupçonnée, seul ou en groupe.",
				"Promettre ce que vous ne pouvez pas tenir : « je vais la faire revenir », « personne ne le saura jamais ».",
				"Prendre des photos, filmer ou enregistrer une personne qui pourrait être victime.",
				"Interroger un enfant comme le ferait un enquêteur, ou le faire parler devant d'autres.",
				"Agir seul.",
			}},
			gHeading("Orienter"),
			gPara("Orientez par le circuit local de référencement que vous avez écrit sur l'affiche, avec l'accord de la personne ; pour un enfant, son intérêt supérieur passe avant tout."),
			gPara("Si personne du circuit local n'est joignable, passez par une personne de confiance pour contacter le service le plus proche : le service de protection de l'enfant ou du développement social, une unité de police ou de gendarmerie, ou un centre de santé."),
			gBullets{
				"Une vie en danger, une personne blessée ou malade : la sécurité et les soins d'abord, avant toute question.",
				"Notez des faits, pas des opinions : ce que vous avez vu et entendu, la date, le lieu, les mots de la personne. Gardez ces notes en lieu sûr.",
				"Ne partagez ce que vous savez qu'avec ceux qui en ont besoin pour protéger la personne.",
			},
			gHeading("Si quelqu'un se confie après la séance"),
			gBullets{
				"Écoutez à l'écart, dans un endroit calme et sûr, sans presser la personne de tout raconter.",
				"Avant qu'elle ne parle, dites honnêtement ce que vous ne pourrez pas garder secret : un enfant en danger, un risque immédiat pour une vie. Ne promettez jamais le secret.",
				"Écoutez et croyez : ne jugez pas, prenez au sérieux ce qu'elle dit, ne posez pas de questions d'enquêteur.",
				"Demandez son accord : expliquez ce qui peut se passer ensuite et ne faites rien sans son accord.",
				"Un enfant : son intérêt supérieur passe avant tout. Son avis compte, mais un enfant en danger doit être signalé même s'il préfère qu'on se taise : expliquez-lui pourquoi, et orientez-le vers les services spécialisés.",
				"Confidentialité : ne répétez rien, sauf à ceux qui doivent protéger la personne. Puis orientez, comme ci-dessus, sans agir seul.",
			},
		},
		Footer: []string{
			"D'après les principes d'intervention de première ligne du cours Kalan « Détecter la traite des personnes : les bases », le Protocole de Palerme (Nations Unies, 2000) et, au Mali, la loi n° 2012-023 du 12 juillet 2012.",
			"Projet Kalan · Licence CC BY 4.0 : reproduisez et partagez librement, en citant la source.",
		},
	}
}

func guideBM() guide {
	return guide{
		File:     "facilitator-guide.bm.pdf",
		Lang:     "bm",
		Title:    "Ɲɛminɛbaga ka gafe: dugu kɔnɔ lajɛ kelen mɔgɔ feereli kan",
		Subject:  "Kunnafoni lajɛ min bɛ miniti 60 ka se 90 ma, fɛn minnu man kan ka kɛ abada, bilasira, ni mɔgɔ dɔ y'a ka ko fɔ i ye",
		Kicker:   "KALAN · ƝƐMINƐBAGA KA GAFE",
		Running:  "Kalan · Ɲɛminɛbaga ka gafe: dugu kɔnɔ lajɛ kelen mɔgɔ feereli kan",
		MaxPages: 4,
		Intro: "Nin gafe bɛ lajɛ kelen ɲɛfɔ dugu kɔnɔ, a bɛ miniti 80 ɲɔgɔn ta (miniti 60 ka se 90 ma, ka kɛɲɛ ni baro ye). " +
			"A bɛ baara kɛ ni Kalan ka fɛn saba ye: afisi jaw ye (taamasyɛnw, min ka kan ka kɛ ani min man kan ka kɛ), " +
			"kunnafoni kumalen ani sɛbɛnnin. Ɛntɛrinɛti mago t'a la, telefɔni min sarali kɛra, o dɔrɔn de ka kan. " +
			"Lajɛ kun tɛ ka tɔɔrɔbagatɔw ɲini lajɛ waati la: a kun ye ka mɔgɔ bɛɛ dɛmɛ u ka taamasyɛnw dɔn, ani u ka kan ka taa mɔgɔ minnu fɛ, " +
			"k'a sɔrɔ u ma u yɛrɛ walima mɔgɔ wɛrɛ bila farati la.",
		Blocks: []any{
			gHeading("Sani lajɛ ka kɛ"),
			gBullets{
				"Afisi kan, « An ka sigida bilasira » yɔrɔ fa i bolo la: jɔn bɛ mɔgɔ min bɛ farati la minɛ ka dɛmɛ yan kɛrɛfɛ, ani a bɛ sɔrɔ cogo min na. A lajɛ ko o kunnafoniw ye kura ye.",
				"Afisi gɛlɛya (a bonya ni i bɛ se) ani sɛbɛnnin dɔw, minnu bɛ se ka kalan olu ye.",
				"Telefɔni sara, kunnafoni kumalen bila a la ka a lamɛn siɲɛ kelen. A bɛ faransikan ni angilɛkan na dɔrɔn: ni jɛkulu bɛ bamanankan walima kan wɛrɛ fɔ, a kɔrɔ fɔ u ye u ka kan na.",
				"Ni a bɛ se ka kɛ, aw ka taa mɔgɔ fila ye: kelen bɛ lajɛ ɲɛminɛ, dɔ kelen bɛ jɛkulu lajɛ, ka to yen lajɛ kɔfɛ walasa ka mɔgɔ lamɛn a kelen na.",
				"Yɔrɔ ni waati sugandi, cɛkɔrɔbaw, musow ani kamalenninw bɛ se ka na ka kuma hɔrɔnya la min na.",
				"Kalan « Mɔgɔ feereli dɔncogo: a jusigilanw » ka kalansen « fɛn fɔlɔw » kalan tugun.",
			},
			gHeading("Lajɛ taabolo"),
			gStep{Time: "0–10", Unit: "min", Title: "Bisimilali ani lajɛ sariya", Parts: []gPart{
				{Label: "A fɔ", Text: "« Aw ni ce nali la. An bɛna kuma farati dɔ kan min bɛ se ka denbaya o denbaya sɔrɔ: mɔgɔ feereli. Sariya kelen bɛ an bɛɛ kan: yan, mɔgɔ si tɔgɔ tɛna fɔ, tɔɔrɔlen tɔgɔ tɛ, mɔgɔ min sigasigalen don tɔgɔ tɛ. Ni i b'a fɛ ka ko dɔ fɔ, na ne fɛ lajɛ kɔfɛ, an fila dɔrɔn. »"},
				{Label: "A ɲininka", Items: []string{
					"Ni mɔgɔ dɔ taara baara kɛ yɔrɔ jan, mun bɛ se ka ɲɛ? Mun bɛ se ka tiɲɛ?",
				}},
			}},
			gStep{Time: "10–20", Unit: "min", Title: "Mɔgɔ feereli ye mun ye?", Parts: []gPart{
				{Label: "A fɔ", Text: "« Mɔgɔ feereli ye ka mɔgɔ ɲini k'a ta, ka taa n'a ye, k'a jigin walima k'a minɛ, ni lasiranni, fanga, nanbara walima a ka dɛsɛ ye, walima ka wari di mɔgɔ ma min bɛ a kun na walasa o ka sɔn, walasa k'a tɔɔrɔ: baara diyagoyalen, cɛnimusoya tɔɔrɔli, jɔnya. Musow ni cɛw, mɔgɔ minnu ye san 18 sɔrɔ ani denmisɛnw, bɛɛ bɛ se ka feere. Denmisɛn ta la, lasiranni walima nanbara tɛ wajibi ye: k'a ta walasa k'a tɔɔrɔ, o bɛ wasa. Ni nkalon walima diyagoya kɛra, mɔgɔ in ka sɔnni tɛ foyi yɛlɛma. Mali la, sariya nimɔrɔ 2012-023, zuluye kalo tile 12, san 2012, bɛ mɔgɔ feereli kɛlɛ. »"},
				{Label: "A ɲininka", Items: []string{
					"Mun na mɔgɔ bɛ sɔn baara layidu ma min bɛ yɔrɔ jan?",
					"Mun na mɔgɔ feereli bɛ se ka kɛ yan kɛrɛfɛ, k'a sɔrɔ dancɛ ma tigɛ?",
				}},
			}},
			gStep{Time: "20–25", Unit: "min", Title: "Kunnafoni kumalen", Parts: []gPart{
				{Label: "A kɛ", Text: "Kunnafoni kumalen (sekondi 35 ɲɔgɔn) lamɛn jɛkulu la, siɲɛ fila ni a mago bɛ; a kɔrɔ fɔ u ye u ka kan na."},
				{Label: "A ɲininka", Items: []string{
					"Aw ye mun mɛn? Jɔn bɛ se ka feere? (Mɔgɔ bɛɛ: musow ni cɛw, mɔgɔbaw ni denmisɛnw.)",
					"Kunnafoni ye taamasyɛn jumɛnw fɔ? (Baara layidu min ka ɲi kojugu ka kɛ tiɲɛ ye; mɔgɔ min bɛ i ka sɛbɛnw mara.)",
					"A ko an ka mun kɛ? (Kana a kɛ i kelen na; kuma mɔgɔ fɛ i dalen bɛ min na walima sigida baaradaw fɛ.)",
				}},
			}},
			gStep{Time: "25–45", Unit: "min", Title: "Taamasyɛnw, ni afisi ye", Parts: []gPart{
				{Label: "A kɛ", Text: "« Taamasyɛnw » jaw jira kelen kelen. Jɛkulu ka a fɔ fɔlɔ u bɛ min ye, o kɔ, taamasyɛn ɲɛfɔ: mɔgɔ wɛrɛ b'a ka sɛbɛnw mara, a tɛ se ka bɔ ka taa, baara su ni tile, juru min tɛ ban, denmisɛn bɛ baara lakɔli nɔ na, layidu ka ɲi kojugu ani baara yɔrɔ jan, lasiranni, sara tɛ di abada."},
				{Label: "A fɔ", Text: "« Taamasyɛn kelen tɛ dalilu ye. Ni taamasyɛn caman bɛ yen ɲɔgɔn fɛ: a fɔ, kana a kɛ i kelen na. »"},
				{Label: "A ɲininka", Items: []string{
					"Aw bɛ mun ye nin ja in na? Mun na o ye taamasyɛn ye?",
				}},
			}},
			gStep{Time: "45–65", Unit: "min", Title: "Maana kelen ka baro kɛ a kan", Parts: []gPart{
				{Label: "A kalan", Text: "« Sunguru dɔ si ye san 15 ye. A bɔra dugu la ni muso dɔ ye, min ye layidu ta a bangebagaw ye ko baara sara ka ca duguba la, ani lakɔli. Duguba la, a bɛ so baara kɛ sɔgɔma fo su, lafiɲɛ tɛ. A tɛ taa lakɔli la. Muso b'a ka bangesɛbɛn mara, ko denbaya ye taama wari juru ta a fɛ. U tɛ sunguru to a ka telefɔni kɛ a bangebagaw ma. »"},
				{Label: "A ɲininka", Items: []string{
					"Aw bɛ taamasyɛn jumɛnw ye? U jira afisi kan. (Layidu nkalonma, baara lafiɲɛ tɛ, lakɔli tɛ, sɛbɛn marali, juru, kuma tɛ se ka kɛ ni denbaya ye.)",
					"Mɔgɔ feereli don wa? (Ɔwɔ: denmisɛn don, u y'a ta ka taa n'a ye walasa k'a tɔɔrɔ; denmisɛn ta la, o bɛ wasa.)",
					"Denbaya tun bɛ se ka mun ɲininka sani a ka taa? (Jɔn bɛna a ka sɛbɛnw n'a ka wari mara, u bɛ se k'a sɔrɔ cogo min na, yala a bɛ se ka segin a sago la wa.)",
					"Ni aw ye o dɔn, aw tun bɛna mun kɛ? Aw tun tɛna mun kɛ?",
				}},
				{Label: "Ni waati to yen", Text: "« Cɛ dɔ taara baara kɛ sanu ɲiniyɔrɔ la. Baarakuntigi b'a ka sara mara ko taama ni dumuni juru bɛ a kan; juru bɛ bonya kalo o kalo, u t'a to a ka taa. » Taamasyɛnw ɲininka (sara marali, juru min tɛ ban, a tɛ se ka taa a sago la), ka a fɔ ko mɔgɔ minnu ye san 18 sɔrɔ, cɛw ni musow, olu fana bɛ se ka feere."},
			}},
			gStep{Time: "65–75", Unit: "min", Title: "Min ka kan ka kɛ, min man kan ka kɛ", Parts: []gPart{
				{Label: "A kɛ", Text: "Afisi kan, « Min ka kan ka kɛ » ni « Min man kan ka kɛ » jira, o kɔ sigida bilasira yɔrɔ: i ye min sɛbɛn yen, o kalan kosɛbɛ."},
				{Label: "A fɔ", Text: "« Ni sigasiga b'i la: kuma mɔgɔ fɛ i dalen bɛ min na, kana a kɛ i kelen na, a bila sigida bilasira fɛ. Mɔgɔ in ka lakanani de fɔlɔ. Kana taa kɛlɛ kɛ ni mɔgɔ ye i sigasigalen bɛ min na, kana ja ta, kana mɔgɔ in ka ko jɛnsɛn: o bɛ se k'a bila farati la. »"},
				{Label: "A ɲininka", Items: []string{
					"Yan, an bɛ se ka kuma jɔn fɛ ni dannaya ye?",
					"Mun na a ka farati ka taa kɛlɛ kɛ ni mɔgɔ ye i sigasigalen bɛ min na?",
				}},
			}},
			gStep{Time: "75–80", Unit: "min", Title: "Lajɛ laban", Parts: []gPart{
				{Label: "A fɔ", Text: "« Fɛn saba mara: taamasyɛnw, kana a kɛ i kelen na, sigida bilasira. Ne bɛ to yan waati dɔ, ni mɔgɔ dɔ b'a fɛ ka kuma ne fɛ an fila dɔrɔn. »"},
				{Label: "A kɛ", Text: "Ni yɔrɔ bɛnnen don, afisi to yen mɔgɔ bɛɛ ka se k'a ye, sɛbɛnnin di minnu bɛ se ka kalan, i ni ce fɔ jɛkulu ye."},
			}},
			gBox{Title: "Fɛn minnu man kan ka kɛ abada", Items: []string{
				"Ka tɔɔrɔlen tɔgɔ walima mɔgɔ sigasigalen tɔgɔ fɔ jama ɲɛ kɔrɔ, walima ka ko dɔ fɔ mɔgɔw bɛ se ka min dɔn.",
				"Ka taa kɛlɛ kɛ ni mɔgɔ sigasigalen ye, i kelen walima jɛkulu la.",
				"Ka layidu ta i tɛ se ka min dafa: « ne bɛna a segin », « mɔgɔ si tɛna a dɔn abada ».",
				"Ka ja ta, ka filimu ta walima ka mɔgɔ kan minɛ, ni a bɛ se ka kɛ tɔɔrɔlen ye.",
				"Ka denmisɛn ɲininka i n'a fɔ ɲininkalikɛla, walima k'a kumaya mɔgɔ wɛrɛw ɲɛ kɔrɔ.",
				"Ka a kɛ i kelen na.",
			}},
			gHeading("Bilasira"),
			gPara("Mɔgɔ in bila sigida bilasira fɛ, i ye min sɛbɛn afisi kan, a ka sɔnni kɔfɛ; denmisɛn ta la, denmisɛn ka nafa de bɛ fɔlɔ."),
			gPara("Ni sigida bilasira mɔgɔ si tɛ sɔrɔ, i dalen bɛ mɔgɔ min na, o ka i dɛmɛ ka baarada min ka surun i la sɔrɔ: denmisɛnw lakanani walima sigida ɲɛtaa baarada, polisi walima zandarameri, walima dɔgɔtɔrɔso."),
			gBullets{
				"Ni mɔgɔ ka ɲɛnamaya bɛ farati la, walima a jogindira, walima a man kɛnɛ: lakanani ni furakɛli de fɔlɔ, sani ɲininkali si ka kɛ.",
				"Ko kɛlenw sɛbɛn, i hakilina tɛ: i ye min ye ani i ye min mɛn, don, yɔrɔ, mɔgɔ in yɛrɛ ka kumaw. O sɛbɛnw mara yɔrɔ lakananen na.",
				"I ye min dɔn, i kana o fɔ mɔgɔ si ye, fo mɔgɔ minnu mago b'a la walasa ka mɔgɔ in lakana.",
			},
			gHeading("Ni mɔgɔ dɔ y'a ka ko fɔ i ye lajɛ kɔfɛ"),
			gBullets{
				"A lamɛn yɔrɔ danma, yɔrɔ lafiyalen ani lakananen na, i kana a degun a ka ko bɛɛ fɔ.",
				"Sani a ka kuma, a fɔ a ye tiɲɛ na i tɛna se ka min dogo: denmisɛn min bɛ farati la, farati min bɛ mɔgɔ ka ɲɛnamaya kan sisan. Kana gundo layidu ta abada.",
				"A lamɛn, ka da a la: i kana kiri tigɛ, a ka kumaw jate, kana a ɲininka i n'a fɔ ɲininkalikɛla.",
				"A ka sɔnni ɲini: min bɛ se ka kɛ o kɔfɛ, o ɲɛfɔ a ye, kana foyi kɛ a ka sɔnni kɔ.",
				"Denmisɛn ta la: denmisɛn ka nafa de bɛ fɔlɔ. A hakilina nafa ka bon, nka denmisɛn min bɛ farati la, o ka kan ka fɔ hali ni a b'a fɛ a ka to gundo la: o kun ɲɛfɔ a ye, ka a bila baarada kɛrɛnkɛrɛnnenw ma.",
				"Gundo marali: kana foyi fɔ, fo mɔgɔ minnu ka kan ka mɔgɔ in lakana. O kɔ, a bila sigida bilasira fɛ i n'a fɔ a sɛbɛnna san fɛ cogo min na, kana a kɛ i kelen na.",
			},
		},
		Footer: []string{
			"Kalan « Mɔgɔ feereli dɔncogo: a jusigilanw » ka sinsinbere, Protocole de Palerme (Nations Unies, 2000) ani Mali: sariya nimɔrɔ 2012-023, zuluye kalo tile 12, san 2012.",
			"Projet Kalan · CC BY 4.0: i bɛ se k'a jɛnsɛn, ni i y'a bɔyɔrɔ fɔ.",
			"Nin bamanankan sɛbɛn ye sɛbɛn fɔlɔ ye; bamanankan fɔbaga ma a lajɛ fɔlɔ. · Brouillon : relecture par un locuteur natif en attente.",
		},
	}
}
