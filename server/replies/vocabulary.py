"""Medical words a reply must not contain: conditions (a lay lexicon seeded from ICD-10-CM, whose condition
names are kept in models/icd_conditions.txt), procedures and devices, medications (drug-named-entity-recognition's
dictionary plus lay words), body parts in a care context.

Built once, on first use, into compiled patterns; :mod:`server.replies.policy` asks them for spans.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from server.config import cache_dir

# Everyday lay words for conditions and symptoms (ICD-10-CM's formal descriptions rarely use them).
CONDITIONS_LAY = """
itch itching itchy blister blisters hives bruise bruised bruising sprain sprained rotator cuff
embarazo embarazada diabético diabética infección alergia alergias asma ansiedad depresión cáncer fiebre caries síntomas recuperación
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
copd emphysema snoring snore tinnitus vertigo reflux acid reflux gerd ibs thyroid hypothyroidism hyperthyroidism lupus
shingles gout anemia cataract cataracts glaucoma hearing loss bunion bunions hernia sciatica postpartum lymphedema
"""
# Words that are medical only about the reader ("your pain") or when the review used them first.
CONTEXTUAL = """
pain painful discomfort hurt hurting sore soreness stress treatment treatments procedure procedures
tooth teeth gum gums jaw mouth smile bite nerve nerves knee back shoulder hip neck skin eye eyes ear ears heart
"""
PROCEDURES = """
laser excision excisions rescan scan scans skin check skin checks care plan hospice
vacuna vacunas cirugía cirugías operación tratamiento tratamientos terapia inyección inyecciones radiografía radiografías
limpieza extracción endodoncia empaste empastes frenos biopsia ultrasonido
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
hearing aid hearing aids cpap pacemaker stent stents sleep study ivf láser máy trợ thính 助听器
"""
MEDICATIONS_LAY = """
eye drops ear drops ointment medicamento medicamentos receta recetas pastillas antibiótico antibióticos gamot
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
    "rotator cuff", "skin check", "skin checks", "care plan", "eye drops", "ear drops",
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
    "acid reflux", "hearing loss", "hearing aid", "hearing aids", "sleep study", "máy trợ thính",
)


ICD_CONDITIONS = Path(__file__).resolve().parent / "models" / "icd_conditions.txt"


def build_icd_conditions() -> list[str]:
    """Condition names from ICD-10-CM categories (chapters A–T): short descriptions and their medical head
    words. Built by ``python -m server.replies.vocabulary`` into ICD_CONDITIONS (importing the ICD-10-CM
    package takes seconds; the list is a few hundred words)."""
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
    return sorted(terms)


@lru_cache(maxsize=1)
def icd_conditions() -> frozenset[str]:
    return frozenset(ICD_CONDITIONS.read_text(encoding="utf-8").split("\n")) - {""}


DRUG_NAMES_FORMAT = 2  # the cached table's format: raise it when _drug_names_from_package or the file's lines change
CACHE_END = "# end of {count} drug names"  # the cache's last line: a file cut short is not read as a shorter table


@lru_cache(maxsize=1)
def drug_names() -> dict[str, str]:
    """Each drug name variant (lower case; brand and generic) → the drug's name.

    Derived from drug-named-entity-recognition's dictionary (1-1.5 s: a bz2 pickle), then kept in the user's cache,
    named by the package's version, and read from there on the next start (a tenth of a second). A missing,
    unreadable or damaged cache is built again; a cache that cannot be written is only not kept.

    The cache is read and written a line ("variant<TAB>name") at a time: a 5 MB string made and freed at start
    makes the C allocator keep later large blocks (captured pages) in its heap for good, 30-40 MB more after a
    morning of captures."""
    from importlib.metadata import version

    cached = cache_dir() / f"drug-names-{version('drug-named-entity-recognition')}-{DRUG_NAMES_FORMAT}.tsv"
    names = _read_kept(cached)
    if names is None:
        names = _drug_names_from_package()
        _keep(cached, names)
    return names


def _drug_names_from_package() -> dict[str, str]:
    """The package's dictionary, read directly: importing its finder also builds fuzzy-matching indexes this never
    uses (3 s). Its few variants with a tab or line break in them ("tradename \t= camoquin") are left out: they are
    never words of a text."""
    import bz2
    import importlib.util
    import pickle

    spec = importlib.util.find_spec("drug_named_entity_recognition")
    with bz2.open(Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2", "rb") as file:
        data = pickle.load(file)  # the package's own data file, which the package itself unpickles the same way
    canonical, no_data = data["drug_canonical_to_data"], {}
    # the name of each variant's first canonical drug ("" when it has none)
    named = ((variant, (canonical.get(names[0], no_data).get("name") or "") if names else "")
             for variant, names in data["drug_variant_to_canonical"].items())
    return {variant: name for variant, name in named if not SPLITS_A_CACHE_LINE.search(variant + name)}


SPLITS_A_CACHE_LINE = re.compile(r"[\t\n]")  # the cache is read with "\n" as its only line break


def _read_kept(path: Path) -> dict[str, str] | None:
    """The table kept at ``path``; None when there is none, or it is unreadable or not whole."""
    names: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="\n") as file:
            for line in file:
                variant, tab, name = line.rstrip("\n").partition("\t")
                if not tab:
                    return names if line == CACHE_END.format(count=len(names)) else None
                names[variant] = name
    except (OSError, ValueError):
        return None
    return None  # no end line: cut short


