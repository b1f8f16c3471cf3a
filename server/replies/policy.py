"""The reply policy checker: nothing leaves ReviewDesk that names the reviewer, confirms they are a
patient, or says anything about their care.

``check(reply, review, settings)`` returns whether the reply may be posted and every violation with
its rule, severity, the exact span in the reply and how to fix it. Where it can, a rule allow-lists
the few safe wordings instead of listing unsafe ones: a second-person reference to the reader's own
things ("your ___") confirms a care relationship unless it is one of the safe ones (your feedback,
concerns, comments, review, time, patience, kind words, ...).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from server.replies import vocabulary
from server.replies.learned import EMAIL, ORGANISATION, PHONE, reply_model, rule_names_model, sentence_text
from server.replies.safe_shapes import safe_shape
from server.contacts.names import fold, is_first_name, name_variants, shown_name

BLOCK, WARN = "block", "warn"
RULES = {
    "phi_condition": BLOCK, "phi_treatment": BLOCK, "phi_medication": BLOCK, "phi_visit_detail": BLOCK,
    "confirms_patient": BLOCK, "names_reviewer": BLOCK, "names_other_person_phi": WARN, "argues_facts": BLOCK,
    "asks_removal": BLOCK, "defensive_tone": WARN, "billing_detail": BLOCK, "contact_info_of_patient": BLOCK,
    "too_long": WARN, "no_offline_invite": WARN, "no_acknowledgment": WARN, "unknown_office_line": WARN,
}


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str
    message: str
    start: int
    end: int
    learned: bool = False  # blocked by the learned sentence model alone (no rule): staff may override it


@dataclass
class CheckResult:
    allowed: bool
    violations: list[Violation]

    def as_json(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "violations": [asdict(v) for v in self.violations]}


@dataclass(frozen=True)
class PracticeSettings:
    practice_name: str = ""
    office_phones: tuple[str, ...] = ()
    office_emails: tuple[str, ...] = ()
    contact_role: str = "our office manager"
    staff_names: tuple[str, ...] = ()
    max_sentences: int = 3
    suggest_positive: bool = True


@dataclass(frozen=True)
class ReviewContext:
    text: str = ""
    reviewer_name: str = ""
    platform: str = ""
    rating: int | None = None
    recommends: bool | None = None

    @property
    def negative_or_mixed(self) -> bool:
        if self.rating is not None:
            return self.rating <= 3
        return self.recommends is False


# -- patterns -------------------------------------------------------------------------------------

def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# "your ___": the safe things a reply may mention of the reader (the rest confirm a relationship).
SAFE_YOUR = frozenset("""
feedback review reviews comment comments concern concerns experience experiences words time patience thoughts input
message note post perspective suggestion suggestions opinion opinions honesty understanding kindness candor
rating remarks description account letter letters view views viewpoint frustration frustrations disappointment point points question questions call
expectations expectation standards convenience earliest recommendation recommendations privacy satisfaction trust
confidence support shout-out shoutout praise compliments compliment rating
""".split())
# Nouns that make "your ___" about the reader's care even after safe-looking adjectives.
CARE_NOUNS = frozenset("""
visit visits appointment appointments care treatment treatments procedure procedures chart file record records account
bill bills balance insurance plan teeth tooth smile mouth gums health condition results prescription cleaning exam
surgery stay time-slot slot family child children son daughter husband wife
""".split())
YOURSELF = _rx(r"\byou(?:'ve| have| had)?\s+(?:been\s+)?(?:(?:a|one)\s+of\s+)?(?:our|my)\s+(?:\w+\s+)?patients?\b")

# "you ___": past-tense verbs narrate what the reader did with the practice ("you came", "you had", "you
# waited"); the few safe ones speak of what they wrote or feel.
SAFE_YOU_DID = frozenset("""
disappointed frustrated upset dissatisfied displeased concerned worried confused
shared described mentioned raised expressed wrote posted took noted brought pointed experienced felt explained
detailed outlined reported voiced left offered gave expected hoped deserved wanted needed asked
""".split())
CARE_VERBS = frozenset("""
came come went visited arrived saw seen got had received underwent spent paid waited sat stayed checked called booked
scheduled missed cancelled canceled rescheduled started finished completed returned chose decided coming
""".split())
SAFE_YOU_WERE = frozenset("unhappy disappointed frustrated upset dissatisfied displeased concerned let not able welcome "
                          "kind generous right made left treated".split())
YOU_VERB = _rx(r"\byou(?:'ve|'d| have| had)?\s+([a-z'-]+)(?:\s+([a-z'-]+))?")

CONFIRMS = [
    _rx(r"\b(?:being|as)\s+(?:a|our)\s+(?:\w+\s+)?patient\b|\b(?:coming|came)\s+(?:to\s+see|in\s+to\s+see)\s+us\b"),
    _rx(r"\bhaving\s+you\s+(?:in|at|here|with\s+us)\b|\bmiss\s+(?:seeing|having)\s+you\b|\byou(?:'ve|\s+have)\s+been\s+with\s+us\b"),
    _rx(r"\b(?:practice|dental|office|clinic)\s+family\b|\bremembers?\s+you\b|\bsee\s+you\s+(?:sooner|earlier|faster|right\s+away)\b"),
    _rx(r"\b(?:reached|reaching)\s+out\s+to\s+you\b|\b(?:called|phoned|emailed|texted|messaged|contacted)\s+you\b"),
    _rx(r"\b(?:feeling|feel)\s+better\b|\b(?:speedy|quick|full|smooth)\s+recovery\b|\bget\s+well\b|\bhealing\s+(?:well|nicely|up)\b"),
    _rx(r"\b(?:reviewed|checked|looked\s+(?:at|into|through)|pulled|consulted|went\s+through)\s+(?:our|the|your)\s+"
        r"(?:records?|charts?|files?|notes|sign[- ]in\s+(?:log|sheet)|system|logs?|schedule|calendar)\b"),
    _rx(r"\b(?:for|after|since)\s+(?:coming|stopping|dropping)\s+(?:in|by)\b|\bfor\s+(?:visiting|choosing|picking)\s+(?:us|our)\b|"
        r"\bfor\s+trusting\s+(?:us|our)\b(?!\s+with\s+your\s+(?:feedback|concerns?|comments?|review|thoughts))"),
    _rx(r"\b(?:get|got|getting)\s+you\s+(?:out|in|seen|fixed|back|taken\s+care|scheduled|booked)\b"),
    _rx(r"\b(?:our|my|the)\s+(?:records?|charts?|files?|notes|sign[- ]in\s+(?:log|sheet)|system|logs?|schedule|calendar)\s+"
        r"(?:show|shows|showed|indicate|indicates|say|says|reflect|reflects)\b"),
    _rx(r"\b(?:when|while|after|before|since)\s+you\s+(?:came|come|were|was|visited|arrived|called|stopped|saw|got|left|checked)\b"),
    _rx(r"\b(?:see|seeing|meet|meeting|welcome|welcoming|treat|treating|serve|serving|help|helping|have|having)\s+you\s+"
        r"(?:again|back|soon|next|at\s+your|in\s+(?:the\s+)?(?:office|clinic|chair)|for\s+your)\b"),
    _rx(r"\b(?:welcome|glad to have you|good to have you|nice to have you|great to have you)\s+back\b"),
    _rx(r"\b(?:until|till)\s+(?:next\s+time|we\s+see\s+you)\b"),
    _rx(r"\b(?:enjoyed|loved|liked)\s+(?:meeting|seeing|treating|working with|having)\s+you\b"),
    _rx(r"\b(?:as|a|one of)\s+(?:a\s+|our\s+|my\s+)?(?:valued\s+|long[- ]time\s+|new\s+|loyal\s+)?patients?\s+(?:of\s+ours|like\s+you)\b"),
    _rx(r"\bas\s+(?:a|our|my)\s+(?:valued\s+|long[- ]time\s+|new\s+|loyal\s+)?(?:patient|client|member)\b"),
    _rx(r"\b(?:as|being)\s+(?:one|some)\s+of\s+(?:our|my)\s+(?:\w+\s+)?patients\b"),
    _rx(r"\b(?:trust(?:ing)?|entrust(?:ing)?)\s+us\s+with\s+your\b(?!\s+(?:feedback|concerns?|comments?|review|thoughts))"),
    _rx(r"\byou\s+(?:missed|cancell?ed|rescheduled|no[- ]showed|skipped|booked|scheduled)\b"),
    _rx(r"\b(?:we|i|the\s+doctor|the\s+team|our\s+team|our\s+staff|dr\.?\s+\w+)\s+(?:saw|treated|examined|met|seen|helped|"
        r"served|called|contacted|spoke\s+(?:to|with)|talked\s+(?:to|with))\s+you\b"),
    _rx(r"\b(?:next|upcoming|follow[- ]up|last|previous|recent)\s+(?:visit|appointment|cleaning|check[- ]?up|exam|session)\b"),
    _rx(r"\b(?:your|the)\s+(?:visit|appointment|stay|care|treatment|procedure|chart|file|record|account)\b"),
    _rx(r"\bin\s+(?:our|the)\s+(?:chair|office|clinic|practice)\b\s+(?:with\s+)?you\b"),
    _rx(r"\b(?:in|at|from)\s+our\s+(?:chair|dental\s+chair|exam\s+rooms?|operatory|waiting\s+room|lobby)\b"),
]
ARGUES = [
    _rx(r"\b(?:does|did|do)(?:n't|\s+not)\s+(?:reflect|match|describe)\s+(?:what|the\s+(?:facts|truth|events)|reality|how)\b"),
    _rx(r"\bstandard\s+(?:protocol|procedure|practice)\b|\bunusual\s+for\s+(?:us|our)\b|\bthe\s+schedule\s+that\s+day\b"),
    _rx(r"\bnot\s+how\s+(?:it|things|this)\s+(?:happened|went)\b"),
    _rx(r"\bfacts\s+(?:are|were)\s+(?:different|otherwise)\b"),
    _rx(r"\b(?:we\s+)?(?:dispute|deny|reject)\s+(?:this|that|your|the)\b|\bdisagree\s+with\s+(?:this|your|the)\b"),
    _rx(r"\byou(?:'re|\s+are|\s+were)\s+(?:mistaken|wrong|confused|misinformed|misremembering)\b"),
    _rx(r"\b(?:never|no\s+one|nobody|none\s+of\s+(?:our|us))\b(?!\s+should|\s+wants?|\s+likes?)[^.!?]{0,40}\b(?:rude|hung\s+up|"
        r"yelled|refused|ignored|lied|overcharged|charged|told\s+you)\b"),
    _rx(r"\bwe\s+stand\s+by\b"),
    _rx(r"\b(?:charge|charges|bill|fee|fees|amount|statement|diagnosis|decision|policy|information|account)\s+(?:was|were|is|are)\s+"
        r"(?:entirely\s+|completely\s+)?(?:correct|accurate|right|valid|proper|justified)\b"),
    _rx(r"\b(?:is|was|are|were)\s+(?:simply\s+|just\s+|completely\s+|entirely\s+|totally\s+)?(?:inaccurate|untrue|false|"
        r"not\s+true|incorrect|misleading|fabricated|made\s+up|a\s+lie)\b"),
    _rx(r"\b(?:doesn't|does\s+not|don't|do\s+not)\s+add\s+up\b|\bno\s+way\s+(?:you|that)\b|"
        r"\bwe\s+(?:have\s+)?never\s+(?!want|wish|intend|aim|mean|discuss|share|comment|talk|post|like|enjoy|take)\w+"),
    _rx(r"\b(?:was|were)\s+(?:medically\s+)?(?:necessary|needed|required|appropriate|standard\s+practice)\b"),
    _rx(r"\bour\s+(?:records?|notes|logs?|files?)\s+(?:show|shows|indicate|say)\s+(?:that\s+)?we\b"),
    _rx(r"\b(?:that|this|it)(?:'s| is| was)\s+(?:simply\s+|just\s+|absolutely\s+|completely\s+)?(?:not\s+(?:true|accurate|correct|"
        r"what\s+happened)|false|untrue|inaccurate|incorrect|a\s+lie|wrong)\b"),
    _rx(r"\bnot\s+what\s+(?:really\s+)?happened\b"),
    _rx(r"\b(?:actually|in\s+fact|in\s+reality|the\s+truth\s+is)\b[^.!?]{0,40}\byou\b"),
    _rx(r"\bcontrary\s+to\s+(?:your|what\s+you)\b"),
    _rx(r"\byou\s+(?:were|arrived|showed\s+up)\s+(?:\w+\s+)?late\b"),
    _rx(r"\byou\s+(?:failed|refused|neglected|chose\s+not|didn't|did\s+not|never)\b"),
    _rx(r"\b(?:misrepresent|mischaracteriz|twist)\w*\b"),
    _rx(r"\bwe\s+(?:never|did\s+not|didn't)\s+(?:say|tell|charge|refuse|ignore|do)\b"),
]
REMOVAL = [
    _rx(r"\b(?:remov|delet|tak\w*\s+down|updat|revis|chang|edit|reconsider|amend|modif|rais|improv|withdr[ae]w|adjust|retract)\w*\s+"
        r"(?:your|this|the|that|her|his|their|my|(?:your|the|her|his|their)\s+[\w-]+)\s+(?:review|rating|post|comment|stars?|feedback|score)\b"),
    _rx(r"\bt(?:ake|akes|aking|ook)\s+(?:it|this|that|the)(?:\s+\w+)?\s+down\b"),
    _rx(r"\b(?:bump|raise|change|update|move|make)\b[^.?!]{0,30}\b(?:five|5|four|4|more|higher|full)\s+stars?\b"),
    _rx(r"\b(?:bump|raise|change|update|move|increase|up)\w*\b[^.?!]{0,20}\bstars?\b"),
    _rx(r"\b(?:review|rating|post)\s+(?:be\s+)?(?:removed|updated|changed|deleted|revised|taken\s+down)\b"),
    _rx(r"\bmore\s+stars\b|\b(?:better|higher|new|updated|revised|different)\s+(?:rating|review|score)\b"),
    _rx(r"\breconsider\s+(?:your|the|this)\s+[\w-]+|\bedit\s+what\s+you\s+(?:wrote|posted|said)\b"),
]
BILLING = [
    # "the parking fee" and "the insurance information on our website" are no one's bill
    _rx(r"\b(?:your|the)\s+(?:(?!parking\b|garage\b|valet\b)[\w-]+\s+)?(?:balance|bill|bills|invoice|statement|account|copay|co-pay|"
        r"deductible|claim|claims|payment|payments|charges?|refund|insurance|insurer|plan|coverage|benefits|estimate|costs?|fees?)\b"
        r"(?!\s+(?:information|info|page|list|section|options)\b)"),
    _rx(r"\b(?:balance|copays?|co-pays?|deductibles?|claims?|collections?|out[- ]of[- ]pocket|outstanding|overdue|owed|(?:you|they)\s+owe|"
        r"insurance\s+(?:company|carrier|denied|didn't|did\s+not)|(?:was|were)\s+(?:not\s+)?covered|didn't\s+cover|"
        r"did\s+not\s+cover|pre-?authori[sz]ation|billed|charged)\b"),
    _rx(r"\$\s?\d"),
    _rx(r"\b(?:duplicate|double|extra|incorrect)\s+(?:charges?|billing|payments?|bills?)\b|(?<!about\s)(?<!of\s)(?<!on\s)\bcharges?\s+(?:was|were|will|is|are)\b|"
        r"\brefund(?:ed|s)?\b|\breimburse\w*\b"),
]
DEFENSIVE = [
    _rx(r"\bsome\s+people\b"), _rx(r"\bget\s+a\s+life\b"), _rx(r"\bpeople\s+like\s+you\b"),
    _rx(r"\byour\s+(?:own\s+)?fault\b"), _rx(r"\byou\s+should\s+(?:have|'ve)\b"), _rx(r"\b(?:obviously|clearly),?\s+you\b"),
    _rx(r"\bwhatever\b"), _rx(r"\bif\s+you\s+don'?t\s+like\s+it\b"), _rx(r"\bgo\s+elsewhere\b"), _rx(r"\bgood\s+luck\s+with\b"),
    _rx(r"\b(?:ridiculous|absurd|nonsense|pathetic|rude\s+customer|entitled|liar|lying|lies)\b"), _rx(r"!{2,}"),
    _rx(r"\bsure(?:,| you)\b[^.?!]{0,30}\bsure\b"),
]
SHOUT = re.compile(r"\b[A-Z]{4,}\b")
INVITE = _rx(r"\b(?:call|contact|reach(?:\s+out)?|e-?mail|message|get\s+in\s+touch|speak|talk|connect|visit\s+our\s+website|hear\s+(?:more|from)|"
             r"let\s+us\s+know|write\s+to)\b")
INVITE_TARGET = _rx(r"\b(?:us|our\s+(?:office|team|practice|manager|office\s+manager|front\s+desk|patient\s+care)|me|the\s+office|"
                    r"directly|office\s+manager)\b|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|@")
ACKNOWLEDGE = _rx(r"\b(?:thank|thanks|sorry|apologi[sz]e|apologies|appreciate|regret|grateful|hear(?:ing)?\s+(?:this|that|about))\b")
OFFICE_CONTEXT = _rx(r"\b(?:call|reach|contact|text|e-?mail|write\s+to|message)\s+(?:us|our\s+(?:\w+\s+){0,2}|me|the\s+(?:office|front\s+desk))"
                     r"[^.?!]{0,25}$|\b(?:our|the\s+office'?s?)\s+(?:\w+\s+){0,2}(?:number|line|phone|e-?mail|address)[^.?!]{0,15}$|"
                     r"\b(?:us|office|manager|desk|team)\s+(?:at|on|via)\s*:?\s*$|"
                     r"\b(?:our|the)\s+(?:[\w-]+\s+){0,3}(?:office|desk|team|manager|line|department)\b[^.?!]{0,40}\b(?:at|on|via)\s*:?\s*$")
# The office's own line in Spanish, or shown as its line without a verb ("questions are welcome at",
# "the clinic's front desk, 513-...", "main line"), or a sign-off ("— Willow Fork Dentistry, (281) ...").
OFFICE_CONTEXT_MORE = [
    _rx(r"\b(?:ll[aá]me(?:nos)?|ll[aá]mennos|llamarnos|comun[ií]que(?:se)?|comunicarse|escr[ií]ba(?:nos)?|escribirnos|"
        r"cont[aá]ct(?:enos|arnos|e)|marque)\b[^.?!]{0,45}$"),
    _rx(r"\b(?:nuestr[ao]s?\s+(?:\w+\s+){0,2}(?:oficina|cl[ií]nica|consultorio|n[uú]mero|tel[eé]fono|l[ií]nea|correo)|"
        r"la\s+(?:oficina|cl[ií]nica|recepci[oó]n))\b[^.?!]{0,30}$"),
    _rx(r"\b(?:welcome(?:\s+a\s+call)?|anytime|any\s+time|main\s+line|front\s+desk|billing\s+(?:office|team|line)|"
        r"(?:the|our)\s+(?:clinic|practice|office)(?:'s)?(?:\s+[\w-]+){0,2}|directly)\s*(?:at|on|via|,|:)?\s*$"),
    _rx(r"\b(?:questions|help|happy\s+to\s+help|here)\s+(?:at|on)\s*:?\s*$"),
    # calling the practice by its name: "please call Buckeye Endocrine Associates at ..."
    re.compile(r"\b(?:[Cc]all|[Cc]ontact|[Rr]each|[Ww]rite\s+to|[Ee]-?mail)\s+(?:[A-Z][\w'&.-]*\s+){0,5}(?:Associates|Clinic|Dental|"
               r"Dentistry|Health|Medical|Medicine|Center|Centre|Group|Family|Care|Orthodontics|Surgery|Pediatrics|Practice|Office|"
               r"Specialists|Partners|Smiles|Eye|Vision|Hearing|Therapy|Spa)\b[^.?!]{0,20}\b(?:at|on)\s*:?\s*$"),
    _rx(r"[—–|]\s*[^.?!\n]{0,80}$"),  # a signature line: "— Practice name, " or "| "
    # the reader asked to call or write (not "we'll call"): "Please call ...", "feel free to text ..."
    _rx(r"(?:^|[.!?;:,]\s*|\b(?:please|just|simply|free\s+to|you\s+can|you\s+may|anyone\s+can|to|or)\s+)"
        r"(?:call|text|dial|ring|phone|e-?mail|write\s+to)\s*:?\s*$"),
    # a conversation offered at a line: "we'd welcome a private conversation at ...", "open to suggestions at ..."
    _rx(r"\b(?:conversation|chat|talk|call|suggestions|feedback|ideas|input|concerns|questions|comments|thoughts)\s+(?:at|on|via|by\s+calling)\s*:?\s*$"),
    _rx(r"\breach\s+out(?:\s+to\s+(?:us|the\s+office))?\s+(?:at|on|via)\s*:?\s*$|\b(?:line|number|inbox|mailbox)\s+(?:for|to)\b[^.?!]{0,40}[:,]\s*$"),
    _rx(r"\b(?:llamar(?:nos)?|escribir(?:nos)?|marcar)\s+(?:al?|a\s+la)?\s*$|\b(?:comun[ií]ca(?:rse|rte|se)|cont[aá]ctenos)\b[^.?!]{0,70}$"),
    # Vietnamese, Chinese and Tagalog: "liên hệ văn phòng theo số", "请致电", "tawagan kami sa"
    re.compile(r"(?:liên\s+hệ|gọi(?:\s+cho)?\s+(?:chúng\s+tôi|văn\s+phòng)|văn\s+phòng)[^.?!]{0,40}$|(?:致电|联系我们|拨打|电话|邮件)[^。！？]{0,15}$|"
               r"\b(?:tawagan\s+(?:kami|ang\s+opisina)|tumawag\s+sa|makipag-?ugnayan\s+sa)\b[^.?!]{0,40}$", re.IGNORECASE),
]
# A line given with another of the office's: "e-mail billing@... or (727) 555-0119".
ANOTHER_LINE_BEFORE = re.compile(r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})\s*(?:,|or|and|/|\||o|y)\s*$",
                                 re.IGNORECASE)
OFFICE_MAILBOXES = frozenset({"office", "frontdesk", "front.desk", "info", "hello", "contact", "appointments", "appts", "schedule",
                              "scheduling", "billing", "reception", "team", "care", "feedback", "manager", "officemanager",
                              "patientcare", "patients", "help", "admin", "mail", "hola", "citas", "oficina"})
GENERIC_PRACTICE_WORDS = frozenset({"dental", "dentistry", "medical", "medicine", "health", "healthcare", "clinic", "center", "centre",
                                    "care", "family", "group", "associates", "practice", "office", "specialists", "partners", "surgery",
                                    "pediatrics", "therapy", "physicians", "doctors", "smile", "smiles", "mail", "gmail", "yahoo",
                                    "hotmail", "outlook", "icloud"})
PATIENT_CONTACT = _rx(r"\b(?:your(?!\s+(?:call|calls|message|messages|e-?mail|note|questions?|thoughts|feedback|comments|input|ideas|"
                      r"suggestions|concerns)\b)|"
                      # "glad to hear from you at", "talk with you at": where the reader reaches the office
                      r"(?<!from\s)(?<!with\s)(?<!to\s)you\s+(?:at|on)|reach\s+you|call\s+you|text\s+you|email\s+you|"
                      r"(?:sent|send|mailed|emailed|e-mailed|forwarded)\s+(?:\w+\s+){0,3}to|"
                      # the office calling or writing the reader: "we've texted ...", "we'll try ... again", "le llamaremos al ..."
                      r"(?:we|i)(?:'ve|'ll|\s+have|\s+will)?\s+(?:already\s+)?(?:texted|called|emailed|e-mailed|messaged|tried|text|call|try|"
                      r"email|message)|have\s+you\s+down\s+as|on\s+file|(?:le\s+|te\s+)?(?:llamaremos|escribiremos|enviaremos|"
                      r"llamamos|marcaremos|contactaremos)|check)\b[^.?!]{0,25}$")
# Times, weekdays and durations are details of a visit when the sentence is about the reader ("your 2pm",
# "you sat for three hours"); "we open at 7 a.m. on weekdays" is not.
ABOUT_READER_DETAIL = [
    _rx(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?=\W|$)|\b\d{1,2}:\d{2}\b"),
    _rx(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"),
    _rx(r"(?<!within\s)(?<!next\s)\b(?:over\s+|about\s+|nearly\s+|almost\s+|more\s+than\s+)?(?:\d+|an|one|two|three|four|five|six|"
        r"ten|fifteen|twenty|thirty|forty|forty-five|fifty|ninety)\s+(?:minutes?|mins?|hours?|hrs?)\b"),
    # when the reader comes back or came ("see you in three months", "that morning")
    _rx(r"\b(?:in|after)\s+(?:\d+|a\s+few|two|three|four|five|six|eight|nine|ten|twelve)\s+(?:weeks|months|years)\b|"
        r"\bthat\s+(?:morning|afternoon|evening|night|day)\b"),
]
READER = re.compile(r"\byou(?:r|rs|'re|'ve|'d)?\b", re.IGNORECASE)
VISIT_DETAIL = [
    _rx(r"\b(?:on|last|this|next|since)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|"
        r"evening|week|month)\b"),
    _rx(r"\b(?:on\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sept?(?:ember)?|"
        r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"),
    _rx(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),

    _rx(r"\b(?:waited|wait(?:ing)?\s+(?:for|time\s+of)|were\s+kept\s+waiting|sat\s+for)\s+(?:over\s+|about\s+|nearly\s+|almost\s+)?"
        r"(?:\d+|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|fifty|ninety)\s+(?:minutes?|mins?|hours?|hrs?)\b"),
    _rx(r"\b(?:yesterday|today|this\s+morning|last\s+night|earlier\s+today)\b"),
    _rx(r"\b(?:in|during|since|back\s+in)\s+(?:january|february|march|april|june|july|august|september|october|november|december)\b"),
    _rx(r"\b(?:\d+|two|three|four|five|several|multiple)\s+(?:visits|appointments|times\s+(?:this|last)\s+(?:year|month))\b"),
    # the same in the other languages of the practice's patients: a weekday, the next appointment
    _rx(r"\b(?:el|este|esta|próximo|proximo|pasado|cada|los|sa|ngayong|tuwing)\s+(?:lunes|martes|miércoles|miercoles|jueves|"
        r"viernes|sábado|sabado|domingo|miyerkules|huwebes|biyernes|linggo)\b|\b(?:próxima|proxima|siguiente|su)\s+cita\b|"
        r"\bsusunod\s+(?:\w+\s+)?appointment\b|\b(?:vào\s+)?thứ\s+(?:hai|ba|tư|năm|sáu|bảy)\b|\bchủ\s+nhật\b"),
    re.compile(r"(?:[上下这本每]个?)?(?:星期|礼拜|周)[一二三四五六日天]|下次(?:复诊|家访|检查|预约|就诊|咨询|来|\w{0,6}见)"),
    _rx(r"\bsee\s+you\s+(?:again\s+)?(?:in|next|this|on|at|for|after)\s+[^.!?;,]{1,30}|\b(?:on|by|since|before|after)\s+the\s+"
        r"\d{1,2}(?:st|nd|rd|th)\b|\bat\s+\d{1,2}\s+weeks\b|\b\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
        r"septiembre|octubre|noviembre|diciembre)\b|\b(?:el|la)\s+(?:próximo|próxima|proximo|proxima|pasado|pasada)\s+(?:año|mes|semana)\b"),
]
# "today" as the day of the practice's own step, with no "you" on the way: "a manager will respond today".
PRACTICE_ACTS_TODAY = _rx(r"\b(?:we|a\s+manager|someone|our\s+[\w-]+(?:\s+[\w-]+)?|the\s+office)\s*(?:will|'ll|are|'re|is|can|shall)\s+"
                          r"(?:(?:also|personally|already|be|start|begin)\s+)*(?:respond|reply|review|look|follow|reach|contact|get\s+back|"
                          r"update|fix|check|investigat|address|discuss|work|shar|post|meet)\w*\s+"
                          r"(?:(?!you\b|your\b|happened\b|occurred\b|went\b)[\w'-]+\s+){0,4}$")
CJK_NAME = re.compile(r"([\u4e00-\u9fff])[\u4e00-\u9fff]{1,3}$")
CJK_HONORIFIC = r"(?:女士|先生|小姐|太太|阿姨|叔叔|伯伯|奶奶|爷爷|同学)"
HONORIFIC_NAME = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|[Ss]eñora|[Ss]eñor|[Ss]eñorita|Sra|Sr|Srta|[Dd]oña|Don)\.?|"
                            r"(?:Gng|G)\.)\s+([A-ZÁÉÍÓÚÑ][\w'’-]+)")  # G. and Gng.: Tagalog's Mr. and Mrs.
INITIALS_GREETING = re.compile(r"(?:^|[.!?]\s+|,\s*|\b(?:Dear|Hi|Hello|Hey|Thanks|Thank\s+you),?\s+)((?:[A-Z]\.\s?){2,3})(?=\s*[,!?.]|\s*$)")
GREETING_NAME = re.compile(r"(?:^|[.!?¡¿]\s*|\b(?:Dear|Hi|Hello|Hey|Thanks|Thank you|Gracias|Muchas gracias|Hola|Estimad[oa]|Querid[oa]|"
                           r"Salamat(?: po)?),?\s+)(?!(?:Dear|Hi|Hello|Hey|Thanks|Gracias|Hola|Salamat)\b)([A-ZÁÉÍÓÚÑ][a-záéíóúñ'’-]{1,20})"
                           r"(?=\s*[,!])")
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+(?=\s+[\"'“(]?[A-Z0-9]|\s*$)")
ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "st", "jr", "sr", "prof", "no", "vs", "etc", "e.g", "i.e", "a.m", "p.m", "ave", "inc",
                 "dds", "dmd", "md", "approx", "dept")
SIGN_OFFS = frozenset("best regards sincerely cheers thanks warmly kindly respectfully cordially".split())
NOT_NAMES = frozenset("""
we our thank thanks hi hello dear sorry please the this that it i you your at in on for and but so if as all
""".split())


# -- the checker ----------------------------------------------------------------------------------

MOST_FINDINGS_PER_RULE = 50  # keeps the work on a reply of thousands of findings linear

@dataclass
class _Findings:
    reply: str
    items: list[Violation] = field(default_factory=list)

    def add(self, rule: str, start: int, end: int, message: str, learned: bool = False) -> None:
        """One report per rule and stretch of text: the widest wording wins; at most MOST_FINDINGS_PER_RULE
        reports of a rule (a reply that breaks it more often is blocked all the same)."""
        same_rule = [v for v in self.items if v.rule == rule]
        if len(same_rule) >= MOST_FINDINGS_PER_RULE:
            return
        overlapping = [v for v in same_rule if v.start < end and start < v.end]
        if any(v.end - v.start >= end - start for v in overlapping):
            return
        for violation in overlapping:
            self.items.remove(violation)
        self.items.append(Violation(rule, RULES[rule], message, start, end, learned))


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


# Body words with an everyday sense, read in that sense: "back" after a verb of returning or before "to",
# "stress" or "hurt" that the office caused or the review described (a feeling, not a condition).
EVERYDAY_SENSE = {
    "back": _rx(r"\b(?:call|calls|called|calling|call-?backs?|hear|heard|hearing|get|gets|got|getting|come|comes|came|coming|write|"
                r"wrote|go|going|went|reach|ring|phone|text|e-?mail|look|looking|step|bring|brought|welcome|way|pay|paid|hold|held)"
                r"\s+(?:\w+\s+)?back\b|\bback\s+(?:to|from|in\s+touch|on\s+track)\b"),
    "stress": _rx(r"\bthe\s+stress\s+(?:(?:this|that|it)\s+(?:has\s+|have\s+)?(?:caused|created|brought)|(?:you\s+)?described|"
                  r"of\s+(?:this|that|it|waiting|the\s+\w+))|\bfor\s+(?:the|any|all\s+the)\s+stress\b"),
    "hurt": _rx(r"\bthe\s+hurt\s+(?:(?:this|that|it)\s+(?:has\s+|have\s+)?caused|(?:you\s+)?described|you\s+felt)"),
}


def _phi(reply: str, review: ReviewContext, out: _Findings) -> None:
    labels = {"phi_condition": "a condition or symptom", "phi_treatment": "a treatment or procedure",
              "phi_medication": "a medication"}
    found = vocabulary.find_terms(reply) + [("phi_medication", name, start, end) for name, start, end in vocabulary.drug_spans(reply)]
    for category, term, start, end in found:
        out.add(category, start, end, f"'{reply[start:end]}' is {labels[category]}: never mention anything about "
                                      "anyone's care in public, even if the reviewer did. Remove it.")
    echoed = vocabulary.medical_words(review.text) if review.text else set()
    for _, term, start, end in vocabulary.contextual_terms(reply):
        before = reply[max(0, start - 12):start].lower()
        if (everyday := EVERYDAY_SENSE.get(term)) and everyday.search(reply[max(0, start - 30):end + 12]):
            continue  # "hear back from us", "sorry for the stress this caused"
        if term in echoed or re.search(r"\b(?:your|the|his|her)\s+$", before):  # "their" is most often anyone's
            out.add(vocabulary.CONTEXTUAL_CATEGORY.get(term, "phi_condition"), start, end,
                    f"'{reply[start:end]}' refers to the reader's care"
                    + (" and repeats the review" if term in echoed else "") + ". Remove it; speak only in general terms.")
    spans = sentences(reply)
    for pattern in VISIT_DETAIL:
        for match in pattern.finditer(reply):
            if match.group().lower() == "today":  # the practice's own step: "a manager will respond today"
                start = next((s for s, e in spans if s <= match.start() < e), 0)
                if PRACTICE_ACTS_TODAY.search(reply[start:match.start()]):
                    continue
            out.add("phi_visit_detail", match.start(), match.end(),
                    f"'{match.group()}' is a detail of a visit (a date, time or duration). Leave it out.")
    for start, end in spans:
        sentence = reply[start:end]
        if not READER.search(sentence):
            continue
        for pattern in ABOUT_READER_DETAIL:
            for match in pattern.finditer(sentence):
                around = sentence[max(0, match.start() - 12):match.end() + 14].lower()
                if re.search(r"\b(?:through|thru|to|until)\b|[-–]|\bhours\b|\bopen\b|\bfrom\b", around):
                    continue  # office hours ("Monday through Friday", "8 a.m. to 5 p.m."), not a visit
                out.add("phi_visit_detail", start + match.start(), start + match.end(),
                        f"'{match.group()}' is a detail of the reader's visit (a day, time or duration). Leave it out.")


def _your_things(reply: str, out: _Findings) -> None:
    for match in re.finditer(r"\byour\b", reply, re.IGNORECASE):
        following = re.findall(r"[a-z0-9'-]+", reply[match.end():match.end() + 60].lower())[:4]
        safe_at = next((i for i, word in enumerate(following) if word in SAFE_YOUR), None)
        if safe_at is not None and not any(word in CARE_NOUNS for word in following[:safe_at]):
            continue
        words = re.match(r"\s*[\w'-]+", reply[match.end():match.end() + 100])
        end = match.end() + (words.end() if words else 0)
        out.add("confirms_patient", match.start(), end,
                f"'{reply[match.start():end]}' refers to the reader's own dealings with the practice, which confirms "
                "they are a patient. Speak of 'your feedback' or 'your concerns' instead.")
    for match in YOURSELF.finditer(reply):
        out.add("confirms_patient", match.start(), match.end(),
                f"'{match.group()}' says the reader is a patient. Remove it.")
    for match in YOU_VERB.finditer(reply):
        verb, after = (match.group(1) or "").lower(), (match.group(2) or "").lower()
        if verb == "had" and after == "to" and re.match(r"\s*to\s+(?:write|share|post|reach|say|tell|leave|bring|go\s+through)",
                                                        reply[match.end(1):match.end(1) + 60], re.IGNORECASE):
            continue
        if verb in ("were", "was") and after and after not in SAFE_YOU_WERE:
            end = match.end(2)
        elif (verb in CARE_VERBS or (verb.endswith("ed") and len(verb) > 4)) and verb not in SAFE_YOU_DID:
            end = match.end(1)
        else:
            continue
        out.add("confirms_patient", match.start(), end,
                f"'{reply[match.start():end]}' narrates what the reader did with the practice, which confirms "
                "they are a patient. Speak only of what they wrote.")
    for pattern in CONFIRMS:
        for match in pattern.finditer(reply):
            out.add("confirms_patient", match.start(), match.end(),
                    f"'{match.group()}' confirms a care relationship with the reader. Remove it.")


VOCATIVE = re.compile(r"(?:,\s*|\b(?:thanks|thank\s+you|hi|hello|dear)\s+)\w+[!,.?]$", re.IGNORECASE)


def _short_forms(shown: Any, word: str) -> set[str]:
    """The word, when it is a short form of the reviewer's first name ("Priya" of Priyanka): four letters or more."""
    first = shown.name.first if shown.kind in ("person", "first_only") else ""
    folded = fold(word)
    return {folded} if first and len(folded) >= 4 and first != folded and first.startswith(folded) else set()


