"""The words by which statutes create offences and state their parts (English, French, Spanish).

Kept apart from :mod:`lexalign.frames` so that a lawyer can read the vocabulary on its own: each
table maps a legal concept of the Protocol (an act, a means, a purpose) to the drafting that
expresses it, modern and historical ("procure, entice or lead away", "immoral purposes", "traite
des blanches", "lenocinio").  Patterns are matched on lower-cased text with folded apostrophes.
"""
from __future__ import annotations

import re

from .lexical import compile_wording

# A provision creates an offence when it attaches a penalty or calls the conduct an offence.
OFFENCE_CREATING = compile_wording(
    r"(shall be guilty of (?:an? )?(?:indictable )?offen[cs]e|is guilty of (?:an? )?(?:indictable )?offen[cs]e|"
    r"(?:shall be|is) guilty of (?:the |a )?crime|convicted of [^.;]{0,80}\bliable (?:to|on)\b|"
    r"commits? (?:an|the) offen[cs]e|commits? the crime|is liable,? (?:on|upon) (?:summary )?conviction|"
    r"shall,? (?:on|upon) (?:summary )?conviction,? be (?:liable|punished|sentenced)|"
    r"shall be (?:liable|punished|punishable|sentenced) (?:to|with|by)|(?:is|are) punishable (?:by|with)|shall be punished|"
    r"est puni|sont punis|sera puni|seront punis|commet (?:une|l.)infraction|(?:se rend|est) coupable|"
    r"constitue (?:l.infraction|le crime|le délit)|será (?:castigad|penad|reprimid|sancionad)|serán (?:castigad|penad|reprimid|sancionad)|"
    r"se (?:le )?impondrá|se (?:les )?impondrán|incurrirá en|comete (?:el )?delito|guilty of (?:a |an )?(?:felony|misdemeanou?r|class))")

# conduct the statute itself calls trafficking (the offence's own name)
TRAFFICKING_CONDUCT = compile_wording(
    r"(\btraffics?\b|\btrafficks?\b|traffick(?:ing|ed)|\btraffic in\b|"
    r"\btraite (?:des|d.|de) (?:personnes|êtres|blanches|femmes|enfants)|\btraite\b|\btrafic (?:des|de|d.) (?:personnes|enfants|femmes)|"
    r"\btrata de (?:personas|seres|blancas|mujeres|menores)|\btrata\b|\bslave[- ]traffic|white slave)")

# historical vocabulary: procuring women and children for prostitution ("immoral purposes")
OLD_STYLE_CONDUCT = compile_wording(
    r"(\bprocur(?:e|es|ed|ing|ation)\b|\bentic(?:e|es|ed|ing)\b|\blead(?:s)? away|\bled away|\binduc(?:e|es|ed|ing)\b|"
    r"\bdecoy|\bimport(?:s|ed|ing)?\b|\bbrings? (?:or (?:attempts|causes) to bring )?|\bdetains?\b|\bproxén[eè]t|"
    r"\bembauche|\bentraîne|\bdétourne|\blenocinio|\bproxenet|\bpromueva|\bfacilit(?:e|are|a)\b)")
HISTORICAL_NAME = compile_wording(r"(traffic in women|white slave|traite des (?:blanches|femmes)|trata de (?:blancas|mujeres)|"
                             r"immoral traffic|lenocinio|proxénétisme)")
IMMORAL_PURPOSE = compile_wording(
    r"(prostitut\w*|immoral (?:purpose|traffic)|brothel|débauche|proxénétisme|prostitución|lenocinio|corrupción|"
    r"illicit intercourse|sexual intercourse|white slave|traite des blanches|trata de blancas)")

