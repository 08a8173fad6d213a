"""The Go-template subset that ``--format`` accepts."""

import pytest

from sandbox.cli.template import TemplateError, render

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