def _previous_char(text: str, index: int) -> str:
    """The last character before ``index`` that is not white space ("" at the start): read back over
    the white space only, so that asking it of every word costs the text's length, not its square."""
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return text[index - 1] if index > 0 else ""


def _next_char(text: str, index: int) -> str:
    """The first character from ``index`` on that is not white space ("" at the end)."""
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


HANDLE_WORD = re.compile(r"[A-Z][a-z]+|(?<![A-Za-z])[a-z]+")  # the words of a handle: capitalised runs, or lower-case ones


def _names(reply: str, review: ReviewContext, settings: PracticeSettings, out: _Findings) -> None:
    allowed = {fold(word) for name in (*settings.staff_names, settings.practice_name) for word in re.findall(r"[\w'’-]+", name)}
    shown = shown_name(review.reviewer_name)
    reviewer_words: set[str] = set()
    if shown.kind in ("person", "first_only"):
        name = shown.name
        if len(name.first) > 1:
            reviewer_words |= set(name_variants(name.first)) | {name.first}
        reviewer_words |= {part for part in (name.last, *name.last_parts) if len(part) > 1}
    elif review.reviewer_name and " " not in review.reviewer_name.strip():  # a handle: "GwenO_62", "maria_lopez88"
        reviewer_words |= {fold(word) for word in HANDLE_WORD.findall(review.reviewer_name) if len(word) >= 3}
    for word, start, end in vocabulary.words(reply):
        addressed = _next_char(reply, end) == ","
        if not reply[start].isupper() or fold(word) not in reviewer_words | _short_forms(shown, word):
            continue
        if fold(word) in allowed and not (addressed or VOCATIVE.search(reply[max(0, start - 12):end + 1])):
            continue  # a colleague of the same name, unless the reply speaks to the reader with it ("thanks, Omar!")
        at_sentence_start = _previous_char(reply, start) in ("", ".", "!", "?")
        if at_sentence_start and (not addressed or word.lower() in SIGN_OFFS):
            continue  # "Will you call us?", "Hope to hear from you", "Best," are words, not the reviewer
        out.add("names_reviewer", start, end, f"'{reply[start:end]}' is the reviewer's name (or a form of it). "
                                              "Never name the reviewer; it confirms who they are.")
    for match in GREETING_NAME.finditer(reply):
        word = match.group(1)
        # The reviewer's own name counts even when a staff member has the same first name.
        exempt = fold(word) in allowed and fold(word) not in reviewer_words
        is_name = fold(word) in reviewer_words or is_first_name(word)
        if not exempt and word.lower() not in NOT_NAMES and word.lower() not in SIGN_OFFS and is_name:
            out.add("names_reviewer", match.start(1), match.end(1),
                    f"'{word}' addresses the reader by name. Never use a name, even one the reader did not show.")
    for match in INITIALS_GREETING.finditer(reply):
        out.add("names_reviewer", match.start(1), match.end(1),
                f"'{match.group(1)}' addresses the reader by their initials. Never address the reader by name.")
    for word, start, end in vocabulary.words(reply):
        original = reply[start:end]
        at_sentence_start = _previous_char(reply, start) in ("", ".", "!", "?")
        if (original[:1].isupper() and not at_sentence_start and fold(word) not in allowed and fold(word) not in reviewer_words
                and word not in NOT_NAMES and is_first_name(original) and not reply[max(0, start - 4):start].rstrip().endswith(".")):
            out.add("names_other_person_phi", start, end,
                    f"'{original}' looks like a person's name; tied to this review it can reveal who was seen. "
                    "Add staff to the names allowed in replies, or leave the name out.")
    for match in EMAIL.finditer(reply):  # k.morrow.allergy@… is Kate Morrow's, whatever the words around it
        mailbox = match.group().partition("@")[0].lower()
        pieces = [fold(piece) for piece in re.split(r"[^a-zà-ÿ]+", mailbox) if piece]
        if mailbox not in OFFICE_MAILBOXES and any(len(name) > 2 and (piece.startswith(name) or piece.endswith(name))
                                                   for piece in pieces for name in reviewer_words):
            out.add("names_reviewer", match.start(), match.end(), f"'{match.group()}' carries the reviewer's name. Remove it.")
    if (cjk := CJK_NAME.match(review.reviewer_name.strip())):  # 陈美玲 addressed as 陈女士: family name first
        for match in re.finditer(re.escape(cjk.group(1)) + CJK_HONORIFIC, reply):
            out.add("names_reviewer", match.start(), match.end(), f"'{match.group()}' names the reviewer. Remove it.")
    for match in HONORIFIC_NAME.finditer(reply):
        surname = fold(match.group(1))
        if surname in reviewer_words or any(part in reviewer_words for part in surname.split("-") if len(part) > 2):
            out.add("names_reviewer", match.start(), match.end(), f"'{match.group()}' names the reviewer. Remove it.")
        elif surname not in allowed:
            out.add("names_other_person_phi", match.start(), match.end(),
                    f"'{match.group()}' names a person; tied to this review it can reveal who was seen. "
                    "Add them to the staff allowed in replies, or leave the name out.")


