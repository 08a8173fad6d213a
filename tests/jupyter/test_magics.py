"""The magics, driven through an IPython shell: Docker's text on the right streams, one world per session, host
switches, files, the world's picture and log, and one-line UsageErrors for misuse, never a traceback."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from IPython.core.error import UsageError

from sandbox.jupyter import browser
from sandbox.jupyter.terminal import Terminal

WEB_APP = '''%%dockerfile
FROM node:20-alpine
COPY server.js /app/server.js
CMD ["node", "/app/server.js"]
'''


def test_docker_prints_stdout_as_stdout(shell) -> None:
    result, out = shell.run("%docker images")
    assert result.success
    assert out.stdout == "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    assert out.stderr == ""


def test_docker_prints_errors_on_stderr_and_sets_nothing(shell) -> None:
    result, out = shell.run("%docker pull alice/secret-app:1.0")
    assert result.success and result.result is None
    assert out.stdout == ""
    assert out.stderr.startswith("Error response from daemon: pull access denied for alice/secret-app")


def test_docker_passes_braces_and_dollars_to_docker(shell) -> None:
    shell.run("%docker pull alpine")
    _, out = shell.run("%docker images --format '{{.Repository}}:{{.Tag}}'")
    assert out.stdout == "alpine:latest\n"
    _, out = shell.run("%%docker\necho $HOME {x}")
    assert out.stdout.endswith("/home/learner {x}\n")  # the sandbox's bash expands $HOME, IPython did not


def test_docker_keeps_one_world_per_session(shell) -> None:
    shell.run("%docker pull alpine")
    assert shell.session.sandbox.has_image("alpine:latest")
    shell.run("%sandbox reset")
    assert not shell.session.sandbox.has_image("alpine:latest")


def test_docker_host_option_targets_another_host(shell) -> None:
    shell.run("%docker --host server pull alpine")
    assert shell.session.sandbox.host("server").has_image("alpine")
    assert not shell.session.sandbox.has_image("alpine")
    _, out = shell.run("%docker --host=server images -q")
    assert out.stdout.strip() == shell.session.sandbox.host("server").image_id("alpine")[7:19]


def test_docker_without_arguments_prints_dockers_usage(shell) -> None:
    result, out = shell.run("%docker")
    assert result.success
    assert out.stderr.startswith("Usage:  docker [OPTIONS] COMMAND")


@pytest.mark.parametrize("cell, message", [
    ("%docker --host", "needs a host name"),
    ("%docker --host Server images", "'Server' is not a host name"),
    ("%%docker --loud\ndocker images", "unknown option '--loud'"),
    ("%%docker --host\ndocker images", "needs a host name"),
    ("%%docker\n# on ../etc\ndocker images", "is not a host name"),
    ("%sandbox", "usage: %sandbox"),
    ("%sandbox paint", "usage: %sandbox"),
    ("%sandbox events many", "takes a number"),
    ("%sandbox progress sometimes", "usage: %sandbox"),
    ("%%sandbox_file\nhello", "the following arguments are required: path"),
    ("%quiz no-such-quiz", "no quiz with this id"),
    ("%quiz course-questions no-such-question", "has no question 'no-such-question'"),
    ("%quiz --attempts 0 course-questions", "--attempts must be 1 or more"),
    ("%%quiz\nquiz: x\n", "field 'title'"),
    ("%quiz 'my quizzes/pull.yaml", "No closing quotation"),
])
def test_misuse_raises_one_line_usage_error(shell, cell, message) -> None:
    result, out = shell.run(cell)
    assert isinstance(result.error_in_exec, UsageError)
    assert message in str(result.error_in_exec)
    assert "Traceback" not in out.stdout + out.stderr
    assert out.stderr.startswith("UsageError: ") and out.stderr.count("\n") == 1


def test_quiz_opens_a_quoted_path_with_spaces(shell, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "my quizzes"
    folder.mkdir()
    (folder / "tiny.yaml").write_text("quiz: tiny\ntitle: Tiny\nquestions:\n  - id: q\n    kind: which-fails\n"
                                      "    prompt: Which fails?\n    choices: {a: docker images, b: docker rm nope}\n"
                                      "    answer: b\n")
    monkeypatch.chdir(tmp_path)
    result, out = shell.run("%quiz --no-save 'my quizzes/tiny.yaml'")
    assert result.success, result.error_in_exec
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("line", [
    "docker", "docker pull", "docker push ''", "docker run -it --rm ubuntu bash", "docker tag a b c d",
    "docker login -u", "docker inspect --format '{{' alpine", "docker build -f /nope .", "ls /", "rm -rf /",
    "docker pull 'unbalanced", "docker images | | cat", "echo a && || b", "docker --host tcp://x images",
])
def test_odd_command_lines_print_dockers_answer_never_a_traceback(shell, line) -> None:
    result, out = shell.run("%%docker --keep-going\n" + line)
    assert result.success, result.error_in_exec
    assert "Traceback" not in out.stdout + out.stderr


def test_cell_echoes_each_line_after_the_hosts_prompt(shell) -> None:
    _, out = shell.run("%%docker\n# a comment\n\ndocker pull -q alpine:latest\n# on server\ndocker images -q\n"
                       "laptop$ docker images -q")
    image = shell.session.sandbox.image_id("alpine")[7:19]
    assert out.stdout == (f"laptop$ docker pull -q alpine:latest\ndocker.io/library/alpine:latest\n"
                          f"server$ docker images -q\nlaptop$ docker images -q\n{image}\n")


def test_cell_host_option_sets_the_default_host(shell) -> None:
    _, out = shell.run("%%docker --host server\ndocker pull -q busybox")
    assert out.stdout.startswith("server$ docker pull -q busybox\n")
    assert shell.session.sandbox.host("server").has_image("busybox")


def test_cell_stops_at_the_first_failure(shell) -> None:
    _, out = shell.run("%%docker\ndocker push learner/nothing:1\ndocker pull alpine\ndocker images")
    assert "docker pull alpine" not in out.stdout
    assert out.stderr.endswith("(stopped: the command above exited with 1; 2 more lines not run; "
                               "%%docker --keep-going runs them anyway)\n")
    assert not shell.session.sandbox.has_image("alpine")


def test_cell_keep_going_runs_every_line(shell) -> None:
    _, out = shell.run("%%docker --keep-going\ndocker push learner/nothing:1\ndocker pull -q alpine:latest")
    assert "laptop$ docker pull -q alpine:latest\n" in out.stdout
    assert "stopped" not in out.stderr


def test_cell_joins_backslash_continuations(shell) -> None:
    _, out = shell.run("%%docker\ndocker pull \\\n  -q alpine:latest")
    assert out.stdout == "laptop$ docker pull    -q alpine:latest\ndocker.io/library/alpine:latest\n"


def test_cell_starts_a_prompt_on_its_own_line_after_a_file_without_newline(shell) -> None:
    shell.run("%docker login -u learner -p s3cret-pass")
    _, out = shell.run("%%docker\ncat ~/.docker/config.json\ndocker logout")
    assert "}\nlaptop$ docker logout\n" in out.stdout


def test_pipe_and_password_stdin_log_in(shell) -> None:
    _, out = shell.run("%%docker\necho s3cret-pass | docker login -u learner --password-stdin")
    assert out.stdout.endswith("Login Succeeded\n")
    assert shell.session.sandbox.logged_in_user() == "learner"


def test_login_prompt_is_answered_by_the_front_end_without_echo(shell) -> None:
    asked = []

    def ask(prompt, secret):
        asked.append((prompt, secret))
        return {"Username: ": "alice", "Password: ": "alice-pass"}[prompt]

    shell.magics.ask = ask
    _, out = shell.run("%docker login")
    assert asked == [("Username: ", False), ("Password: ", True)]
    assert "Username: " not in out.stdout and "alice-pass" not in out.stdout + out.stderr
    assert out.stdout.endswith("Login Succeeded\n")
    assert shell.session.sandbox.logged_in_user() == "alice"


def test_login_prompt_wrong_password_prints_dockers_error(shell) -> None:
    shell.magics.ask = lambda prompt, secret: "nope"
    _, out = shell.run("%docker login -u learner")
    assert out.stderr.endswith("Error response from daemon: Get \"https://registry-1.docker.io/v2/\": "
                               "unauthorized: incorrect username or password\n")
    assert shell.session.sandbox.logged_in_user() is None


def test_interrupting_a_password_prompt_stops_the_cell_quietly(shell) -> None:
    def ask(prompt, secret):
        raise KeyboardInterrupt

    shell.magics.ask = ask
    result, out = shell.run("%%docker\ndocker login -u learner\ndocker pull alpine")
    assert result.success and "Traceback" not in out.stderr
    assert out.stderr.startswith("\n(stopped: the command above exited with 130;")
    assert not shell.session.sandbox.has_image("alpine")


def test_login_prompt_without_stdin_shows_a_terminal_with_a_password_field(shell) -> None:
    result, out = shell.run("%%docker\ndocker login -u alice\ndocker pull -q alice/secret-app:1.0")
    assert result.success
    [display] = out.outputs
    assert display.data["text/plain"] == "Terminal(host='laptop')"
    terminal = _widget(display)
    assert isinstance(terminal, Terminal) and terminal.session is shell.session
    [prompt] = terminal.asking.children
    assert [isinstance(f, widgets.Password) for f in prompt.fields] == [True]  # a field that hides what is typed
    prompt.submit("alice-pass")
    assert shell.session.sandbox.has_image("alice/secret-app:1.0")
    assert "laptop$ docker pull -q alice/secret-app:1.0\ndocker.io/alice/secret-app:1.0\n" in terminal.screen.text


def _widget(display):
    """The live widget a display shows, found by its model id."""
    from ipywidgets.widgets.widget import _instances

    return _instances[display.data["application/vnd.jupyter.widget-view+json"]["model_id"]]


def test_dockerfile_and_file_magics_write_into_the_hosts_working_directory(shell) -> None:
    _, out = shell.run(WEB_APP)
    assert out.stdout == "Writing Dockerfile\n"
    _, out = shell.run(WEB_APP)
    assert out.stdout == "Overwriting Dockerfile\n"
    _, out = shell.run('%%sandbox_file server.js\nrequire("http")')
    assert shell.session.sandbox.read_file("server.js") == 'require("http")\n'
    _, out = shell.run("%%docker\ndocker build -q -t web .")
    assert shell.session.sandbox.has_image("web")
    _, out = shell.run("%%sandbox_file --host server notes.txt\nhi\n")
    assert out.stdout == "Writing notes.txt on server\n"
    assert shell.session.sandbox.host("server").read_file("notes.txt") == "hi\n"


def test_dockerfile_magic_takes_another_name(shell) -> None:
    shell.run("%%dockerfile Dockerfile.dev\nFROM alpine\n")
    assert shell.session.sandbox.read_file("Dockerfile.dev") == "FROM alpine\n"


def test_file_magic_refuses_a_huge_file_with_a_usage_error(shell) -> None:
    result, _ = shell.run("%%sandbox_file big\n" + "x" * (1024 * 1024 + 1))
    assert isinstance(result.error_in_exec, UsageError)


def test_sandbox_hosts_lists_hosts_in_creation_order(shell) -> None:
    shell.run("%docker --host server images")
    _, out = shell.run("%sandbox hosts")
    assert out.stdout == "laptop\nserver\n"


def test_sandbox_events_prints_the_log_with_reasons(shell) -> None:
    _, out = shell.run("%sandbox events")
    assert out.stdout == "(nothing has happened yet)\n"
    shell.run("%docker pull alpine")
    shell.run("%docker tag alpine learner/alpine:1.0")
    _, out = shell.run("%sandbox events 1")
    assert out.stdout == "2025-06-02T09:00:02Z  laptop   learner/alpine:1.0 now names image aded1e1a5b37\n"


def test_sandbox_show_displays_the_picture_as_text_and_html(shell) -> None:
    shell.run("%docker pull alpine")
    _, out = shell.run("%sandbox show")
    [display] = out.outputs
    assert display.data["text/plain"].startswith("laptop\n  images\n    alpine:latest   ")
    assert "<div class='imageshare-world'" in display.data["text/html"]


def test_a_sandbox_value_draws_as_its_picture(shell) -> None:
    data, _ = shell.ip.display_formatter.format(shell.session.sandbox)
    assert data["text/plain"] == "<Sandbox hosts=['laptop']>"
    assert data["text/html"].startswith("<div class='imageshare-world'")


def test_progress_plays_live_then_prints_the_final_text(shell) -> None:
    waited = []
    shell.magics.sleep, shell.magics.clock = waited.append, lambda: sum(waited)  # drawing takes no time here
    shell.run("%sandbox progress on")
    _, live = shell.run("%docker pull alpine")
    shell.run("%sandbox reset")
    shell.run("%sandbox progress off")
    _, plain = shell.run("%docker pull alpine")
    assert live.stdout == plain.stdout
    assert [(o.data["text/plain"], o.update) for o in live.outputs] == [("ProgressBoard()", False), ("", True)]
    assert plain.outputs == [] and waited and 0.3 <= sum(waited) <= 2.5


def test_progress_auto_is_off_without_a_kernel(shell) -> None:
    _, out = shell.run("%docker pull alpine")
    assert out.outputs == []


def test_each_magic_documents_itself_for_help(shell) -> None:
    for kind, name in (("line", "docker"), ("cell", "docker"), ("cell", "dockerfile"), ("cell", "sandbox_file"),
                       ("line", "sandbox"), ("line", "quiz"), ("cell", "quiz")):
        function = shell.ip.find_magic(name, kind)
        assert function.__doc__ and "Usage" in function.__doc__, (kind, name)


def test_load_ext_by_either_name_registers_the_magics(shell) -> None:
    for name in ("sandbox", "sandbox.jupyter"):
        shell.ip.run_line_magic("reload_ext", name)
        assert shell.ip.find_line_magic("docker") is not None
        assert shell.ip.find_cell_magic("dockerfile") is not None


def _interrupt_after(calls: int):
    """A sleep that raises KeyboardInterrupt (the kernel's interrupt) at its ``calls``-th wait."""
    waited = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == calls:
            raise KeyboardInterrupt

    return sleep


def test_an_interrupted_pull_ends_as_ctrl_c_ends_docker_and_leaves_no_image(shell) -> None:
    shell.magics.sleep = _interrupt_after(5)
    shell.run("%sandbox progress on")
    result, out = shell.run("%docker pull alpine:3.21")
    assert result.error_in_exec is None and "Traceback" not in out.stdout + out.stderr
    assert out.stdout.startswith("3.21: Pulling from library/alpine\n") and out.stdout.endswith("^C\n")
    assert "Downloading" in out.stdout.splitlines()[-1] and out.stderr == ""
    assert not shell.session.sandbox.has_image("alpine:3.21")
    assert [(o.data["text/plain"], o.update) for o in out.outputs] == [("ProgressBoard()", False), ("", True)]


def test_an_interrupt_ends_a_docker_cell_without_running_its_other_lines(shell) -> None:
    shell.magics.sleep = _interrupt_after(3)
    shell.run("%sandbox progress on")
    result, out = shell.run("%%docker\ndocker pull alpine:3.21\ndocker images -q")
    assert result.error_in_exec is None and out.stdout.endswith("^C\n") and out.stderr == ""
    assert "laptop$ docker images" not in out.stdout
    assert not shell.session.sandbox.has_image("alpine:3.21")
    shell.magics.sleep = lambda seconds: None
    _, out = shell.run("%docker pull -q alpine:3.21")
    assert out.stdout == "docker.io/library/alpine:3.21\n"


def test_progress_auto_plays_in_a_browser_tab(shell, monkeypatch) -> None:
    monkeypatch.setattr(browser, "IN_BROWSER", True)  # JupyterLite: the tab running the kernel shows the output
    _, out = shell.run("%docker pull alpine")
    assert [o.data["text/plain"] for o in out.outputs] == ["ProgressBoard()", ""]
