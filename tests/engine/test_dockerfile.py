"""Reading a Dockerfile as BuildKit does: comments, continuations, flags, exec form, errors with line numbers."""

import pytest

from sandbox.engine.dockerfile import MAX_EXPANSION, key_values, parse, substitute
from sandbox.errors import BuildError


def test_continuations_comments_and_case():
    instructions = parse("# syntax\nfrom alpine\nRUN apk add \\\n    curl \\\n# a comment inside\n    git\ncmd [\"sh\"]\n")
    assert [(i.keyword, i.text, i.line) for i in instructions] == [
        ("FROM", "alpine", 2), ("RUN", "apk add curl git", 3), ("CMD", '["sh"]', 7)]
    assert instructions[2].json_args() == ["sh"]


def test_flags_are_split_from_the_argument():
    (_, copy) = parse("FROM alpine\nCOPY --from=build --chown=1:1 /out /app\n")
    assert copy.flag("from") == "build" and copy.text == "/out /app"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the Dockerfile cannot be empty"),
        ("# only a comment\n", "the Dockerfile cannot be empty"),
        ("FROM alpine\nFRM alpine\n", "dockerfile parse error on line 2: unknown instruction: FRM (did you mean FROM?)"),
        ("FROM alpine\ncopyy . /app\n", "unknown instruction: copyy (did you mean copy?)"),
        ("FROM alpine\nBOGUSWORD x\n", "dockerfile parse error on line 2: unknown instruction: BOGUSWORD"),
        ("RUN echo\n", "dockerfile parse error on line 1: no build stage in current context"),
    ],
)
def test_errors_carry_buildkits_words(text, message):
    with pytest.raises(BuildError) as caught:
        parse(text)
    assert caught.value.message.endswith(message) or caught.value.message == message


def test_variables_expand_with_defaults():
    assert substitute("${A}-$B-${C:-three}", {"A": "1", "B": "2"}) == "1-2-three"


def test_env_accepts_both_forms():
    assert key_values('A=1 B="two words"') == [("A", "1"), ("B", "two words")]
    assert key_values("A value with spaces") == [("A", "value with spaces")]


def test_an_expansion_past_the_cap_is_refused_before_it_is_built() -> None:
    value = "x" * (MAX_EXPANSION // 2)
    assert substitute("$B$B", {"B": value}) == value * 2  # at the cap: built
    with pytest.raises(BuildError, match=f"produces more than {MAX_EXPANSION} characters"):
        substitute("$B" * 20_000, {"B": value})  # 640 MB if built first; refused at the third reference


def test_a_huge_unknown_first_word_is_refused_at_once_without_a_hint() -> None:
    with pytest.raises(BuildError) as raised:
        parse("X" * 512 * 1024 + " alpine\n")
    assert str(raised.value).endswith("unknown instruction: " + "X" * 512 * 1024)