def _contact_lines(reply: str, review: ReviewContext, settings: PracticeSettings, out: _Findings) -> None:
    """A phone or e-mail in a reply must be the office's. One that appears in the review is the reviewer's,
    whatever the context; one the words around it give as the reader's ("we'll call you at", "we have you
    down as", "we've texted ...") is blocked too. Any other is taken as the office's (a fresh install has
    none in the settings): shown as such by its context, or else with a reminder to add it in the settings."""
    office_phones = {_digits(phone) for phone in settings.office_phones}
    office_emails = {email.lower() for email in settings.office_emails}
    in_review = {_digits(m.group()) for m in PHONE.finditer(review.text)} | {m.group().lower() for m in EMAIL.finditer(review.text)}
    found = [(m, _digits(m.group()), _digits(m.group()) in office_phones) for m in PHONE.finditer(reply)]
    found += [(m, m.group().lower(), m.group().lower() in office_emails) for m in EMAIL.finditer(reply)]
    for match, key, configured in found:
        if key in in_review:
            out.add("contact_info_of_patient", match.start(), match.end(),
                    f"'{match.group()}' is in the review: it is the reviewer's. Never repeat it; give only the office's line.")
        elif configured:
            continue
        elif (whose := _whose_line(reply, match, settings)) == READERS_LINE:
            out.add("contact_info_of_patient", match.start(), match.end(),
                    f"'{match.group()}' reads as the reader's, not the office's. If it is the office's, say so (\"call our office "
                    "at ...\") or add it in Settings under the office's phone numbers or e-mail addresses.")
        elif whose is None:
            out.add("unknown_office_line", match.start(), match.end(),
                    f"'{match.group()}' is taken as the office's own line. If it is, add it in Settings under the office's phone "
                    "numbers or e-mail addresses so ReviewDesk knows it; if it is the reader's, remove it.")


