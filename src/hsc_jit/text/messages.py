"""Everything the server itself says to a customer, in each language it speaks.

Manual text is quoted as it is; these are the words around it: progress, refusals, notices
and errors. A key missing in one language is caught by the tests, not by a customer.
"""

from __future__ import annotations

from typing import Literal

from hsc_jit.config import Lang
from hsc_jit.errors import DocumentUnavailable, HscError

MessageKey = Literal[
    "reading_manual",
    "still_fetching",
    "found_pages",
    "checking_coverage",
    "not_covered",
    "support_of_brand",
    "support_generic",
    "from_english_manual",
    "yes",
    "no",
    "not_said_directly",
    "interrupted",
    "uncited",
    "product_not_found",
    "brand_not_found",
    "document_unavailable",
    "document_timeout",
    "no_document",
    "rate_limited",
    "provider_error",
    "internal",
]

MESSAGES: dict[Lang, dict[MessageKey, str]] = {
    "en": {
        "reading_manual": "Reading Official Manual...",
        "still_fetching": "Still fetching the official manual...",
        "found_pages": "Found relevant pages: {pages}. Thinking...",
        "checking_coverage": "Checking what the manual covers...",
        "not_covered": (
            "The {product} manual does not cover this question, so I won't guess. "
            "Please contact {support} for help with it."
        ),
        "support_of_brand": "{brand} support",
        "support_generic": "the manufacturer's support",
        "from_english_manual": "From the English manual:",
        "yes": "Yes.",
        "no": "No.",
        "not_said_directly": "The manual does not say that in so many words; here is what it says:",
        "interrupted": "The answer was interrupted, so the rest comes straight from the manual.",
        "uncited": "That answer cited no page of the manual, so here is what the manual says.",
        "product_not_found": "No product with id {product_id!r} in the catalog.",
        "brand_not_found": "No brand with id {brand_id!r} in the catalog.",
        "document_unavailable": "The official manual could not be read right now.",
        "document_timeout": (
            "The manual's server is taking too long to send it. We keep fetching it: "
            "please ask again in a minute."
        ),
        "no_document": "We have no official manual on file for this product yet.",
        "rate_limited": "Too many messages; please slow down.",
        "provider_error": "The answer service failed; please try again.",
        "internal": "Something went wrong while answering.",
    },
    "he": {
        "reading_manual": "קורא את המדריך הרשמי...",
        "still_fetching": "עדיין מוריד את המדריך הרשמי...",
        "found_pages": "נמצאו עמודים רלוונטיים: {pages}. חושב...",
        "checking_coverage": "בודק מה המדריך מכסה...",
        "not_covered": (
            "המדריך של {product} לא עונה על השאלה הזאת, ולכן לא אנחש. אפשר לפנות ל{support} לעזרה."
        ),
        "support_of_brand": "תמיכה של {brand}",
        "support_generic": "תמיכת היצרן",
        "from_english_manual": "מתוך המדריך באנגלית:",
        "yes": "כן.",
        "no": "לא.",
        "not_said_directly": "המדריך לא אומר זאת במפורש; זה מה שכתוב בו:",
        "interrupted": "התשובה נקטעה, ולכן ההמשך מובא ישירות מהמדריך.",
        "uncited": "התשובה לא ציינה עמוד במדריך, ולכן הנה מה שהמדריך אומר.",
        "product_not_found": "המוצר {product_id!r} לא נמצא בקטלוג.",
        "brand_not_found": "המותג {brand_id!r} לא נמצא בקטלוג.",
        "document_unavailable": "לא הצלחנו לקרוא את המדריך הרשמי כרגע.",
        "document_timeout": (
            "השרת של המדריך איטי מאוד. אנחנו ממשיכים להוריד אותו: נסו לשאול שוב בעוד דקה."
        ),
        "no_document": "עדיין אין לנו מדריך רשמי למוצר הזה.",
        "rate_limited": "יותר מדי הודעות; נא להאט מעט.",
        "provider_error": "שירות התשובות נכשל; נסו שוב.",
        "internal": "משהו השתבש בזמן המענה.",
    },
}


def say(key: MessageKey, lang: Lang, **values: object) -> str:
    return MESSAGES[lang][key].format(**values)


def error_message(error: HscError, lang: Lang) -> str:
    """The error's own (detailed) message in English; in another language, the message of its
    kind (the details name URLs and codes a customer does not need translated)."""
    if lang == "en":
        return error.message
    if isinstance(error, DocumentUnavailable):
        if error.reason == "timeout":
            return say("document_timeout", lang)
        if error.reason == "no_document":
            return say("no_document", lang)
        return say("document_unavailable", lang)
    product_id = getattr(error, "product_id", None)
    if product_id is not None:
        return say("product_not_found", lang, product_id=product_id)
    brand_id = getattr(error, "brand_id", None)
    if brand_id is not None:
        return say("brand_not_found", lang, brand_id=brand_id)
    kinds: dict[str, MessageKey] = {
        "rate_limited": "rate_limited",
        "provider_error": "provider_error",
    }
    return say(kinds.get(error.code, "internal"), lang)
