"""What a task file says, read without running it, and the TF-IDF cosine the held-out split uses."""

from roboinstruct.tabletop.tasks.content import Vectors, code_terms, description_text, docstring, language, words

CODE = '''
class BuildThing(Task):
    """Build a pyramid
    of rainbow blocks."""

    def __init__(self):
        self.lang_template = "put the {} block on the pyramid"  # spoken to the robot
        self.task_completed_desc = "done building."
        self.other = "not language"
'''


def test_description_text_is_name_docstring_and_language():
    assert docstring(CODE) == "Build a pyramid of rainbow blocks."
    assert language(CODE) == ["put the {} block on the pyramid", "done building."]
    text = description_text("rainbow-pyramid_x", CODE)
    assert text.startswith("rainbow pyramid x Build a pyramid") and "not language" not in text
    assert docstring("def broken(:") == "" and language("x = 1") == []


def test_words_drop_stopwords_and_plurals():
    assert words("Put the Blocks into the colour zones") == ["put", "block", "color", "zone"]


def test_code_terms_ignore_comments_and_layout():
    a = code_terms("x = f(1)\n# a comment\ny = 'z'")
    b = code_terms("x   =   f( 1 )\ny = 'z'  ")
    assert a == b and a[0] == "x f 1"


def test_cosine_weighs_rare_words_over_common_ones():
    v = Vectors({"a": ["block", "rainbow"], "b": ["block", "pallet"], "c": ["block", "rainbow"], "d": ["block"]})
    assert v.cosine("a", "c") > 0.99  # the same words
    assert v.cosine("a", "b") < 0.3  # only the word every document has
    assert "a" in v and "z" not in v