ACTS: dict[str, str] = {
    "recruitment": r"(\brecruit\w*|\brecrut\w*|\bcapt(?:a|e|ó|an|en|ar|are|aren|ara|ación|aciones)\b|\benlist\w*|\bhir(?:es|ed|ing)\b|\bhire (?:a|any|another) person|"
                   r"\bprocur(?:e|es|ed|ing)\b|\bentic(?:e|es|ed|ing)\b|\binduc(?:e|es|ed|ing)\b|\bembauch\w*|\benrôl\w*|"
                   r"\bobtains?\b|\bpromovi(?:ere|eren|era|ó)\b|\blead(?:s)? away|\bled away|\bdecoy\w*)",
    "transportation": r"(\btransport(?:s|ed|ing|ation|e|er|é|ée|ent|ant|are|aren|ar|ación|ados?)?\b|\bconvey\w*|\btakes? (?:away|out|to|from)|"
                      r"\bbrings?\b|\bbrought\b|\bmoving\b|facilit\w+ (?:la )?(?:entrada|salida|ingreso|egreso)|\bmoves? (?:a|any|another|the) (?:person|child|wom[ae]n|girl)|\bimport(?:s|ed|ing)?\b|\bachemin\w*|\btraslad\w*|\bconduc(?:e|en|ir|iere)\b|\bdéplacement\w*|\bdesplazamiento)",
    "transfer": r"(\btransfer(?:s|red|ring|ing)?\b|\btransf[eèé]r\w*|\btransferencia|\bsell(?:s|ing)?\b|\bsold\b|\bsale of (?:a )?(?:person|child|wom)|"
                r"\bprovides? (?:another|a|any) (?:person|child|wom[ae]n|girl)\b|\bprovid(?:es?|ing),? or obtain|\bbuy(?:s|ing)?\b|\bbought\b|\bpurchas\w*|\bexchang\w*|\bhands? over|\bcède\w*|\bvend(?:re|u|ent|e)\b|\bachète\w*|"
                r"\bentreg(?:a|ue|are|aren)\b|\bvend(?:a|iere|e)\b|\bcompr(?:a|e|are)\b|\bintercambi\w*|\btraslad\w*)",
    "harbouring": r"(\bharbou?r(?:s|ed|ing)?\b|\bconceal\w*|\bkeeps?\b|\bkept\b|\bdetain(?:s|ed|ing)?\b|\bhéberg\w*|\brecèle\w*|"
                  r"\bacog\w*|\bacoj\w*|\boculta\w*|\bretien\w*|\bhold(?:s|ing)?\b)",
    "receipt": r"(\breceiv(?:e|es|ed|ing)\b|\breceipt\b|\baccueill?\w*|\brecib(?:a|e|en|iere|ieren|ir|ido)\b|\brecepción)",
}

MEANS: dict[str, str] = {
    "threat": r"(\bthreat\w*|\bmenace\w*|\bamenaz\w*|\bintimida\w*)",
    "force": r"(use of force|\bby force\b|\bforce,|\bforce or\b|physical force|\bforcibl\w*|recours à la force|usage de la force|"
             r"\bviolen(?:ce|t|cia)\b|\bviolences\b|\bfuerza\b)",
    "coercion": r"(\bcoerc\w*|\bduress\b|\bcontrainte|\bcoacci\w*|\bcompel\w*)",
    "abduction": r"(\babduct\w*|\bkidnap\w*|\benlèvement|\benlève\w*|\brapt\b|\bsecuestr\w*|\brapto|\bsustrac\w*)",
    "fraud": r"(\bfraud\b|\bfraude\b|\bfraudulent(?:ly)?\b|manœuvres? (?:dolosives?|frauduleuses?)|manoeuvres? (?:dolosives?|frauduleuses?)|\bdolo\b)",
    "deception": r"(manœuvres? dolosives?|manoeuvres? dolosives?|\bdecept\w*|\bdeceiv\w*|false pretences|false promise\w*|misrepresent\w*|\btromperie|\btromp\w*|\bengañ\w*|\bfalsas? promesas?)",
    "abuse_of_power": r"(abus\w* (?:of )?(?:his |her |their |a )?(?:power|authority|position of (?:trust|authority))|abus d.autorité|abus de pouvoir|"
                      r"abuso de (?:poder|autoridad)|situación de superioridad|abus\w* (?:of )?(?:a |the )?(?:situation|position) of superiority|"
                      r"abus d.une situation de supériorité|position of (?:trust|authority)|autorité sur (?:la victime|elle))",
    "abuse_of_vulnerability": r"(\bvulnerab\w*|\bvulnérab\w*|situación de necesidad|no (?:real and acceptable|reasonable) alternative)",
    "payments": r"((?:giving|receiving|offer\w*|accept\w*|gives?|receives?|entrega|recepción|concesión|offre|acceptation|octroi)\W+(?:\w+\W+){0,4}"
                r"(?:payments?|benefits?|pagos|beneficios|avantages?|rémunération)|person having control|control (?:over|sur|sobre) (?:another|the victim|la victime|la víctima))",
}

