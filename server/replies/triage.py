"""What kind of answer a review gets: ``reply``, ``do_not_reply`` (trolls, abuse, spam: report it on
the platform instead) or ``escalate`` (legal threats, privacy-breach allegations, emergencies, threats,
self-harm: management sees it before anyone replies).

A frustrated patient who swears about a real experience still gets a reply; a post that insults
people, spreads hate or advertises does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from server.replies.policy import ReviewContext, sentiment

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
# (pattern, who sees it first, why)
ESCALATIONS = [
    (re.compile(r"\b(?:kill\s+myself|suicid\w*|end\s+(?:it\s+all|my\s+life)|hurt\s+myself|self[- ]harm|don'?t\s+want\s+to\s+live)\b", re.I),
     "a clinician, now: reach out privately and give crisis resources (in the US, call or text 988)",
     "the reviewer may be at risk of harming themselves"),
    (re.compile(r"\b(?:i'?ll|i\s+will|gonna|going\s+to)\s+(?:kill|shoot|hurt|beat|burn|come\s+back\s+(?:with|and))\b|"
                r"\b(?:bomb\s+threat|plant\s+a\s+bomb|blow\s+(?:it|you|the\s+place)\s+up|shoot\s+up)\b", re.I),
     "the practice manager, who decides whether to call the police", "the review contains a threat of violence"),
    (re.compile(r"\b(?:emergency\s+room|the\s+er\b|hospitali[sz]ed|in\s+the\s+hospital|ambulance|911|nearly\s+died|almost\s+died|"
                r"sepsis|can'?t\s+breathe|life[- ]threatening|permanent(?:ly)?\s+(?:damage|injur)|still\s+bleeding|paralys\w*)", re.I),
     "the treating clinician and the practice manager", "the review describes serious harm or an emergency"),
    (re.compile(r"\b(?:hipaa|my\s+privacy|privacy\s+(?:violation|breach)|confidential\w*|leaked\s+my|data\s+(?:leak|breach)|(?:shared|disclosed|posted|told)\s+"
                r"(?:my|our)\s+(?:information|info|records|details|diagnosis|results|history)|told\s+my\s+(?:employer|boss|family|wife|husband))\b", re.I),
     "the privacy officer", "the review alleges a privacy breach"),
    (re.compile(r"\b(?:lawyer|attorney|(?:i'?ll|i\s+will|we\s+will|going\s+to|gonna|plan\s+to|will|should)\s+sue|suing|sued\s+you|"
                r"lawsuit|legal\s+action|small\s+claims|take\s+(?:you|this|them)\s+to\s+court|see\s+you\s+in\s+court|medical\s+board|dental\s+board|"
                r"licensing\s+board|state\s+board|malpractice|report(?:ing|ed)?\s+(?:you|this\s+(?:office|practice))\s+to)\b", re.I),
     "the practice owner or manager (and the practice's liability insurer)", "the review mentions legal action or a complaint to a board"),
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
class Triage:
    action: str
    sentiment: str  # negative, mixed, positive, rating_only
    reason: str
    notify: str | None = None
    report_path: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


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


def triage(review: ReviewContext) -> Triage:
    text, kind = review.text, review_sentiment(review)
    for pattern, notify, why in ESCALATIONS:
        if pattern.search(text):
            return Triage(ESCALATE, kind, f"Escalate before anyone replies: {why}.", notify=notify)
    report = REPORT_PATHS.get(review.platform, "Use the platform's own report or flag option on the post.")
    if HATE.search(text):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post contains hate speech. Report it.", report_path=report)
    if SPAM.search(text) and not EXPERIENCE.search(text):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post looks like spam or advertising. Report it.", report_path=report)
    if INSULTS.search(text) and (_profane(text) > 0.5 or not EXPERIENCE.search(text)):
        return Triage(DO_NOT_REPLY, kind, "Do not reply: the post insults or harasses people. Don't feed it; report it.",
                      report_path=report)
    if kind == "rating_only":
        return Triage(REPLY, kind, "A rating without text: a short generic thank-you, or no reply, are both fine.")
    reasons = {
        "negative": "Reply calmly after the cool-down: acknowledge, take it seriously, invite them to contact the office.",
        "mixed": "Reply: thank them, take the concern seriously, invite them to contact the office.",
        "positive": "Reply with a short generic thank-you that does not confirm they are a patient.",
    }
    return Triage(REPLY, kind, reasons[kind])
