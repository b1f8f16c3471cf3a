"""The known safe shapes of a public reply's sentence, recognised by their words alone.

A safe reply does a few things: it thanks, acknowledges or apologises in general terms, states a general
commitment of the practice, invites the reader to contact the office, and signs off. A sentence made only of
the words those things are said with ("Thank you so much for the kind words!", "Please call our office
manager at 555-0100.", "Muchas gracias por sus amables palabras.") cannot say anything about the reader's
life, body, family, plans or past, so the checker's learned layer (default-deny) does not need to judge it.
Anything else, one word outside the list, goes to the model as before: the list only lets through what
is safe by construction. The rules still read every sentence.

The list holds no word of time or place of a visit (see, back, next, soon, new), of feelings about the
reader (glad, happy, hope, enjoy, love, congratulations), of the body or of care (care, feel, better), and
no noun of the reader's things beyond what they wrote (your words, feedback, review, time, patience, trust).
"""

from __future__ import annotations

import re

ENGLISH = """
thank thanks you so much very many truly sincerely deeply really for the a an this these that those your our us we we're we'll
we'd we've i i'm it it's is are was be been being to of and or at from with by in on all everyone everybody team staff office
practice kind kindness words review reviews feedback recommendation recommendations recommending recommend comments comment note
notes message messages suggestion suggestions honest honesty thoughtful generous lovely wonderful warm nice sweet taking take took
time moment moments share sharing shared write writing wrote leave leaving post posting telling letting know bringing raising
attention appreciate appreciated appreciates appreciation grateful thankful means mean lot great deal such regards wishes best warmly cheers
gratitude sorry apologize apologise apologies regret frustration frustrating disappointment concern concerns hear hearing heard read
reading please call contact reach email speak talk discuss ask directly privately anytime any questions question help assist
welcome always here if would like manager director coordinator administrator desk front billing every each patients families
people community serve serving committed commitment priority important matters matter respect respectful dignity privacy courtesy
standard standards improve improving working work continue continuing strive aim hold ourselves high clear communication promptly
timely can can't cannot could will would should do don't not no but however also too as well more further pass along entire whole
member members pleased honored privilege trust trusting confidence encouragement support supportive whenever need needs
hesitate anything ever give just out that's understand understood okay expectations unacceptable upsetting
"""
SPANISH = """
gracias muchas muchísimas por su sus palabras comentarios comentario reseña reseñas tiempo tomarse tomar escribirnos escribir
compartir compartiremos equipo todo todos toda todas nuestro nuestra nuestros nuestras la el los las lo de del y o a al en con que
para nos le les lamentamos sentimos disculpas disculpe llame llámenos comuníquese comunicarse escríbanos oficina gerente saludos
atentamente queremos estamos agradecemos valoramos mucho muy amables amable es son se un una cada pacientes familias comunidad
respeto privacidad hablar conversar directamente cualquier pregunta preguntas ayudar atención apreciamos gusto cordiales
razón tiene haya quedado satisfecha satisfecho señora señor señorita doña
"""
# The placeholders the learned layer reads in place of phone numbers, e-mail addresses and the practice's name
# (learned.sentence_text): whose line it is was the rules' business, already done.
PLACEHOLDERS = ("phonenumber", "emailaddress", "practicename")
SAFE_WORDS = frozenset(ENGLISH.split()) | frozenset(SPANISH.split()) | frozenset(PLACEHOLDERS)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# A sign-off said as a sentence of its own.
SIGN_OFF_SENTENCES = frozenset(("take care", "all the best", "all the best to you", "wishing you all the best", "wishing you the best",
                                "best wishes", "cuídese", "cuídense", "saludos cordiales"))
# "patients like you", "one of our patients": the reader and patienthood in one sentence is not a safe shape.
READER = frozenset(("you", "your", "su", "sus", "le"))
PATIENTHOOD = frozenset(("patients", "pacientes"))


def safe_shape(sentence: str) -> bool:
    """Whether the sentence (as :func:`server.replies.learned.sentence_text` gives it) is made only of the
    words of the safe things a reply does, and does not put the reader beside patienthood."""
    found = [word.replace("’", "'") for word in WORD.findall(sentence.lower())]
    if " ".join(found) in SIGN_OFF_SENTENCES:
        return True
    words = set(found)
    return bool(words) and words <= SAFE_WORDS and not (words & READER and words & PATIENTHOOD)
