"""Medical words a reply must not contain: conditions (a lay lexicon seeded from ICD-10-CM), procedures
and devices, medications (drug-named-entity-recognition's finder plus lay words), body parts in a care context.

Built once, on first use, into compiled patterns; :mod:`server.replies.policy` asks them for spans.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Everyday lay words for conditions and symptoms (ICD-10-CM's formal descriptions rarely use them).
CONDITIONS_LAY = """
infection infections infected abscess abscesses cavity cavities decay tooth decay gum disease gingivitis periodontitis
periodontal disease anxiety depression depressed diabetes diabetic pregnancy pregnant cancer tumor tumour allergy
allergies allergic asthma hypertension high blood pressure toothache sensitivity bleeding gums swelling swollen
fracture fractured broken tooth cracked tooth chipped tooth tmj tmd sleep apnea apnea migraine migraines adhd autism
autistic dementia arthritis hiv hepatitis covid covid-19 flu influenza rash acne eczema psoriasis obesity overweight
cholesterol heart condition heart disease stroke seizure seizures epilepsy concussion injury injuries wound wounds
nerve damage dry socket impacted wisdom teeth impacted overbite underbite crossbite misaligned crooked teeth bruxism
grinding clenching bad breath halitosis plaque tartar mouth ulcer canker sore cold sore ulcer ulcers lesion lesions
cyst cysts lump infection's diagnosis diagnosed condition conditions symptoms symptom illness sick sickness disease
disorder disorders syndrome phobia panic attack panic attacks ptsd bipolar schizophrenia insomnia fever nausea
vomiting dizziness fatigue numbness tingling miscarriage infertility menopause std sti uti kidney stones
out of pain in pain socket bleeding bled bleed healing heal healed recovery recovering stitches
"""
# Words that are medical only about the reader ("your pain") or when the review used them first.
CONTEXTUAL = """
pain painful discomfort hurt hurting sore soreness stress treatment treatments procedure procedures
tooth teeth gum gums jaw mouth smile bite nerve nerves knee back shoulder hip neck skin eye eyes ear ears heart
"""
PROCEDURES = """
root canal root canals crown crowns implant implants dental implant filling fillings invisalign aligner aligners
braces retainer retainers botox filler fillers dermal filler biopsy biopsies x-ray x-rays xray xrays x ray radiograph
radiographs cleaning cleanings deep cleaning scaling root planing extraction extractions extracted pulled tooth
wisdom tooth wisdom teeth removal whitening bleaching veneer veneers bonding denture dentures partial dentures
bridge bridges dental bridge sealant sealants fluoride treatment anesthesia anaesthesia sedation sedated laughing gas
nitrous numbing novocaine injection injections shot shots vaccine vaccination vaccinated checkup check-up checkups
exam exams examination examinations physical physicals screening screenings mammogram colonoscopy endoscopy mri
ct scan cat scan ultrasound blood work bloodwork blood test blood tests lab work labs lab results test results
stitches sutures cast surgery surgeries operation operations oral surgery gum graft bone graft graft grafting
periodontal maintenance orthodontics orthodontic treatment treatment plan treatment plans therapy physical therapy
counseling counselling session sessions consultation consult referral referrals
laser treatment lasik chemotherapy chemo radiation dialysis infusion iv drip
oral surgeon oral surgeons surgeon surgeons periodontist endodontist orthodontist anesthesiologist
"""
MEDICATIONS_LAY = """
antibiotic antibiotics painkiller painkillers pain medication pain medicine pain meds pain pills medication
medications medicine medicines meds pills pill opioid opioids narcotics steroid steroids antidepressant
antidepressants insulin inhaler sedative sedatives muscle relaxer muscle relaxant prescription prescriptions rx
refill refills pharmacy
"""
# ICD-10-CM description words that are ordinary English, never a sign of a condition on their own.
ICD_STOPWORDS = frozenset("""
absent excessive fall falling caught crushed illness cough edema estrogen blood type activity codes adverse effects
legal intervention avalanche flood earthquake cataclysmic storm accidental hit handgun discharge late pregnancy
""".split())
MEDICAL_SUFFIXES = ("itis", "osis", "emia", "aemia", "oma", "algia", "pathy", "plegia", "ectomy", "otomy", "iasis")


def _multiword(block: str, known: tuple[str, ...]) -> set[str]:
    """The known multi-word terms written in the block, and its other words on their own ("high blood
    pressure" is a term; "high" alone is not)."""
    text = f" {' '.join(block.split())} "
    terms = set()
    for phrase in sorted(known, key=len, reverse=True):
        if f" {phrase} " in text:
            terms.add(phrase)
            text = text.replace(f" {phrase} ", " ")
    return terms | {word.replace("-", " ") for word in text.split()}


MULTIWORD = (
    "tooth decay", "gum disease", "periodontal disease", "high blood pressure", "bleeding gums", "broken tooth",
    "cracked tooth", "chipped tooth", "sleep apnea", "heart condition", "heart disease", "nerve damage", "dry socket",
    "impacted wisdom teeth", "crooked teeth", "bad breath", "mouth ulcer", "canker sore", "cold sore", "panic attack",
    "panic attacks", "kidney stones", "root canal", "root canals", "dental implant", "dermal filler", "x ray",
    "deep cleaning", "root planing", "pulled tooth", "wisdom tooth", "wisdom teeth", "partial dentures", "dental bridge",
    "fluoride treatment", "laughing gas", "ct scan", "cat scan", "blood work", "blood test", "blood tests", "lab work",
    "lab results", "test results", "oral surgery", "gum graft", "bone graft", "periodontal maintenance",
    "orthodontic treatment", "treatment plan", "treatment plans", "physical therapy", "laser treatment", "iv drip",
    "pain medication", "pain medicine", "pain meds", "pain pills", "muscle relaxer", "muscle relaxant",
    "out of pain", "in pain", "oral surgeon", "oral surgeons",
)


@lru_cache(maxsize=1)
def icd_conditions() -> frozenset[str]:
    """Condition names from ICD-10-CM categories (chapters A–T): short descriptions and their medical head words."""
    import simple_icd_10_cm as icd

    terms: set[str] = set()
    for code in icd.get_all_codes(False):
        if not icd.is_category(code) or code[0] in "VWXYZ":
            continue
        description = re.sub(r",.*$|\(.*?\)", "", icd.get_description(code)).strip().lower()
        words = description.split()
        if not words or re.search(r"\b(other|unspecified|and|of|due|with|in|to|by|from|for|or)\b", description):
            continue
        if len(words) <= 2 and description not in ICD_STOPWORDS and len(description) > 4:
            terms.add(description)
        terms.update(word for word in words if word.endswith(MEDICAL_SUFFIXES) and len(word) > 6)
    return frozenset(terms)


def drug_spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of brand and generic drug names (drug-named-entity-recognition, which knows
    which of its 100,000 names are also ordinary words)."""
    from drug_named_entity_recognition import find_drugs

    tokens = words(text)
    found = []
    for data, first, last in find_drugs([word for word, _, _ in tokens]):
        end_token = tokens[min(last, len(tokens)) - 1]
        found.append((data.get("name", ""), tokens[first][1], end_token[2]))
    return found


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    """Category → terms (lower case, single spaces)."""
    return {
        "phi_condition": frozenset(_multiword(CONDITIONS_LAY, MULTIWORD)) | icd_conditions(),
        "phi_treatment": frozenset(_multiword(PROCEDURES, MULTIWORD)),
        "phi_medication": frozenset(_multiword(MEDICATIONS_LAY, MULTIWORD)),
    }


CONTEXTUAL_WORDS = frozenset(CONTEXTUAL.split())
CONTEXTUAL_CATEGORY = {word: ("phi_treatment" if word.startswith(("treatment", "procedure")) else "phi_condition")
                       for word in CONTEXTUAL_WORDS}


WORD = re.compile(r"[^\W_](?:[^\W_]|['’])*(?:-[^\W_]+)*")  # letters and digits of any script
MAX_WORDS = 4


@lru_cache(maxsize=16)  # a check reads the same reply and review several times
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """Words of a text, lower case without a possessive "'s", with their spans."""
    found = []
    for match in WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        found.append((word, match.start(), match.end()))
    return tuple(found)


def find_terms(text: str, vocabularies: dict[str, frozenset[str]] | None = None) -> list[tuple[str, str, int, int]]:
    """(category, term, start, end) for each vocabulary term in ``text``, longest first, not overlapping.

    A look-up of every run of up to four words (hyphens and spaces alike) in one table of term → category:
    fast whatever the size of the vocabulary (the drug list alone has 100,000 names).
    """
    return _find_in(text, term_index() if vocabularies is None else _term_index(vocabularies))


def _find_in(text: str, index: dict[str, str]) -> list[tuple[str, str, int, int]]:
    tokens = words(text)
    spaced = [word.replace("-", " ") for word, _, _ in tokens]
    found, taken_until = [], -1
    for start in range(len(tokens)):
        if tokens[start][1] < taken_until:
            continue
        for size in range(min(MAX_WORDS, len(tokens) - start), 0, -1):
            term = " ".join(spaced[start:start + size]) if size > 1 else spaced[start]
            category = index.get(term)
            if category is None and size == 1 and "-" in tokens[start][0]:
                category = index.get(tokens[start][0])
            if category is not None:
                found.append((category, term, tokens[start][1], tokens[start + size - 1][2]))
                taken_until = tokens[start + size - 1][2]
                break
    return found


def _term_index(vocabularies: dict[str, frozenset[str]]) -> dict[str, str]:
    """Term → the first category (in the vocabularies' order) that has it."""
    index: dict[str, str] = {}
    for name, terms in vocabularies.items():
        for term in terms:
            index.setdefault(term, name)
    return index


@lru_cache(maxsize=1)
def term_index() -> dict[str, str]:
    return _term_index(lexicon())


CONTEXTUAL_INDEX = _term_index({"contextual": CONTEXTUAL_WORDS})


def contextual_terms(text: str) -> list[tuple[str, str, int, int]]:
    return _find_in(text, CONTEXTUAL_INDEX)


def medical_words(text: str) -> set[str]:
    """Every medical term in a text (all categories and the contextual words): what a reply must not echo."""
    return {term for _, term, _, _ in find_terms(text)} | {term for _, term, _, _ in contextual_terms(text)}


_ready = False


def warm_up() -> None:
    """Build the vocabularies and load the learned models now (a few seconds) instead of on the
    first check (which may run inside a write transaction)."""
    global _ready  # noqa: PLW0603 (a flag the health check reads)
    from server.replies.learned import reply_model, triage_model

    term_index()
    drug_spans("warm up")
    reply_model()
    triage_model()
    _ready = True


def is_ready() -> bool:
    return _ready
