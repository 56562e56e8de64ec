"""Look-alike word-pattern helpers (for tests)."""
import re


def contain_words(words):
    return r"^(?=.*" + r")(?=.*".join(words) + r").*$"


def contain_words_and_exlude_words(contained_words, excluded_words):
    banned = r"|".join(r"\b" + re.escape(w) + r"\b" for w in excluded_words)
    return r"^(?!.*" + banned + r")(?=.*" + r")(?=.*".join(contained_words) + r").*$"