PURPOSES: dict[str, str] = {
    "sexual_exploitation": r"(prostitut\w*|prostituci\w+|\bsexual\w*(?! assault)|\bsexuel\w*|pornograph\w*|pornograf\w*|immoral (?:purpose|traffic)|brothel|débauche|"
                           r"proxénétisme|lenocinio|illicit intercourse|white slave|traite des blanches|trata de blancas)",
    "forced_labour": r"(forced (?:labou?r|services?|work)|forced or (?:coerced|compulsory) (?:labou?r|services?|work)|labou?r or services|compelled labou?r|labou?r or (?:a |any )?services?|travail (?:ou (?:de )?services? )?forcés?|"
                     r"services? forcés?|travail forcé|trabajos? (?:o (?:de )?servicios )?forz(?:ad|os)os?|servicios forz(?:ad|os)os|exploitation du travail|"
                     r"involuntary servitude|conditions de travail .{0,30}incompatibles)",
    "slavery": r"(\bslavery\b|\bslave\b|\besclavage|\besclavitud|practices similar|pratiques analogues|prácticas (?:similares|análogas)|"
               r"debt bondage|servitude pour dettes|servidumbre por deudas|(?:forced|servile) marriage|mariage forcé|matrimonios? (?:forzados?|servil))",
    "servitude": r"(\bservitude\b(?! pour dettes| de passage| foncière)|\bservidumbre\b(?! por deudas)|\basservissement)",
    "organ_removal": r"(\borgans?\b|organ removal|prélèvements? d.organes?|\borganes?\b(?! de (?:gestion|contrôle))|\bórganos?\b|body parts|tissue)",
    "other": r"(\bbegging\b|mendicit\w*|mendicidad|illegal adoption|adoption|adopción|criminal activit\w*|activités criminelles|"
             r"actividades delictivas|commettre (?:contre (?:elle|lui) )?(?:des |un )?(?:crimes?|délits?)|armed conflict|conflits? armés?|"
             r"conflictos armados|child soldiers?|illicit activit\w*|illegal activit\w*|unlawful activit\w*|cheap labour)",
}

EXPLOITATION_TERM = compile_wording(r"(exploitation|explotación|exploit(?:s|ed|ing)?\b|explotar)")
OPEN_LIST = compile_wording(r"(\binclud(?:es|ing)\b|at a minimum|at the minimum|au minimum|como mínimo|\bnotamment\b|\bentre autres|\bincluye|\bcomprende|"
                       # "any other form of exploitation", not "any other form of coercion" inside one item of a closed list
                       r"any other (?:form|kind|type|manner)s? of (?:\w+ )?exploitation|any other (?:exploitative |similar |like )?(?:practice|purpose|activity)|"
                       r"toute autre forme d.exploitation|toute autre (?:pratique|activité)|sin perjuicio de otras formas de explotación|"
                       r"cualquier otra forma (?:de explotación|análoga)|u otras formas (?:análogas )?de explotación|or other forms of exploitation|"
                       r"not limited to|\bsuch as\b)")