READERS_LINE, OFFICE_LINE = "reader", "office"


def _whose_line(reply: str, match: re.Match, settings: PracticeSettings) -> str | None:
    """Whose the words before a phone or e-mail make it: the reader's, the office's (or it is an office
    mailbox, or an address at the practice's domain), or None when they do not say."""
    before = reply[max(0, match.start() - 120):match.start()]
    while True:
        if PATIENT_CONTACT.search(before):
            return READERS_LINE
        if OFFICE_CONTEXT.search(before) or any(pattern.search(before) for pattern in OFFICE_CONTEXT_MORE):
            return OFFICE_LINE
        shorter = ANOTHER_LINE_BEFORE.sub("", before)
        if shorter == before:
            break
        before = shorter
    if "@" in match.group():
        mailbox, _, domain = match.group().lower().partition("@")
        practice = re.sub(r"[^a-z0-9]", "", settings.practice_name.lower())
        site = re.sub(r"[^a-z0-9]", "", domain.split(".")[0])
        # the practice's site: its name, or one of its own (not generic) words in the domain
        own_words = [word for word in re.findall(r"[a-z]{4,}", settings.practice_name.lower()) if word not in GENERIC_PRACTICE_WORDS]
        if mailbox in OFFICE_MAILBOXES or (practice and len(site) >= 5 and (site in practice or practice in site
                                                                            or any(word in site for word in own_words))):
            return OFFICE_LINE
    return None


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, not ending at "Dr.", "a.m.", "St." or a decimal point."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        # the word before the mark: a look back of a few characters, not over the whole sentence so far
        window = text[max(start, match.start() - 24):match.start()]
        preceding = window.split()
        whole = len(preceding) > 1 or match.start() - 24 <= start or window[:1].isspace()
        last_word = preceding[-1].lower().rstrip(".") if preceding and whole else ""
        if match.group() == "." and last_word.lstrip("(\"'") in ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans if text[s:e].strip()]


