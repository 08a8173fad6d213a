"""``imageshare shell`` at a terminal: a password asked without echo and never in the output, Ctrl-C abandoning the
line and not the shell, and ssh to another machine of the same world."""

from __future__ import annotations

import builtins
import io

import pytest

from sandbox.entrypoint.shell import main


class Terminal(io.StringIO):
    """Standard input that says it is a terminal; the lines come from `typed`, which the test fills."""

    def isatty(self) -> bool:
        return True


class Typed(list):
    """Lines to type, and the prompts shown."""

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[str] = []


@pytest.fixture
def typed(monkeypatch):
    """The lines the learner types at the prompt (an exception is raised instead of being returned); the prompts
    shown are recorded in ``typed.prompts``."""
    lines = Typed()
    prompts = lines.prompts

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        if not lines:
            raise EOFError
        item = lines.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    monkeypatch.setattr(builtins, "input", fake_input)
    return lines


def _shell(typed, *lines, ask=None):
    typed.extend(lines)
    out = io.StringIO()
    code = main([], stdin=Terminal(), stdout=out, ask=ask)
    return code, out.getvalue()


def test_docker_login_asks_for_the_password_without_echo_and_never_prints_it(typed, capsys) -> None:
    asked = []

    def ask(prompt: str, secret: bool) -> str:
        asked.append((prompt, secret))
        return "s3cret-pass"

    code, out = _shell(typed, "docker login -u learner", "docker push learner/none:1", ask=ask)
    err = capsys.readouterr().err
    assert asked == [("Password: ", True)]
    assert "Login Succeeded\n" in out and "s3cret-pass" not in out + err and "Password: " not in out
    assert err.index("Personal Access Token") < err.index("WARNING! Your credentials")  # the Info came first
    assert "An image does not exist locally with the tag: learner/none\n" in err and code == 1


def test_ctrl_c_abandons_the_line_not_the_shell(typed, capsys) -> None:
    def ask(prompt: str, secret: bool) -> str:
        raise KeyboardInterrupt

    code, out = _shell(typed, KeyboardInterrupt(), "docker login -u learner", "docker images -q", ask=ask)
    assert code == 0 and len(typed.prompts) == 4  # three lines, then end of input
    assert "Login Succeeded" not in out


def test_ssh_reaches_another_machine_and_exit_comes_back(typed, capsys) -> None:
    code, out = _shell(typed, "docker pull -q alpine:3.21", "ssh server", "docker images -q", "exit",
                       "server$ docker images -q", "docker images --format '{{.Repository}}'")
    assert typed.prompts[:4] == ["learner@laptop:~/project$ ", "learner@laptop:~/project$ ",
                                 "learner@server:~/project$ ", "learner@server:~/project$ "]
    assert typed.prompts[4] == "learner@laptop:~/project$ "
    assert "(imageshare: you are on server now" in out and "Connection to server closed.\n" in out
    assert out.endswith("closed.\nalpine\n\n") and code == 0  # server has no image; Ctrl-D ends a line


def test_ssh_to_a_name_that_is_no_machine_fails_as_ssh_does(typed, capsys) -> None:
    code, _ = _shell(typed, "ssh Not_A_Host")
    assert code == 255
    assert capsys.readouterr().err == "ssh: Could not resolve hostname Not_A_Host: Name or service not known\n"


def test_a_script_on_stdin_runs_line_by_line_without_questions(capsys) -> None:
    code = main([], stdin=io.StringIO("docker pull -q alpine:3.21\ndocker images -q\n"), stdout=io.StringIO())
    assert code == 0


def test_docker_run_it_switches_to_the_containers_prompt_until_exit(typed, capsys) -> None:
    code, out = _shell(typed, "docker pull -q alpine", "docker run -it --name box alpine sh", "cd /tmp",
                       "echo inside > f && cat f", "exit 3", "docker ps -a --format '{{.Names}} {{.Status}}'")
    assert typed.prompts[2:5] == ["/ # ", "/tmp # ", "/tmp # "]
    assert typed.prompts[5] == "learner@laptop:~/project$ "
    assert "inside\n" in out and out.endswith("box Exited (3) 1 second ago\n\n") and code == 0


def test_docker_exec_it_bash_shows_roots_prompt_and_ctrl_d_comes_back(typed, capsys) -> None:
    code, out = _shell(typed, "docker run -d --name web ubuntu sleep 1000", "docker exec -it web bash", "pwd",
                       EOFError(), "docker ps --format '{{.Names}}'")
    container = out.split("\n")[1][:12]  # docker run -d printed the ID after the welcome line
    assert typed.prompts[2:4] == [f"root@{container}:/# ", f"root@{container}:/# "]
    assert "/\n" in out and "exit\nweb\n" in out  # bash says exit at Ctrl-D; the container keeps running