CHILD_WORDS = r"(\bchild(?:ren)?\b|\bminors?\b|\bgirls?\b|\bboys?\b|\bjuvenile|\benfants?\b|\bmineurs?\b|\bmenor(?:es)?\b|\bniñ[oa]s?\b|\badolescent)"
WOMEN_WORDS = r"(\bwom[ae]n\b|\bfemales?\b|\bgirls?\b|\bfemmes?\b|\bfilles?\b|\bmujer(?:es)?\b|\bniñas?\b|\bher\b|\bshe\b)"
PERSON_WORDS = (r"(\b(?:a|any|another|other) (?:person|individual|human being)s?\b|\bthe (?:person|individual)s?\b(?! (?:being |so )?(?:subjected|trafficked|concerned|referred))|\bpersons\b|\bhuman beings?\b|"
                r"\btraffick\w* (?:in|of) persons|\bune personne|\bd.autrui\b|\bautrui\b|\bpersonnes\b|\bêtres? humains?|"
                r"\buna persona|\bpersonas\b|\bseres humanos)")
OFFENDER_PHRASE = compile_wording(r"((?:consent of )?a person having control over (?:another|the other) person|control over another person|(?:any|a|every|no) person (?:who|that|shall|guilty|convicted)|persons? who|whoever|quiconque|toute personne qui|"
                             r"(?:el|la|los) que|quien(?:es)?|la persona que|is guilty|\bhe\b|\bhis\b)")

_AGE_TOKENS = ["twenty-one", "dix-huit", "dix-sept", "dieciocho", "diecisiete", "dieciséis", "seventeen", "eighteen", "sixteen",
               "fifteen", "fourteen", "thirteen", "quatorze", "catorce", "twelve", "eleven", "twenty", "quinze", "treize", "quince",
               "trece", "seize", "ten"]
AGE = r"(\d{1,2}\b|" + "|".join(_AGE_TOKENS) + r")"
AGE_WORDS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
             "eighteen": 18, "twenty": 20, "twenty-one": 21, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
             "dix-sept": 17, "dix-huit": 18, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
             "dieciocho": 18, "ten": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9}
AGE_LIMIT = compile_wording(r"(?:under|below|less than|not (?:yet )?(?:attained|reached|completed) the age of|"
                       r"moins de|n.a pas atteint l.âge de|menor(?:es)? de|que no (?:haya|hubiere) cumplido)\s+(?:the age of\s+)?"
                       + AGE + r"(?:\s*\(\d+\))?\s*(?:years|ans|años)?")

CONSENT_IRRELEVANT = compile_wording(
    r"(no consent .{0,120}valid|consent .{0,160}(?:irrelevant|shall not be a defen[cs]e|is not a defen[cs]e|no defen[cs]e|immaterial|"
    r"shall not be (?:a |taken|considered|relevant)|not (?:be )?relevant)|(?:irrelevant|immaterial) .{0,40}consent|"
    r"with or without (?:the |his |her |their )?(?:victim.s |person.s )?consent|notwithstanding (?:the |his |her )?consent|"
    r"consentement .{0,80}(?:indifférent|inopérant|sans effet|ne peut être invoqué|n.est pas pris en compte|n.exonère)|"
    r"(?:avec ou )sans (?:son|leur|le) consentement|quand bien même .{0,40}consent|même avec (?:son|le) consentement|"
    r"consentimiento .{0,100}(?:irrelevante|no excluirá|no será tenido|no constituirá|no eximirá|no tendrá efecto)|"
    r"(?:aun|incluso) con (?:el|su) consentimiento|con o sin (?:su )?consentimiento|"
    # the defence is denied before the consent is named ("It shall not be a defence ... that a victim consented")
    r"(?:not|no) (?:be )?a defen[cs]e\b[^.]{0,200}\b(?:victim|person|child|trafficked)\w*[^.]{0,80}consent|"
    r"shall be no defen[cs]e[^.]{0,120}consent|(?:whether or not|regardless of whether) [^.]{0,40}consent(?:s|ed)?\b|"
    r"(?:regardless|irrespective) of (?:the |any )?(?:victim.s |person.s )?(?:\w+ )?consent|"
    r"même (?:si|lorsque) (?:la victime|la personne|l.intéressée?) (?:y )?a consenti|nonobstant (?:le|son) consentement|"
    r"(?:aunque|aun cuando|aun si) (?:mediare|medie|exista|existiere|hubiere|haya) (?:el |su )?consentimiento|"
    r"consentimiento[^.]{0,160}en ningún caso|en ningún caso[^.]{0,100}consentimiento)")
