"""What kind of answer a review gets: ``reply``, ``do_not_reply`` (trolls, abuse, spam: report it on
the platform instead) or ``escalate`` (legal threats, privacy-breach allegations, emergencies, threats,
self-harm: management sees it before anyone replies).

A frustrated patient who swears about a real experience still gets a reply; a post that insults
people, spreads hate or advertises does not.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from parsers import limits
from server.replies.learned import (DO_NOT_REPLY_CATEGORIES, ESCALATE_CATEGORIES, Opinion, TriageModel, readable, review_text,
                                    triage_model)
from server.replies.policy import ReviewContext, sentences, sentiment

REPLY, DO_NOT_REPLY, ESCALATE = "reply", "do_not_reply", "escalate"


def _rules_version() -> str:
    """A fingerprint of the rules (this package's code): a triage stored under other rules is decided again."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RULES_VERSION = _rules_version()

REPORT_PATHS = {
    "google": "On Google Maps or in your Business Profile, open the review, choose ⋮ (More) → Report review, and pick the reason "
              "(off topic, spam, conflict of interest, profanity, bullying or harassment, discrimination or hate speech, personal information).",
    "yelp": "In Yelp for Business, open Reviews, choose ⋯ on the review → Report review, and pick the reason; Yelp's "
            "moderators decide. Do not reply publicly.",
    "facebook": "On the recommendation, choose ⋯ → Find support or report recommendation, and pick the reason "
                "(harassment, hate speech, spam, false information).",
}
# Who sees an escalation first, and why, by category.
NOTIFY = {
    "self_harm": "a clinician, now: reach out privately and give crisis resources (in the US, call or text 988)",
    "violence": "the practice manager, who decides whether to call the police",
    "emergency": "the clinician on call, now: reach the patient or family today (911 if it cannot wait)",
    "clinical_harm": "the treating clinician and the practice manager",
    "privacy_breach": "the privacy officer",
    "legal": "the practice owner or manager (and the practice's liability insurer)",
    "regulator": "the practice owner or manager (and the practice's liability insurer)",
}
DO_NOT_REPLY_WHY = {
    "spam": "the post looks like spam or advertising",
    "wrong_business": "the post is about another business, not this practice",
    "hate": "the post contains hate speech",
    "harassment": "the post insults or harasses people; don't feed it",
    "gibberish": "the post makes no sense as a review",
    "political": "the post is a political or conspiracy rant, not a review",
}
WHY = {
    "self_harm": "the reviewer may be at risk of harming themselves",
    "violence": "the review contains a threat of violence",
    "emergency": "the review describes an emergency that may still be going on",
    "clinical_harm": "the review describes harm from care",
    "privacy_breach": "the review alleges a privacy breach",
    "legal": "the review mentions legal action",
    "regulator": "the review mentions a complaint to a board or regulator",
}
# (category, pattern): the rules' escalations, most urgent first.
ESCALATIONS = [
    ("self_harm", re.compile(r"\b(?:kill\s+myself|suicid\w*|end\s+(?:it\s+all|my\s+life)|hurt\s+myself|self[- ]harm|"
                             r"don'?t\s+want\s+to\s+live)\b", re.I)),
    ("violence", re.compile(r"\b(?:i'?ll|i\s+will|gonna|going\s+to)\s+(?:kill|shoot|hurt|beat|burn|come\s+back\s+(?:with|and))\b|"
                            r"\b(?:bomb\s+threat|plant\s+a\s+bomb|blow\s+(?:it|you|the\s+place)\s+up|shoot\s+up)\b|"
                            # a weapon in anyone's hands at the office is for management, whoever holds it
                            r"\b(?:(?:had|has|pulled|pulls|waving|waved|carrying|carried|brought|brandish\w*|flashed|showed)(?:\s+out)?|"
                            r"(?:came|walked|showed\s+up|come|coming)\s+(?:in|back|here)?\s*with)\s+(?:a|an|his|her|their)\s+"
                            r"(?:knife|gun|pistol|firearm|weapon|blade|machete)\b", re.I)),
    ("emergency", re.compile(r"\b(?:emergency\s+room|the\s+er\b|ambulance|911|can'?t\s+breathe|still\s+bleeding)", re.I)),
    ("clinical_harm", re.compile(r"\b(?:hospitali[sz]ed|in\s+the\s+hospital|nearly\s+died|almost\s+died|sepsis|life[- ]threatening|"
                                 r"emergency\s+surgery|wrong\s+(?:tooth|side|eye|knee|leg|arm|hip|site|dose|dosage|medication|"
                                 r"prescription|patient)\b|"
                                 r"permanent(?:ly)?\s+(?:damage|injur)|paralys\w*)", re.I)),
    ("privacy_breach", re.compile(r"\b(?:hipaa|my\s+privacy|privacy\s+(?:violation|breach)|confidential\w*|leaked\s+my|data\s+(?:leak|breach)|"
                                  r"(?:shared|disclosed|posted|told)\s+(?:my|our)\s+(?:information|info|records|details|diagnosis|results|"
                                  r"history)|told\s+my\s+(?:employer|boss|family|wife|husband))\b", re.I)),
    ("regulator", re.compile(r"\b(?:medical\s+board|dental\s+board|licensing\s+board|state\s+board|"
                             r"report(?:ing|ed)?\s+(?:you|this\s+(?:office|practice))\s+to)\b", re.I)),
    ("legal", re.compile(r"\b(?:lawyer|attorney|(?:i'?ll|i\s+will|we\s+will|going\s+to|gonna|plan\s+to|will|should)\s+sue|suing|"
                         r"sued\s+you|lawsuit|legal\s+action|small\s+claims|take\s+(?:you|this|them)\s+to\s+court|see\s+you\s+in\s+court|"
                         r"malpractice)\b", re.I)),
]
# Warning signs told without the words: the phrases suicide-prevention and threat-assessment guides list
# ("I won't be around for it", "better off without me", "sleep with one eye open", "I know where he lives"),
# red-flag symptoms of an emergency (a swelling tongue or throat, a drooping face, slurred speech), a
# complaint lodged with an authority by its name, and records found where anyone could take them.
ESCALATIONS += [
    ("self_harm", re.compile(r"\bwon'?t\s+be\s+(?:around|here)\s+(?:much\s+longer|anymore|for\s+(?:it|that|much\s+longer))|"
                             r"\b(?:thought|think|thinking)\s+about\s+(?:just\s+)?not\s+waking\s+up|"
                             r"\bhow\s+much\s+longer\s+I\s+(?:want|can)\s+(?:to\s+)?(?:keep\s+going|go\s+on|do\s+this)|"
                             r"\b(?:don'?t|do\s+not)\s+want\s+to\s+(?:keep\s+going|wake\s+up|be\s+here\s+anymore|"
                             r"go\s+on(?=\s*[.,!;]|\s*$|\s+(?:like\s+this|living|anymore)))|"
                             r"\bbetter\s+off\s+without\s+me\b|\bwalk\s+into\s+the\s+(?:river|ocean|sea|lake|water|traffic)|"
                             r"\b(?:said|say|saying)\s+(?:my\s+)?goodbyes?\s+to\s+(?:everyone|my\s+(?:family|kids|wife|husband|children))|"
                             r"\bstopped\s+(?:taking|using)\s+(?:my\s+)?[\w-]+\s+on\s+purpose|"
                             r"\bya\s+me\s+desped[ií]\s+de|\bno\s+quiero\s+despertar|\bmejor\s+sin\s+m[ií]\b|\bkung\s+wala\s+na\s+ako\b|"
                             r"不想醒来|活着没意思|không\s+muốn\s+sống", re.I)),
    ("violence", re.compile(r"\bsleep\s+with\s+one\s+eye\s+open|"
                            r"\bknow\s+where\s+(?:you|he|she|they|(?:the|your|his|her)\s+(?:\w+\s+)?(?:staff|doctor|dentist|nurses?|receptionist|"
                            r"family|kids))\s+(?:live|lives|park|parks)\b|\bkeep\s+the\s+porch\s+light\s+on\b|\bque\s+se\s+atengan?\b|"
                            r"\b(?:i'?ll|i\s+will|gonna|going\s+to)\s+(?:crack|break|bash|smash|snap)\s+(?:his|her|your|their)\s+"
                            r"(?:skull|face|head|neck|jaw|legs?|arms?)\b|"
                            r"\bbought\s+a\s+(?:gun|rifle|pistol|shotgun)\b(?!\s+(?:safe|lock|case|cabinet|license))", re.I)),
    ("emergency", re.compile(r"\btongue\s+(?:feels\s+|is\s+|got\s+)?(?:thick|swollen|swelling)|\bthroat\s+(?:is\s+|feels\s+)?(?:closing|swelling|tight)|"
                             r"\bcan'?t\s+swallow(?!\s+(?:pills?|tablets?|capsules?|the|that|this|their|big|large))|"
                             r"\b(?:face|mouth)\s+(?:is\s+)?(?:drooping|droopy)|\bslurr(?:ed|ing)\s+(?:(?:her|his|my)\s+)?(?:words|speech)|"
                             r"\bspeech\s+(?:is\s+)?slurred|\blips\s+(?:are\s+|turned\s+|went\s+)?blue\b|\blengua\s+hinchada|\bno\s+puede\s+tragar|"
                             r"说话不清楚|嘴(?:也)?(?:有点)?歪|肿到脖子|咽不下去", re.I)),
    ("regulator", re.compile(r"\bgrievance\s+(?:line|department|form|with)|\bconsumer\s+affairs\b|\bexaminers\b|\bdmhc\b|"
                             r"\bdepartment\s+of\s+(?:health|insurance)\b|\boffice\s+for\s+civil\s+rights\b|\bjoint\s+commission\b|"
                             r"\b(?:filed|file|filing|lodged)\s+(?:a\s+)?(?:formal\s+)?complaint\s+with\s+(?:the\s+)?(?:state|board|medicare|"
                             r"medicaid|hhs|ocr|insurance\s+commissioner)", re.I)),
    ("privacy_breach", re.compile(r"\b(?:my|our|her|his)\s+(?:\w+\s+)?(?:records?|chart|paperwork|printouts?|results|files?|x-?rays?|scans?)\s+"
                                  r"(?:\w+\s+){0,3}(?:in|into)\s+(?:the|a)\s+(?:\w+\s+){0,2}(?:trash|recycling|garbage|dumpster|bin)\b|"
                                  # a patient discussed where others hear: "talking loudly about a patient by name", "repeating my symptoms out loud"
                                  r"\babout\s+(?:a|another|other)\s+patients?\s+by\s+(?:\w+\s+){0,3}name|"
                                  r"\b(?:repeat\w*|read\w*|sa(?:id|ying)|discuss\w*|talk\w*)\s+(?:my|her|his|their)\s+(?:symptoms|diagnosis|results|"
                                  r"history|condition|medications?)\s+(?:out\s+loud|loudly|aloud|in\s+front\s+of)", re.I)),
]
# The same escalations in the other languages common in US practices (Spanish, Vietnamese, Chinese,
# Tagalog): a review in another language must not hide a legal threat, an emergency or a risk to life.
ESCALATIONS += [
    ("self_harm", re.compile(r"\b(?:suicid\w*|quitarme\s+la\s+vida|matarme|no\s+quiero\s+(?:seguir\s+)?viv(?:ir|iendo)|hacerme\s+da[ñn]o|"
                             r"acabar\s+con\s+todo|magpakamatay|ayoko\s+nang\s+mabuhay|wakasan\s+ang\s+(?:aking\s+)?buhay)\b|"
                             r"tự\s+tử|muốn\s+chết|tự\s+làm\s+hại|自杀|不想活|想死|结束生命", re.I)),
    ("violence", re.compile(r"\b(?:(?:voy|vamos)\s+a\s+(?:matar|golpear|quemar|disparar|balear)|los?\s+voy\s+a\s+matar|papatayin|"
                            r"babarilin)\b|giết|杀了你|打死你|炸了", re.I)),
    ("emergency", re.compile(r"\b(?:sala\s+de\s+emergencias?|urgencias|ambulancia|no\s+(?:puede|puedo|podía|podia)\s+respirar|"
                             r"sigue\s+sangrando|ambulansya|hindi\s+makahinga|dumudugo\s+pa\s+rin)\b|cấp\s+cứu|không\s+thở\s+được|"
                             r"急诊|急救|救护车|喘不过气|呼吸困难|一直流血", re.I)),
    ("clinical_harm", re.compile(r"\b(?:hospitaliza\w+|casi\s+(?:me\s+)?mor[ií]\w*|casi\s+se\s+muere|da[ñn]o\s+permanente|par[aá]lisis|"
                                 r"naospital|muntik\s+(?:na\s+)?(?:akong\s+)?mamatay)\b|nhập\s+viện|suýt\s+chết|住院|差点死", re.I)),
    ("privacy_breach", re.compile(r"\b(?:privacidad|confidencial\w*|(?:compartieron|divulgaron|publicaron|dieron|mostraron)\s+(?:mi|mis|su|sus)\s+"
                                  r"(?:informaci[oó]n|expediente|historial|resultados|datos)|kumpidensyal)\b|quyền\s+riêng\s+tư|bảo\s+mật|"
                                  r"隐私|泄露|保密", re.I)),
    ("regulator", re.compile(r"\b(?:junta\s+(?:m[eé]dica|dental|de\s+medicina|estatal)|(?:reportar|denunciar|quejarme)\w*\s+(?:ante|a|con)\s+"
                             r"(?:la\s+)?(?:junta|estado|autoridades))\b|hội\s+đồng\s+y\s+khoa|医疗委员会|卫生局|投诉到|举报", re.I)),
    ("legal", re.compile(r"\b(?:abogad[oa]s?|demandar\w*|(?:los|lo|la|les)\s+voy\s+a\s+demandar|acci[oó]n\s+legal|"
                         r"negligencia\s+m[eé]dica|mala\s+pr[aá]ctica|idedemanda|kakasuhan|abogado)\b|luật\s+sư|khởi\s+kiện|sẽ\s+kiện|"
                         r"kiện\s+ra\s+tòa|tòa\s+án|律师|起诉|诉讼|告你们|法院", re.I)),
]
INSULTS = re.compile(
    r"\b(?:idiots?|morons?|losers?|imbeciles?|scum|trash|garbage\s+(?:people|humans?)|retard\w*|bitch\w*|bastards?|whores?|"
    r"sluts?|pigs?|clowns?|animals|dumbass\w*|jackass\w*|assholes?|pieces?\s+of\s+(?:shit|crap)|go\s+to\s+hell|rot\s+in\s+hell|"
    r"die\s+in\s+a\s+fire|i\s+know\s+where\s+you\s+live)\b", re.I)
HATE = re.compile(r"\b(?:go\s+back\s+to\s+your\s+country|(?:all\s+)?(?:immigrants|foreigners)\s+(?:should|are)|"
                  r"\bn[i1]gg\w*|f[a@]gg?\w*|k[i1]ke\w*|sp[i1]c\b|ch[i1]nk\w*|tr[a@]nn(?:y|ies))", re.I)
SPAM = re.compile(r"https?://|www\.\w|\b(?:crypto|bitcoin|forex|promo\s+code|discount\s+code|click\s+here|buy\s+now|"
                  r"follow\s+me|check\s+out\s+my|dm\s+me|whatsapp|telegram|earn\s+\$|make\s+money)\b", re.I)
EXPERIENCE = re.compile(r"\b(?:wait\w*|appointment|staff|doctor|dentist|hygienist|nurse|front\s+desk|office|visit|billing|"
                        r"insurance|called|phone|treatment|procedure|cleaning|rude|late|hours?|minutes?)\b", re.I)


@dataclass(frozen=True)
class Evidence:
    """Where in the review's text the decision comes from (``text[start:end]``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Triage:
    action: str
    sentiment: str  # negative, mixed, positive, rating_only
    reason: str
    notify: str | None = None
    report_path: str | None = None
    category: str = "genuine"  # see learned.CATEGORIES
    evidence: tuple[Evidence, ...] = ()
    decided_by: str = "rules"  # "rules"; "model" when the learned second opinion raised it; "staff"

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "evidence": [asdict(found) for found in self.evidence]}


def review_sentiment(review: ReviewContext) -> str:
    if review.rating is not None:
        kind = "negative" if review.rating <= 2 else "mixed" if review.rating == 3 else "positive"
    elif review.recommends is not None:
        kind = "positive" if review.recommends else "negative"
    else:
        score = sentiment(review.text) if review.text.strip() else 0.0
        kind = "negative" if score <= -0.3 else "positive" if score >= 0.3 else "mixed"
    if not review.text.strip():
        return "rating_only" if review.rating is not None or review.recommends is not None else kind
    return kind


def _profane(text: str) -> float:
    from profanity_check import predict_prob

    return float(predict_prob([text])[0])


# Escalation words used harmlessly, judged in their sentence: a lawyer who is a relative or recommended the
# office, a lawsuit ruled out or joked about, an emergency room visited long ago or named as the place not
# to go, a dying of boredom, a threat that is an idiom ("my boss is gonna kill me", "this is gonna hurt").
_JOKE = r"\b(?:lol|lmao|haha\w*|jaja\w*|just\s+kidding|jk|kidding|joking)\b|😂|🤣|😅|😆"
_KIN = (r"(?:friend|buddy|cousin|brother|sister|dad|father|mom|mother|son|daughter|husband|wife|uncle|aunt|neighbou?r|"
        r"[\w-]+-in-law|coworker|colleague|amig[oa]|cuñad[oa]|herman[oa]|espos[oa]|vecin[oa]|hij[oa]|padre|madre|t[ií][oa]|prim[oa]|"
        r"compadre|comadre|kapatid|pinsan|kaibigan|asawa|tatay|nanay|anak|tito|tita|kumpare|kumare)")
_LAWYER = r"(?:lawyer|attorney|abogad[oa])"
_RELATION = (rf"\b(?:my|our|mi|su)\s+(?:\w+\s+){{0,2}}{_KIN}\s+(?:\w+\s+){{0,3}}(?:is|was|es|era)\s+(?:\w+\s+){{0,3}}{_LAWYER}|"
             rf"\b{_LAWYER}\s+(?:\w+\s+)?{_KIN}\b|\b{_KIN},?\s+(?:[\w']+,?\s+){{0,5}}{_LAWYER}\b|"
             r"\b(?:recommend\w*|referred|refers?|sent\s+me|told\s+(?:me|us)\s+to\s+(?:come|go|find|try|see)|recomend\w*)\b|"
             rf"\bi'?m\s+an?\s+(?:\w+\s+){{0,3}}{_LAWYER}\b|\blawyer\s+in\s+me\b|\bas\s+an?\s+(?:\w+\s+)?{_LAWYER}\b|"
             # "Mi abogado es mi compadre", "Abogado ang kapatid ko" (Tagalog: my sibling is a lawyer)
             rf"\b{_LAWYER}\s+(?:is|es|ang)\s+(?:\w+\s+){{0,2}}{_KIN}\b|"
             rf"\b(?:my|our)\s+{_KIN}['’]s\s+an?\s+(?:[\w-]+\s+){{0,3}}{_LAWYER}\b")  # "my husband's a personal injury lawyer"
_LEGAL_THREAT = (r"\b(?:sue|suing|sued|court|legal\s+action|lawsuit|case|claim|letter|contact(?:ing)?\s+you|hear\s+from|"
                 r"demand\w*|caso|demanda\w*|corte|spoke|spoken|talked|talking|speaking|consulted|consulting|retain\w*|habl[eé]\w*|"
                 r"about\s+(?:the\s+way|what|how))\b")
_RULED_OUT = (r"\b(?:not|never|no)\s+(?:\w+\s+)?(?:going\s+to|gonna|planning\s+to|trying\s+to)\s+sue\b|\bnot\s+(?:\w+\s+)?suing\b|"
              r"\bsue\s+myself\b|\b(?:this|so)\s+close\s+to\s+(?:filing|suing|taking\s+(?:them|you)\s+to\s+court)\b|"
              r"\bnot\s+a\s+lawsuit|\blawsuit[- ](?:level|worthy)\b")
_LONG_AGO = (r"\b(?:last\s+(?:year|spring|summer|fall|autumn|winter)|(?:a|one|two|three|four|five|several|many|\d+)\s+(?:years?|winters?|summers?|springs?|falls?|autumns?)\s+ago|years\s+ago|"
             r"years\s+back|el\s+a[ñn]o\s+pasado|hace\s+(?:\w+\s+)?a[ñn]os|worked\s+(?:\w+\s+){0,4}in|trabaj\w+\s+(?:\w+\s+){0,5}en|"
             r"instead\s+of|rather\s+than|faster\s+to\s+(?:just\s+)?go|en\s+vez\s+de|back\s+in\s+(?:19|20)\d\d|"
             r"before\s+(?:i|we)\s+(?:found|started\s+(?:coming|going|seeing)|switched|came\s+here)|"
             # an emergency room no longer needed: "we haven't been back to the ER since", "kept him out of the ER"
             r"(?:haven'?t|have\s+not|hasn'?t|never)\s+(?:\w+\s+){0,2}(?:been|gone|had\s+to\s+go)\s+(?:back\s+)?to|"
             r"(?:kept|keeps|keep|keeping|stayed|stay)\s+(?:\w+\s+)?out\s+of)\b|以前|从前|trước\s+đây")
# What makes an emergency told a sentence or two after "two years ago" current again.
_NOW = re.compile(r"\b(?:today|tonight|yesterday|last\s+night|this\s+(?:morning|afternoon|evening|week)|right\s+now|now|still|"
                  r"currently|hoy|anoche|ayer|ahora|todav[ií]a)\b", re.I)
# Idioms that are harmless wherever they stand ("nearly died when I saw the bill", "killing me with paperwork").
_POWER_OF_ATTORNEY = re.compile(r"\bpowers?\s+of\s+attorney\b", re.I)
_DIED_OF = re.compile(r"\b(?:died|die|dying)\s+(?:of|from)\s+(?:boredom|laugh\w*|embarrassment|shame|hunger)\b|"
                      r"\bmorir\w*\s+de\s+(?:aburrimiento|risa|hambre|verg[üu]enza)|"
                      r"\b(?:nearly|almost|practically)\s+(?:died|had\s+a\s+heart\s+attack)\s+(?:when|after)\s+(?:(?:I|they|she|he|we)\s+)?"
                      r"(?:saw|read|heard|got|opened|(?:told|showed|quoted|handed|sent)\s+(?:me|us)\s+(?:\w+\s+)?(?:price|bill|total|"
                      r"cost|quote|estimate|fee|wait))\b|"
                      r"\b(?:nearly|almost|practically)\s+died\s+(?:waiting|laughing|looking|searching|trying\s+to\s+(?:find|park|get\s+through))\b|"
                      r"\bcasi\s+(?:me\s+|se\s+)?mor[ií]\w*\s+(?:buscando|esperando|de\s+(?:la\s+)?(?:risa|aburrimiento|hambre|verg[üu]enza))|"
                      r"\bcasi\s+se\s+muere\s+(?:buscando|esperando|de\s+(?:la\s+)?(?:risa|aburrimiento|hambre|verg[üu]enza))|"
                      r"\bmamatay\s+sa\s+(?:tagal|paghihintay|gutom|hiya|tawa|inip)\b", re.I)
# A threat at whoever designed a thing, or at one's own family for a trifle ("gonna kill my sister for not
# telling me about this place"): a figure of speech.
_WHOEVER = re.compile(r"\b(?:sue|kill|strangle|hunt\s+down)\s+(?:whoever|whomever|the\s+(?:genius|person|people|guy|one)\s+(?:who|that))\b|"
                      rf"\bkill\s+(?:my|our|his|her)\s+(?:\w+\s+)?{_KIN}\s+for\b|"
                      # wanting something badly: "I'd kill for this kind of convenience"
                      r"\bkill\s+for\s+(?:this|that|a|an|some|one|it|their|your)\b", re.I)
# The hospital as where a place is: "the dental clinic in the hospital".
PLACE_IN_HOSPITAL = re.compile(r"\b(?:clinic|office|practice|pharmacy|lab|cafeteria|parking|garage|lobby|building|department|center|"
                               r"centre|suite|wing|floor|gift\s+shop)\s+in\s+the\s+hospital$", re.I)
# A privacy word in praise: "kept everything confidential", "respected my privacy", "隐私也做得很好".
_PRIVACY_PRAISED = re.compile(r"\b(?:kept|keeps|keep|keeping|very|always|totally|completely|fully|super|so)\s+(?:\w+\s+)?confidential\b|"
                              r"\b(?:respect\w*|protect\w*|valu\w*|guard\w*|honou?r\w*)\s+(?:my|our|your|their|patients?'?|everyone'?s)\s+"
                              r"(?:privacy|confidentiality)\b|\brespet\w+\s+(?:mi|la|tu|su|nuestra)\s+privacidad\b|"
                              r"隐私(?:也|都)?(?:做得|保护得|保护)(?:很|非常|特别|挺)?好|注重隐私", re.I)
# A report to people or to a review site, not to an authority: "reporting this office to every mom I know".
_TO_AUDIENCE = re.compile(r"^\s*(?:every\w*|all\b|anyone|yelp|google|facebook|the\s+(?:internet|world|neighbou?rhood)|social\s+media|"
                          rf"friends|(?:all\s+)?(?:my|our)\s+(?:\w+\s+){{0,2}}(?:friends|group|chat|followers|family|{_KIN})\b)", re.I)
_AUTHORITY = re.compile(r"\b(?:board|authorit\w+|state|department|commission|licens\w*|agency|ocr|hhs|attorney\s+general|"
                        r"government|police|insurance\s+commissioner)\b", re.I)
_KILLING_ME_WITH = re.compile(r"\bkill(?:ing)?\s+(?:me|us)\s+with\s+(?:the\s+|their\s+|all\s+the\s+)?(?:paperwork|forms?|kindness|"
                              r"waits?|hold\s+music|phone\s+tree|bills?|fees?|prices?|questions)\b", re.I)
IDIOMS_ANYWHERE = (_POWER_OF_ATTORNEY, _DIED_OF, _KILLING_ME_WITH)
HARMLESS = {
    "legal": [re.compile(_RULED_OUT, re.I), re.compile(_JOKE, re.I), _POWER_OF_ATTORNEY,
              lambda sentence: re.search(_RELATION, sentence, re.I) and not re.search(_LEGAL_THREAT, sentence, re.I)],
    "emergency": [re.compile(_LONG_AGO, re.I)],
    "clinical_harm": [_DIED_OF],
    "violence": [re.compile(_JOKE, re.I), _KILLING_ME_WITH],
    "self_harm": [re.compile(r"đau\s+muốn\s+chết", re.I)],
}
# Harmless only where the matched words are part of it (another threat in the same sentence still counts):
# a threat at whoever designed the phone tree, privacy praised, a board exam.
AT_THE_WORDS = {
    "legal": [_WHOEVER],
    "violence": [_WHOEVER],
    "privacy_breach": [_PRIVACY_PRAISED],
    "regulator": [re.compile(r"\b(?:dental|medical|state|licensing)\s+board[- ](?:exams?|certified|certification)\b", re.I)],
}
# An idiom right at the words: someone else "is gonna kill me", "this is gonna hurt".
IDIOM_AROUND = {
    "violence": (re.compile(r"(?:\b(?:is|are|was|it'?s|this\s+is|that'?s)\s+)$", re.I), re.compile(r"^\s*(?:me|us)\b", re.I)),
}


def _sentence_at(spans: list[tuple[int, int]], position: int) -> int | None:
    """The index of the sentence (of ``spans``, in order) that holds ``position``; None between sentences."""
    at = bisect_right(spans, (position, math.inf)) - 1
    return at if at >= 0 and spans[at][0] <= position < spans[at][1] else None


def _harmless(category: str, text: str, match: re.Match, spans: list[tuple[int, int]]) -> bool:
    """Whether the escalation words matched are used harmlessly, judged in their sentence (``spans``: the
    text's sentences, found once per text)."""
    at = _sentence_at(spans, match.start())
    start, end = spans[at] if at is not None else (0, len(text))
    sentence = text[start:end]
    if any((check(sentence) if callable(check) else check.search(sentence)) for check in HARMLESS.get(category, ())):
        return True
    if any(found.start() < match.end() and match.start() < found.end()  # the same words
           for pattern in AT_THE_WORDS.get(category, ()) for found in pattern.finditer(text, start, end)):
        return True
    if category == "emergency" and at and not _NOW.search(sentence):  # the story set long ago a sentence or two before
        if any(re.search(_LONG_AGO, text[s:e], re.I) for s, e in spans[max(0, at - 2):at]):
            return True
    if category in ("legal", "violence") and at is not None and at + 1 < len(spans) and re.match(
            rf"\W*(?:{_JOKE})", text[spans[at + 1][0]:spans[at + 1][1]], re.I):
        return True  # the joke owned up to in the next sentence: "I'll sue you for my afternoon! Just kidding."
    if category == "clinical_harm" and PLACE_IN_HOSPITAL.search(text[max(0, match.start() - 40):match.end()]):
        return True
    if (category == "regulator" and match.group().lower().startswith("report") and _TO_AUDIENCE.search(text[match.end():end])
            and not _AUTHORITY.search(text[match.end():end])):
        return True
    if category in IDIOM_AROUND:
        before, after = IDIOM_AROUND[category]
        verb_at = match.group().lower().split()[0]
        if verb_at in ("gonna", "going") and (before.search(text[max(0, match.start() - 20):match.start()])
                                               or after.search(text[match.end():match.end() + 10])):
            return True
    return False


def _report_path(platform: str) -> str:
    """How to report a post on its platform."""
    return REPORT_PATHS.get(platform, "Use the platform's own report or flag option on the post.")


def _found(match: re.Match) -> tuple[Evidence, ...]:
    return (Evidence(match.start(), match.end(), match.group()),)


MODEL_NOTE = ("ReviewDesk's learned check read it so from the sentence shown. If it is an ordinary complaint, change the "
              "decision: your correction teaches it.")


def _escalation(category: str, kind: str, evidence: tuple[Evidence, ...], decided_by: str = "rules") -> Triage:
    note = f" {MODEL_NOTE}" if decided_by == "model" else ""
    return Triage(ESCALATE, kind, f"Escalate before anyone replies: {WHY[category]}.{note}", notify=NOTIFY[category],
                  category=category, evidence=evidence, decided_by=decided_by)


def harmless_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences whose escalation words the rules read as harmless (a lawyer friend's recommendation, an
    ER visit years ago, "my boss is gonna kill me") or that hold an idiom harmless anywhere."""
    spans = sentences(text)
    found = {spans[at] if (at := _sentence_at(spans, match.start())) is not None else (0, len(text))
             for category, pattern in ESCALATIONS for match in pattern.finditer(text) if _harmless(category, text, match, spans)}
    return sorted(found | {(s, e) for s, e in spans if any(idiom.search(text[s:e]) for idiom in IDIOMS_ANYWHERE)})


def rules_triage(review: ReviewContext) -> Triage:
    """The rules' decision alone (keywords and patterns)."""
    text, kind = review.text, review_sentiment(review)
    spans = None  # the sentences, found once the first escalation words are
    for category, pattern in ESCALATIONS:
        for match in pattern.finditer(text):
            spans = sentences(text) if spans is None else spans
            if not _harmless(category, text, match, spans):
                return _escalation(category, kind, _found(match))
    report = _report_path(review.platform)
    if match := HATE.search(text):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post contains hate speech. Report it.", report_path=report,
                      category="hate", evidence=_found(match))
    if (match := SPAM.search(text)) and not EXPERIENCE.search(text):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post looks like spam or advertising. Report it.", report_path=report,
                      category="spam", evidence=_found(match))
    if (match := INSULTS.search(text)) and (_profane(text) > 0.5 or not EXPERIENCE.search(text)):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post insults or harasses people. Don't feed it; report it.",
                      report_path=report, category="harassment", evidence=_found(match))
    if kind == "rating_only":
        return Triage(REPLY, kind, "A rating without text: a short generic thank-you, or no reply, are both fine.")
    reasons = {
        "negative": "Reply calmly after the cool-down: acknowledge, take it seriously, invite them to contact the office.",
        "mixed": "Reply: thank them, take the concern seriously, invite them to contact the office.",
        "positive": "Reply with a short generic thank-you that does not confirm they are a patient.",
    }
    return Triage(REPLY, kind, reasons[kind])