def _tone(reply: str, out: _Findings) -> None:
    for pattern in DEFENSIVE:
        for match in pattern.finditer(reply):
            out.add("defensive_tone", match.start(), match.end(),
                    f"'{match.group()}' sounds defensive or sarcastic. Stay calm and kind; the reply is for future readers.")
    for match in SHOUT.finditer(reply):
        if match.group() not in ("HIPAA", "ASAP", "COVID", "DDS", "DMD"):
            out.add("defensive_tone", match.start(), match.end(), f"'{match.group()}' reads as shouting. Use normal case.")
    if _may_read_negative(reply) and sentiment(reply) <= -0.5:
        out.add("defensive_tone", 0, len(reply), "The reply's tone is strongly negative. Acknowledge and invite contact instead.")


def sentiment(text: str) -> float:
    return _vader().polarity_scores(text)["compound"]


_VADER = None
_NEGATIVE_WORDS: frozenset[str] | None = None


def _may_read_negative(text: str) -> bool:
    """Whether VADER could score the text negative: it has one of its negative words or a negation (or an
    emoji, which it reads as words). Without them every valence is positive or none, and VADER is skipped."""
    global _NEGATIVE_WORDS  # noqa: PLW0603 (built with the analyser, once)
    if _NEGATIVE_WORDS is None:
        from vaderSentiment.vaderSentiment import NEGATE

        _NEGATIVE_WORDS = frozenset(word for word, valence in _vader().lexicon.items() if valence < 0) | frozenset(NEGATE)
    return not text.isascii() or any(word in _NEGATIVE_WORDS for word in re.findall(r"\w+(?:'\w+)*", text.lower()))