def _keep(path: Path, names: dict[str, str]) -> None:
    """Write the table to ``path`` whole or not at all (another process may be reading it); a cache that cannot be
    written (a read-only home, a full disk) is not an error."""
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=path.parent, prefix=f".{path.name}.",
                                         delete=False) as file:
            written = Path(file.name)
            file.writelines(f"{variant}\t{name}\n" for variant, name in names.items())
            file.write(CACHE_END.format(count=len(names)))
        os.replace(written, path)
    except OSError:
        if written is not None:
            with contextlib.suppress(OSError):
                written.unlink()


def drug_spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of brand and generic drug names, found as drug-named-entity-recognition's exact
    finder finds them: each pair of neighbouring words, then each word not in a pair found."""
    names, tokens = drug_names(), words(text)
    found, in_pair = [], set()
    for index in range(len(tokens) - 1):
        pair = f"{tokens[index][0]} {tokens[index + 1][0]}"
        if pair in names:
            found.append((names[pair], tokens[index][1], tokens[index + 1][2]))
            in_pair.update((index, index + 1))
    found += [(names[word], start, end) for index, (word, start, end) in enumerate(tokens) if index not in in_pair and word in names]
    return found


def main() -> None:
    """Write the ICD-10-CM condition list (after upgrading simple-icd-10-cm)."""
    ICD_CONDITIONS.write_text("\n".join(build_icd_conditions()) + "\n", encoding="utf-8")
    print(f"wrote {ICD_CONDITIONS}")


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


def find_terms(text: str) -> list[tuple[str, str, int, int]]:
    """(category, term, start, end) for each vocabulary term in ``text``, longest first, not overlapping.

    A look-up of every run of up to four words (hyphens and spaces alike) in one table of term → category:
    fast whatever the size of the vocabulary (the drug list alone has 100,000 names).
    """
    return _find_in(text, term_index())


def _find_in(text: str, index: Terms) -> list[tuple[str, str, int, int]]:
    tokens = words(text)
    spaced = [word.replace("-", " ") for word, _, _ in tokens]
    found, taken_until = [], -1
    for start in range(len(tokens)):
        if tokens[start][1] < taken_until:
            continue
        longest, phrase = None, spaced[start]
        for size in range(1, min(MAX_WORDS, len(tokens) - start) + 1):
            if size > 1:
                phrase = f"{phrase} {spaced[start + size - 1]}"
            category = index.categories.get(phrase)
            if category is None and size == 1 and "-" in tokens[start][0]:
                category = index.categories.get(tokens[start][0])
            if category is not None:
                longest = (category, phrase, tokens[start][1], tokens[start + size - 1][2])
            if phrase not in index.prefixes:  # no longer term begins with these words
                break
        if longest is not None:
            found.append(longest)
            taken_until = longest[3]
    return found


@dataclass(frozen=True)
class Terms:
    """Term → the first category (in the vocabularies' order) that has it, and the runs of words that begin
    a longer term: a look-up stops at the first run that begins none (most words begin none)."""

    categories: dict[str, str]
    prefixes: frozenset[str]


def _term_index(vocabularies: dict[str, frozenset[str]]) -> Terms:
    categories: dict[str, str] = {}
    for name, terms in vocabularies.items():
        for term in terms:
            categories.setdefault(term, name)
    prefixes = frozenset(" ".join(parts[:size]) for parts in (term.replace("-", " ").split() for term in categories)
                         for size in range(1, len(parts)))
    return Terms(categories, prefixes)


@lru_cache(maxsize=1)
def term_index() -> Terms:
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
    first check (which may run inside a write transaction).

    The collector is paused meanwhile: its full passes over the growing vocabularies (hundreds of
    thousands of objects) would pause every request for 70-100 ms. They live as long as the process,
    so they are then frozen: kept out of the collector's passes for good."""
    global _ready  # noqa: PLW0603 (a flag the health check reads)
    from server.replies.learned import reply_model, triage_model

    collecting = gc.isenabled()
    gc.disable()
    try:
        term_index()
        drug_spans("warm up")
        reply_model()
        triage_model()
        _ready = True
        # Then the profanity model triage asks only about posts with an insult in them (scikit-learn: a second or two).
        from profanity_check import predict_prob

        predict_prob(["warm up"])
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def is_ready() -> bool:
    return _ready


if __name__ == "__main__":
    main()