def decided_by_staff(review: ReviewContext, action: str, category: str, reason: str | None) -> Triage:
    """The decision staff made over the triage, with what goes with it: who sees an escalation first, how to
    report a post not to answer, and why (their own words)."""
    kind = review_sentiment(review)
    why = f"Decided by staff: {reason}" if reason else "Decided by staff."
    if action == ESCALATE:
        return Triage(ESCALATE, kind, why, notify=NOTIFY.get(category, "the practice manager"), category=category, decided_by="staff")
    if action == DO_NOT_REPLY:
        report = _report_path(review.platform)
        return Triage(DO_NOT_REPLY, kind, why, report_path=report, category=category, decided_by="staff")
    return Triage(REPLY, kind, why, category=category or "genuine", decided_by="staff")


TRIAGES_REMEMBERED = 4096  # the inbox shows the same pages again and again: each review is decided once
REMEMBERED_TEXT_CHARS = 5_000  # a longer review is decided each time (so the remembered texts stay small)


def triage(review: ReviewContext) -> Triage:
    """What the review gets: the rules' decision with the learned second opinion (:func:`decide`), which may
    raise it to ``escalate`` (recall first) or, when sure, to ``do_not_reply``, never lower an escalation."""
    model = triage_model()
    if len(review.text) > REMEMBERED_TEXT_CHARS:
        return decide(review, model)
    return _remembered(review, model.version if model else None)