def _vader():
    global _VADER  # noqa: PLW0603 (one analyser, built on first use: loading its lexicon takes a moment)
    if _VADER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _VADER = SentimentIntensityAnalyzer()
    return _VADER


def _shape(reply: str, review: ReviewContext, settings: PracticeSettings, out: _Findings) -> None:
    spans = sentences(reply)
    if len(spans) > settings.max_sentences:
        start = spans[settings.max_sentences][0]
        out.add("too_long", start, len(reply), f"The reply has {len(spans)} sentences; keep it to {settings.max_sentences}: "
                                               "acknowledge, take it seriously, invite them to contact the office.")
    unrated = review.rating is None and review.recommends is None
    negative = review.negative_or_mixed or (unrated and bool(review.text.strip()) and sentiment(review.text) < 0.3)
    if negative and not (INVITE.search(reply) and INVITE_TARGET.search(reply)):
        out.add("no_offline_invite", 0, len(reply), "Invite the reviewer to contact the office directly "
                                                     f"(for example: 'please call {settings.contact_role}').")
    if not ACKNOWLEDGE.search(reply):
        out.add("no_acknowledgment", 0, len(reply), "Thank the reviewer for the feedback or say you are sorry "
                                                            "the experience fell short.")


# Where a medical word is no one's care: the practice's name, a sign-off line naming the practice or its
# people ("— Becca Lyle, Sabine Crossing Orthodontics"), and idioms ("at the heart of what we do").
SIGN_OFF = re.compile(r"(?:[—–|]|\b(?:With\s+gratitude|Sincerely|Warmly|Best(?:\s+wishes)?|Kind\s+regards|Regards|Gracias|Saludos|"
                      r"Atentamente|Cordialmente),)\s*([^!?\n]{2,120}?)[.!]?\s*$")
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|&|and|of|the|de|del|la|y|at|\d[\d()\s.-]*|\(\d{3}\)|[\w.-]+\.(?:com|org|net|us|example)\S*|"
                       r"[\w.+-]+@\S+|[|,·-])$")
