"""The Go-template subset that ``--format`` accepts."""

import pytest

from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, render

DATA = {"ID": "abc", "Repository": "alpine", "Tag": "latest", "Config": {"Cmd": ["/bin/sh"], "Env": ["A=1"]},
        "RepoTags": ["alpine:latest", "alpine:3"], "Empty": []}


@pytest.mark.parametrize(
    "template, text",
    [
        ("{{.ID}}", "abc"),
        ("{{.Repository}}:{{.Tag}}", "alpine:latest"),
        ("{{json .Config}}", '{"Cmd":["/bin/sh"],"Env":["A=1"]}'),
        ("{{json .Config.Cmd}}", '["/bin/sh"]'),
        ("{{.RepoTags}}", "[alpine:latest alpine:3]"),
        ("{{range .RepoTags}}{{.}} {{end}}", "alpine:latest alpine:3 "),
        ('{{join .RepoTags ", "}}', "alpine:latest, alpine:3"),
        ('{{index .Config "Cmd"}}', "[/bin/sh]"),
        ("{{if .Empty}}yes{{else}}no{{end}}", "no"),
        ("{{.ID}}\\t{{.Tag}}", "abc\tlatest"),
        ("{{upper .Tag}}", "LATEST"),
    ],
)
def test_render_covers_what_tutorials_use(template, text):
    assert render(template, DATA) == text


@pytest.mark.parametrize("template", ["{{.Nope}}", "{{nosuch .ID}}", "{{range .RepoTags}}", "{{'unterminated}}"])
def test_bad_templates_are_template_errors_not_exceptions(template):
    with pytest.raises(TemplateError):
        render(template, DATA)


# What Go's text/template lexer (and the parser's function check) refuses, in the words the docker 28.2.2 client
# prints after "failed to parse template: " (checked against the real client).
@pytest.mark.parametrize("template, problem", [
    ("{{.ID", "unclosed action"),
    ("{{€.Names}}", "unrecognized character in action: U+20AC '€'"),
    ("{{.Names€}}", "bad character U+20AC '€'"),
    ('{{.Na"me}}', "bad character U+0022 '\"'"),
    ("{{.Names-}}", "bad character U+002D '-'"),
    ("{{.Names}}{{ .X.Y-z }}", "bad character U+002D '-'"),
    ("{{'a}}", "unterminated character constant"),
    ('{{"abc}}', "unterminated quoted string"),
    ("{{`abc}}", "unterminated raw quoted string"),
    ("{{.Names)}}", "unexpected right paren"),
    ("{{(.Names}}", "unclosed left paren"),
    ("{{-.Status}}", 'bad number syntax: "-.S"'),
    ("{{3x}}", 'bad number syntax: "3x"'),
    ("{{/.Names}}", 'unexpected "/" in command'),
    ("{{/* c }}x", "unclosed comment"),
    ("{{Names}}", 'function "Names" not defined'),
    ("{{é.Names}}", 'function "é" not defined'),
    ("{{.Nam:es}}", "expected :="),
])
def test_go_lexer_errors(template, problem):
    with pytest.raises(TemplateSyntaxError) as refused:
        check_syntax(template)
    assert refused.value.message == f"template: :1: {problem}"


@pytest.mark.parametrize("template", ["{{- .ID -}}", "{{/* a comment */}}x", '{{join .RepoTags "a-b"}}',
                                      "{{$x := .ID}}{{$x}}", "{{.ID | json}}", "{{if true}}{{end}}", "{{len .ID}}"])
def test_what_go_lexes_passes_the_check(template):
    check_syntax(template)