@lru_cache(maxsize=TRIAGES_REMEMBERED)
def _remembered(review: ReviewContext, model_version: str | None) -> Triage:
    """:func:`decide` with the triage model of ``model_version`` (part of the key: a retrained model decides anew)."""
    return decide(review, triage_model())


def triage_version() -> str:
    """The rules' fingerprint and the model's version: a triage stored under others is decided again (after
    an upgrade, or once ``reviewdesk retrain`` gave the practice its own model)."""
    model = triage_model()
    return f"{RULES_VERSION}-{model.version}" if model else RULES_VERSION


# A post this short ("Worst dentist ever", "Never again.") gives the model too little to tell a rant about
# another business from one about this practice: the model may not find it about another business. Spam,
# gibberish, hate, harassment and politics show on their face however short ("asdfgh jkl;; ok").
DO_NOT_REPLY_MIN_WORDS = 8
NEEDS_CONTEXT = ("wrong_business",)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # written without spaces: about two characters a word


def word_count(text: str) -> int:
    """Words a person reads: tokens with a letter, outside HTML tags ("&" and "=" are none)."""
    text = readable(text)
    return sum(1 for token in text.split() if any(char.isalpha() for char in token)) + len(CJK.findall(text)) // 2


def decide(review: ReviewContext, model: TriageModel | None) -> Triage:
    """The rules' decision, raised to ``escalate`` when the model finds an escalation the rules did not
    (recall first: the model never lowers an escalation), or to ``do_not_reply`` when it is sure the post
    is no review to answer; with the sentence the model's decision comes from. A review longer than
    limits.TRIAGE_CHARS (four times what Yelp allows) is judged on its beginning, so that no post can make the
    triage work for more than a moment."""
    if len(review.text) > limits.TRIAGE_CHARS:
        review = replace(review, text=review.text[:limits.TRIAGE_CHARS])
    decided = rules_triage(review)
    if decided.action == ESCALATE or model is None or not review.text.strip():
        return decided
    opinion = model.opinion(review_text(review.text, review.rating, review.recommends))
    # A post the rules found a reason not to answer (an insult, spam, hate) is raised only when the model
    # finds an escalation likelier than that.
    if (opinion.escalate >= model.escalate_threshold and (decided.action == REPLY or opinion.escalate > opinion.do_not_reply)
            and not _surely_not_a_review(opinion) and not _rests_on_harmless_words(model, review)):
        evidence = _likeliest_sentence(model, review, lambda view: view.escalate)
        return _escalation(opinion.best(ESCALATE_CATEGORIES), decided.sentiment, evidence, "model")
    category = opinion.best(DO_NOT_REPLY_CATEGORIES)
    if (decided.action == REPLY and opinion.do_not_reply >= model.do_not_reply_threshold
            and (category not in NEEDS_CONTEXT or word_count(review.text) >= DO_NOT_REPLY_MIN_WORDS)):
        report = _report_path(review.platform)
        return Triage(DO_NOT_REPLY, decided.sentiment, f"Do not reply: {DO_NOT_REPLY_WHY[category]}. Report it.",
                      report_path=report, category=category, decided_by="model",
                      evidence=_likeliest_sentence(model, review, lambda view: view.do_not_reply))
    return decided