IDIOMS = _rx(r"\bheart\s+of\b|\b(?:become|becomes|became|be|is|was|are|were)\s+(?:a|such\s+a)\s+(?:real\s+|big\s+|known\s+)?"
             r"headache\b|\bscan(?:ning)?\s+(?:the|this|our|a)\s+(?:qr|code|barcode|form|forms|document|documents|card|sign-in)\b|"
             r"\binfection\s+(?:control|prevention)\b|\bcleaning\s+(?:crew|staff|team|schedule|service|company)\b|"
             r"\bclean(?:ing)?\s+(?:(?:of|in)\s+)?(?:the|our)\s+(?:[\w-]+\s+)?(?:area|room|rooms|office|restrooms?|bathrooms?|lobby|"
             r"building|floors?|chairs?|toys?)\b|\b(?:for|put|bring|brought|gave|gives|give)\s+(?:us\s+)?(?:a|the|such\s+a)\s+(?:big\s+)?smile\b|"
             r"\bsmiles?\s+on\s+our\s+faces\b|\b(?:makes?|made|making)\s+(?:us|everyone|all\s+of\s+us|our\s+(?:whole\s+|entire\s+)?(?:team|staff|day))\s+smile\b")

# A signature on its own line: a person's name and their role at the practice after a comma ("Dana Whitcomb,
# Office Manager", "— Dr. Priya Nair, DDS"). The names rule still reads it (the reviewer's name is never one).
SIGNATURE = re.compile(r"^\s*(?:[—–-]\s*)?(?:Dr\.?\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2})"
                       r"(?:\s*,\s*(?P<role>[^,.!?]{2,80}))?\s*\.?\s*$")
ROLE_WORDS = frozenset("""manager office practice clinic operations director coordinator administrator owner founder co-founder lead team
front desk patient patients care services experience relations and & of the at our dds dmd md do np pa pa-c rn lpn ma phd psyd lcsw
dc dpt od facs dentist hygienist physician doctor partner medical dental assistant receptionist scheduler billing supervisor chief
officer ceo coo president vice gerente directora director administradora administrador equipo""".split())
TITLE_WORDS = frozenset("""manager director coordinator administrator owner founder co-founder lead dds dmd md do np pa pa-c rn
lpn ma phd psyd lcsw dc dpt od facs dentist hygienist physician doctor partner assistant receptionist scheduler supervisor chief
officer ceo coo president gerente directora director administradora administrador""".split())
GREETING_WORDS = frozenset("congratulations congrats happy thanks thank welcome dear hi hello best warm merry good get".split())


def is_signature(sentence: str, practice_name: str = "") -> bool:
    """Whether the sentence is only a signature: a name, then a role at the practice (which may name the practice)."""
    if practice_name.strip():
        sentence = re.sub(re.escape(practice_name.strip()), "Practice", sentence, flags=re.IGNORECASE)
    match = SIGNATURE.match(sentence)
    if not match or not match.group("role") or any(word.lower() in GREETING_WORDS for word in match.group("name").split()):
        return False
    role = [word.lower().strip(".") for word in match.group("role").replace("/", " ").split()]
    return all(word in ROLE_WORDS for word in role) and any(word in TITLE_WORDS for word in role)


def _before_signature(sentence: str, practice_name: str) -> str:
    """The sentence without a signature that ends it (on its own line or after a dash); "" when it is one."""
    if is_signature(sentence, practice_name):
        return ""
    cut = max(sentence.rfind("\n"), sentence.rfind("—"), sentence.rfind("–"))
    return sentence[:cut] if cut > 0 and is_signature(sentence[cut:], practice_name) else sentence


PRACTICE_ROLE = _rx(r"\b(?:director|manager|head|coordinator|chief)\s+of\s+[\w-]+")  # "our director of operations"
# A role in running the practice, whoever reads it: "Operations Manager", "our director of operations".
BUSINESS_ROLE = _rx(r"\b(?:director|manager|head|vp|chief|coordinator|lead)\s+of\s+(?:operations|administration|finance|marketing|"
                    r"quality|compliance|human\s+resources|patient\s+(?:experience|relations|services))\b|"
                    r"\boperations\s+(?:manager|director|team|lead|coordinator|department|supervisor|staff)\b")
WEB_ADDRESS = _rx(r"\b(?:https?://|www\.)\S+|\b[\w-]{1,63}\.(?:com|org|net|us|example|health|clinic|care)(?:/\S*)?")
ANY_ONE = _rx(r"\b(?:every|each|any)\s+(?!other\b|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|day|week|month|"
              r"morning|afternoon|evening|night|visit|time)s?\b)(?:[\w-]+\s+)?[\w-]+")


def _about_reader(reply: str, settings: PracticeSettings, model: Any, approved: frozenset[str], out: _Findings) -> None:
    """Sentences that say something about the reader though no rule found a word for it (the model's),
    except those of a known safe shape (:mod:`server.replies.safe_shapes`) and those the practice's staff
    said are safe (``approved``: their :func:`sentence_key`)."""
    if model is None:
        return
    blocked = [(v.start, v.end) for v in out.items if RULES[v.rule] == BLOCK]
    for start, end in sentences(reply):
        if any(start < b_end and b_start < end for b_start, b_end in blocked):
            continue
        if approved and sentence_key(reply[start:end]) in approved:
            continue
        said = _before_signature(reply[start:end], settings.practice_name)
        text = sentence_text(said, settings.practice_name)
        if said.strip() and not safe_shape(text) and model.about_reader(text) >= model.threshold:
            out.add("confirms_patient", start, end, f"“{reply[start:end].strip()}”: {ABOUT_READER_MESSAGE}", learned=True)


