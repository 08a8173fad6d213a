"""Command lines as quizzes and answers write them: prompts, the references docker would read, forbidden words."""

from __future__ import annotations

import pytest

from sandbox.quiz.commands import check_reference, check_references, familiar, references, split_prompt, violates
from sandbox.quiz.errors import CommandLineError
from sandbox.quiz.model import Forbid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("docker ps", (None, "docker ps")),
        ("$ docker ps", (None, "docker ps")),
        ("server$ docker pull learner/web:1.0", ("server", "docker pull learner/web:1.0")),
        ("  docker images  ", (None, "docker images")),
        ("echo $ HOME", (None, "echo $ HOME")),
        ("Server$ docker ps", (None, "Server$ docker ps")),
    ],
)
def test_split_prompt(text: str, expected: tuple) -> None:
    assert split_prompt(text) == expected


@pytest.mark.parametrize(
    ("line", "refs"),
    [
        ("docker push learner/web:1.0", ["learner/web:1.0"]),
        ("docker pull --platform linux/amd64 -q alpine", ["alpine"]),
        ("docker tag myimage localhost:5000/myimage:1", ["myimage", "localhost:5000/myimage:1"]),
        ("docker image rm a b", ["a", "b"]),
        ("docker build -t a -t b:2 --tag=c -td .", ["a", "b:2", "c", "d"]),
        ("docker run -d --name web nginx", []),
        ("echo hello", []),
    ],
)
def test_references_are_the_operands_docker_reads_as_images(line: str, refs: list[str]) -> None:
    assert references(line) == refs


def test_check_references_quotes_dockers_reason() -> None:
    with pytest.raises(CommandLineError) as e:
        check_references("docker tag myimage learner/MyApp")
    assert str(e.value) == (
        "'learner/MyApp' is not a valid image reference: invalid reference format: repository name (learner/MyApp) "
        "must be lowercase"
    )


def test_check_references_takes_an_image_id_as_tag_source() -> None:
    check_references("docker tag 0123456789ab learner/web:1.0")
    check_references("docker rmi sha256:" + "a" * 64)


def test_check_reference_refuses_uppercase_repositories() -> None:
    with pytest.raises(CommandLineError):
        check_reference("MyImage")
    check_reference("localhost:5000/team/web:1.2")


def test_unbalanced_quotes_are_a_command_line_error() -> None:
    with pytest.raises(CommandLineError, match="No closing quotation"):
        references("docker ps 'a")


def test_familiar_is_the_short_form_docker_prints() -> None:
    assert familiar("myimage") == "myimage:latest"
    assert familiar("docker.io/library/nginx:1.27") == "nginx:1.27"
    assert familiar("Not A Ref") == "Not A Ref"


@pytest.mark.parametrize(
    ("words", "line", "hit"),
    [
        (("--force",), "docker rmi --force myimage", True),
        (("rmi", "-f"), "docker rmi -f myimage", True),
        (("rmi", "-f"), "docker rmi myimage -f", True),
        (("rmi", "-f"), "docker image rm -f myimage", False),
        (("-f",), "docker build -f Dockerfile .", True),
        (("push", "-a"), "docker push learner/web", False),
        (("--force",), "docker rm 'unbalanced --force", True),
    ],
)
def test_violates_needs_the_words_in_order(words: tuple, line: str, hit: bool) -> None:
    assert violates(Forbid(words), line) is hit