CONSENT_DEFENCE = compile_wording(
    r"((?<!with or )without (?:his or her |her or his |his|her|their|the|its) ?(?:free |prior )?consent|(?<!with or )without the consent of|against (?:his|her|their) will|"
    r"contre (?:son|leur) gré|(?<!avec ou )sans (?:son|leur) consentement|(?<!con o )sin (?:su|el) consentimiento|contra su voluntad|"
    r"consent .{0,60}(?:is|shall be) a (?:good )?defen[cs]e|(?:it is|it shall be) a defen[cs]e .{0,80}consent)")

CROSS_BORDER = compile_wording(
    r"(into or out of|(?:taken|takes|take|sent|sends|send|carried|conveyed) (?:out of|beyond)|out of (?:the )?(?:country|colony|territory|state|republic|kingdom|\w+land)|across (?:(?:national|international) )?(?:borders?|frontiers?)|"
    r"to (?:any place )?(?:outside|beyond) (?:the country|\w+)|from (?:any place )?outside|\babroad\b|"
    r"hors du territoire|vers l.étranger|à l.étranger|depuis l.étranger|al exterior|hacia el exterior|fuera del (?:país|territorio)|"
    r"salida o (?:la )?entrada|entrada o salida|ingreso o egreso)")
WITHIN_TOO = compile_wording(r"(within or across|within and across|whether within|within (?:or|and) outside|à l.intérieur ou|"
                        r"interne ou transnational|dentro (?:o fuera|del país o)|within the country|sea en territorio|from one place to another|"
                        r"from any place|dentro del territorio|en el territorio nacional)")
ORGANISED_GROUP = compile_wording(r"(as part of an? organi[sz]ed criminal group|by an? organi[sz]ed criminal group|en bande organisée|"
                             r"grupo (?:criminal )?organizado|organización criminal|asociación ilícita)")

AGGRAVATION = compile_wording(
    r"(aggravat\w*|circonstances? aggravantes?|la peine (?:est|sera) portée|punished more severely|higher penalty|pena superior|"
    r"(?:punished|liable)[^.;]{0,300}\b(?:where|when|if) the\s*:|agravante|agravad\w*|penas? .{0,40}aumentar|increased penalty|enhanced penalty|(?:est|sont) puni(?:e|s|es)? d.{0,160}lorsqu|"
    r"se impondrá la pena .{0,40}superior|maximum de la peine|la pena será de[^.;]{0,160}\bcuando|"
    r"la peine (?:sera|est) (?:de|portée)[^.;]{0,160}\b(?:lorsque|si)\b|"
    r"the (?:penalty|punishment|sentence) (?:shall be|is)[^.;]{0,160}\b(?:where|when|if)\b|(?:where|if) the (?:offence|victim) .{0,80}(?:liable|punish|sentence) .{0,40}(?:life|not less))")

IMPRISONMENT = compile_wording(r"(imprison\w*|emprisonnement|réclusion|prisión|reclusión|détention criminelle|penal servitude|incarcerat\w*|"
                          r"\bjail\b|either description)")
LIFE = compile_wording(r"(for life|life imprisonment|imprisonment for (?:the )?(?:remainder|term) of (?:his|her|their) (?:natural )?life|"
                  r"à perpétuité|perpetua|prisión permanente)")
FINE_ALTERNATIVE = compile_wording(
    r"(imprison\w*[^.;]{0,160}?\bor (?:with |to )?(?:a |with )?fine\b|\bor with both\b|\bor (?:to )?both\b|fine[^.;]{0,40}in lieu|"
    r"ou (?:de )?l.une de ces deux peines|ou d.une amende|\bo multa\b|\bo (?:con )?multa de\b|"
    # the fine named first: "liable to a fine of ... or to imprisonment for ..."
    r"\bfine\b[^.;]{0,100}?\bor (?:to |with )?(?:a (?:term|period) of )?imprison\w*|"
    r"\bamende\b[^.;]{0,100}?\bou (?:d.un )?(?:emprisonnement|réclusion)|\bmulta\b[^.;]{0,100}?\bo (?:con )?(?:prisión|reclusión))")