# Posts the model may be sure are no review, where no threat hides (threats read as harassment or hate are
# never in it): when it is this sure and finds escalation this unlikely, a weak escalation score does not
# raise them. Chosen on the seventh models' held-out opinions: 35 of 157 such posts no longer escalated,
# no escalation lost.
NO_THREAT_HIDES = ("spam", "wrong_business", "gibberish", "political")
SURELY_NOT_A_REVIEW, ESCALATION_UNLIKELY = 0.6, 0.4


def _surely_not_a_review(opinion: Opinion) -> bool:
    return (opinion.do_not_reply >= SURELY_NOT_A_REVIEW and opinion.escalate < ESCALATION_UNLIKELY
            and opinion.best(DO_NOT_REPLY_CATEGORIES) in NO_THREAT_HIDES)


def _rests_on_harmless_words(model: TriageModel, review: ReviewContext) -> bool:
    """Whether the model's escalation comes from sentences whose escalation words the rules read as harmless:
    without them, the rest of the review does not read as an escalation to it."""
    harmless = harmless_sentences(review.text)
    if not harmless:
        return False
    rest = " ".join(review.text[start:end] for start, end in _between(harmless, len(review.text))).strip()
    return not rest or model.opinion(review_text(rest, review.rating, review.recommends)).escalate < model.escalate_threshold


def _between(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The stretches of a text of this length outside these (sorted, disjoint) spans."""
    starts, ends = [0, *(end for _, end in spans)], [*(start for start, _ in spans), length]
    return [(start, end) for start, end in zip(starts, ends) if end > start]


def _likeliest_sentence(model: TriageModel, review: ReviewContext, score: Callable[[Opinion], float]) -> tuple[Evidence, ...]:
    """The sentence the decision comes from: the one that on its own reads most so to the model (the whole
    text when it is one sentence). Each sentence is read once, so a long review costs one reading more."""
    text = review.text
    spans = sentences(text)
    if len(spans) < 2:
        return (Evidence(0, len(text), text),)
    alone = model.opinions([review_text(text[start:end], review.rating, review.recommends) for start, end in spans])
    best = max(range(len(spans)), key=lambda index: score(alone[index]))
    start, end = spans[best]
    return (Evidence(start, end, text[start:end]),)