IMPLIED = {
    "confirms_patient": "tells the world the reader is a patient (their care, life, family or visits). Remove it.",
    "phi_condition": "implies a health condition of the reader's. Remove it; speak only in general terms.",
    "phi_treatment": "implies the reader's treatment, test or device. Remove it; speak only in general terms.",
    "phi_medication": "implies a medication of the reader's. Remove it; speak only in general terms.",
    "phi_visit_detail": "gives a detail of the reader's visits (when, how often, what happened). Remove it.",
    "argues_facts": "argues with the reader's account or holds a policy up to them. Don't argue in public; invite them to talk privately.",
    "asks_removal": "asks, even softly, for the review to be changed or taken down, which the FTC rule forbids. Remove it.",
    "billing_detail": "is about the reader's bill, payment or insurance. Never discuss anyone's account in public.",
}


IDENTITY_RULES = ("names_reviewer", "contact_info_of_patient")


def _implied_rules(reply: str, settings: PracticeSettings, model: Any, approved: frozenset[str], out: _Findings) -> None:
    """For each blocked sentence, the rules it breaks by implication that nothing has named yet (the learned
    model of rule names): the block is the same, the message says what is wrong. Learned when no rule
    blocks the sentence (then staff may override it with the rest of its learned blocks)."""
    if model is None:
        return
    blocks = [v for v in out.items if RULES[v.rule] == BLOCK]
    for start, end in sentences(reply):
        touching = [v for v in blocks if v.start < end and start < v.end]
        if not touching or (approved and sentence_key(reply[start:end]) in approved):
            continue
        named = {v.rule for v in touching}
        learned_only = all(v.learned for v in touching)
        # A name or a line is who the reader is, no sign of their care: the model reads the sentence without it.
        sentence = reply[start:end]
        for v in sorted((v for v in touching if v.rule in IDENTITY_RULES), key=lambda v: -v.start):
            cut_from, cut_to = max(v.start, start) - start, min(v.end, end) - start
            sentence = sentence[:cut_from] + " " + sentence[cut_to:]
        said = sentence_text(sentence, settings.practice_name)
        if safe_shape(said):  # without the name or line, only the safe things a reply does: nothing implied
            continue
        for rule in model.rules(said):
            if rule not in named and rule in IMPLIED:
                out.add(rule, start, end, f"“{reply[start:end].strip()}” {IMPLIED[rule]}", learned=learned_only)


def sentence_key(sentence: str) -> str:
    """A sentence as staff approvals match it: whitespace collapsed, case folded."""
    return " ".join(sentence.split()).casefold()


def _not_about_care(reply: str, settings: PracticeSettings) -> list[tuple[int, int]]:
    """Spans whose medical or billing words are about no one's care: idioms, the practice's and its staff's
    names and any other organisation's name, a role at the practice ("director of operations") and any client
    at all ("every consultation") in a sentence not about the reader; and a sign-off (see SIGN_OFF)."""
    # an e-mail address or a web address: a mailbox's name ("shots@...") is no one's care; whose line it is, the contact rules say
    spans = [(m.start(), m.end()) for pattern in (IDIOMS, ORGANISATION, BUSINESS_ROLE, EMAIL, WEB_ADDRESS) for m in pattern.finditer(reply)]
    for start, end in sentences(reply):  # "our dialysis team looks forward to seeing you" is about the reader
        if not READER.search(reply[start:end]):
            spans += [(start + m.start(), start + m.end()) for pattern in (PRACTICE_ROLE, ANY_ONE) for m in pattern.finditer(reply[start:end])]
    for name in (*settings.staff_names, settings.practice_name):  # "Dr. Hana Ito" is a colleague, whatever her name resembles
        if name.strip():
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(name.strip()), reply, re.IGNORECASE)]
    if (sign_off := SIGN_OFF.search(reply)) and all(NAME_WORD.match(word) for word in sign_off.group(1).replace(",", " , ").split()):
        spans.append(sign_off.span(1))
    return spans


SHIPPED = "shipped"  # check() with the sentence model stored beside the code
ABOUT_READER_MESSAGE = ("This sentence says something about the reader (their life, family, body, plans, or past or future with "
                        "the practice), which tells the world they are a patient. A safe reply only thanks, acknowledges or "
                        "apologises in general terms, states a general commitment of the practice, invites them to contact the "
                        "office, and signs off.")


def check(reply: str, review: ReviewContext | dict | None = None, settings: PracticeSettings | dict | None = None,
          sentence_model: Any = SHIPPED, approved: frozenset[str] = frozenset(), rule_model: Any = SHIPPED) -> CheckResult:
    """Check a draft reply to a review against every rule, then each sentence no rule blocked against the
    learned model of what a safe reply's sentences do (default-deny; ``sentence_model=None``: the rules alone),
    and name the rules each blocked sentence breaks by implication (``rule_model``).
    ``approved``: the :func:`sentence_key` of sentences staff said are safe; the model leaves them alone (the
    rules still apply to them)."""
    review = review if isinstance(review, ReviewContext) else review_context(review or {})
    settings = settings if isinstance(settings, PracticeSettings) else practice_settings(settings or {})
    out = _Findings(reply)
    _phi(reply, review, out)
    _your_things(reply, out)
    _names(reply, review, settings, out)
    for rule, patterns, message in (
        ("argues_facts", ARGUES, "disputes the reviewer's account. Don't argue in public; invite them to talk privately."),
        ("asks_removal", REMOVAL, "asks for the review to be removed or changed, which the FTC rule forbids. Remove it."),
        ("billing_detail", BILLING, "is about billing or insurance. Never discuss anyone's account in public."),
    ):
        for pattern in patterns:
            for match in pattern.finditer(reply):
                out.add(rule, match.start(), match.end(), f"'{match.group()}' {message}")
    _contact_lines(reply, review, settings, out)
    _tone(reply, out)
    _shape(reply, review, settings, out)
    exempt = _not_about_care(reply, settings)  # medical words about no one's care: dropped before the learned layers look
    out.items = [v for v in out.items if not ((v.rule.startswith("phi_") or v.rule == "billing_detail") and any(start <= v.start and v.end <= end for start, end in exempt))]
    _about_reader(reply, settings, reply_model() if sentence_model == SHIPPED else sentence_model, approved, out)
    if sentence_model is not None:
        _implied_rules(reply, settings, rule_names_model() if rule_model == SHIPPED else rule_model, approved, out)
    violations = sorted(out.items, key=lambda v: (v.start, v.rule))
    return CheckResult(allowed=not any(v.severity == BLOCK for v in violations), violations=violations)


def review_context(data: dict) -> ReviewContext:
    rating = data.get("rating")
    return ReviewContext(
        text=str(data.get("text") or ""),
        reviewer_name=str(data.get("reviewer_name") or ""),
        platform=str(data.get("platform") or ""),
        rating=rating if isinstance(rating, int) and not isinstance(rating, bool) else None,
        recommends=data.get("recommends") if isinstance(data.get("recommends"), bool) else None,
    )


def practice_settings(data: dict) -> PracticeSettings:
    return PracticeSettings(
        practice_name=str(data.get("practice_name") or ""),
        office_phones=tuple(data.get("office_phones") or ()),
        office_emails=tuple(data.get("office_emails") or ()),
        contact_role=str(data.get("contact_role") or "our office manager"),
        staff_names=tuple(data.get("staff_names") or ()),
        max_sentences=int(data.get("max_sentences") or 3),
        suggest_positive=bool(data.get("suggest_positive", True)),
    )
