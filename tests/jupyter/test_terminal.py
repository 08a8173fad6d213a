"""The terminal widget, driven headless: Enter and the buttons through submit()/click(), history, the host picker,
the password field, and progress played into the scrollback."""

from __future__ import annotations

import json

import ipywidgets as widgets

from sandbox.jupyter.session import Session
from sandbox.jupyter.terminal import ENTER, LoginPrompt, Screen, Terminal


def _terminal(**kwargs) -> Terminal:
    return Terminal(Session(), **kwargs)


def test_submit_runs_the_line_and_shows_prompt_and_output() -> None:
    t = _terminal()
    t.submit("docker pull -q alpine:latest")
    assert t.screen.text == "laptop$ docker pull -q alpine:latest\ndocker.io/library/alpine:latest\n"
    assert t.field.value == ""
    assert t.session.sandbox.has_image("alpine")


def test_click_runs_what_the_field_holds() -> None:
    t = _terminal()
    t.field.value = "docker images -q"
    t.click()
    assert t.screen.text == "laptop$ docker images -q\n"
    t.click()  # an empty field runs nothing
    assert t.screen.text == "laptop$ docker images -q\n"


def test_stderr_is_drawn_in_red_and_escaped() -> None:
    t = _terminal()
    t.submit("docker pull <nope>")
    assert "<span style='color:#c0392b'>" in t.screen.value
    assert "&lt;nope&gt;" in t.screen.value and "<nope>" not in t.screen.value


def test_up_and_down_walk_the_history() -> None:
    t = _terminal()
    for line in ("docker images", "docker ps", "docker images"):
        t.submit(line)
    assert t.history == ["docker ps", "docker images"]
    assert t.field.options == ("docker images", "docker ps")
    t.up()
    assert t.field.value == "docker images"
    t.up()
    t.up()
    assert t.field.value == "docker ps"
    t.down()
    assert t.field.value == "docker images"
    t.down()
    assert t.field.value == ""


def test_the_buttons_do_what_the_methods_do() -> None:
    t = _terminal()
    t.submit("docker ps")
    t.up_button.click()
    assert t.field.value == "docker ps"
    t.run_button.click()
    assert t.screen.text.count("laptop$ docker ps\n") == 2


def test_the_host_picker_switches_machines_and_learns_new_ones() -> None:
    t = _terminal(hosts=["server"])
    assert t.picker.options == ("laptop", "server")
    t.picker.value = "server"
    t.submit("docker pull -q busybox:latest")
    assert t.session.sandbox.host("server").has_image("busybox")
    assert t.screen.text.startswith("server$ docker pull")
    t.submit("backup$ docker images")
    assert t.picker.options == ("laptop", "server", "backup") and t.picker.value == "server"


def test_a_password_prompt_shows_a_field_that_does_not_echo() -> None:
    t = _terminal()
    t.submit("docker login -u alice")
    [prompt] = t.asking.children
    assert isinstance(prompt, LoginPrompt) and isinstance(prompt.fields[0], widgets.Password)
    assert t.busy
    t.submit("docker images")  # ignored while the password is asked
    prompt.submit("alice-pass")
    assert t.asking.children == () and not t.busy
    assert t.session.sandbox.logged_in_user() == "alice"
    assert "alice-pass" not in t.screen.text and prompt.fields[0].value == ""
    assert "laptop$ docker login -u alice\n" in t.screen.text and "Password: \n" in t.screen.text
    assert t.screen.text.endswith("Login Succeeded\n")


def test_a_login_without_a_user_asks_both_questions() -> None:
    t = _terminal()
    t.submit("docker login")
    [prompt] = t.asking.children
    assert [isinstance(f, widgets.Password) for f in prompt.fields] == [False, True]  # the user name shows
    prompt.fields[0].value, prompt.fields[1].value = "learner", "wrong"
    prompt.button.click()
    assert t.screen.text.endswith("unauthorized: incorrect username or password\n")
    assert repr(prompt) == "LoginPrompt('Username: ', 'Password: ')"


def test_run_lines_waits_for_the_password_then_goes_on() -> None:
    t = _terminal()
    t.run_lines(["docker login -u learner", "docker pull -q alpine:latest"])
    assert not t.session.sandbox.has_image("alpine")
    t.asking.children[0].submit("s3cret-pass")
    assert t.session.sandbox.has_image("alpine")


def test_run_lines_stops_after_a_failure_unless_told_to_go_on() -> None:
    t = _terminal()
    t.run_lines(["docker push learner/none:1", "docker pull -q alpine:latest"])
    assert not t.session.sandbox.has_image("alpine")
    assert t.screen.text.endswith("(stopped: exit code 1; 1 more line(s) not run)\n")
    t.run_lines(["docker push learner/none:1", "docker pull -q alpine:latest"], keep_going=True)
    assert t.session.sandbox.has_image("alpine")


def test_live_progress_plays_in_the_scrollback_and_ends_on_the_final_text() -> None:
    waited: list[float] = []
    t = Terminal(Session(), live=True, sleep=waited.append)
    t.submit("docker pull alpine")
    assert waited and t.screen.text.endswith("docker.io/library/alpine:latest\n")
    assert "Downloading" not in t.screen.value


def test_screen_and_terminal_have_short_stable_reprs() -> None:
    assert repr(_terminal()) == "Terminal(host='laptop')"
    assert repr(Screen()) == "Screen()"


def test_an_interrupted_pull_in_the_terminal_leaves_the_screen_so_far_and_no_image() -> None:
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == 4:
            raise KeyboardInterrupt

    t = Terminal(Session(), live=True, sleep=sleep)
    t.run_lines(["docker pull alpine:3.21", "docker images"])  # no traceback, even in the kernel's log
    assert t.screen.text.startswith("laptop$ docker pull alpine:3.21\n3.21: Pulling from library/alpine\n")
    assert t.screen.text.endswith("^C\n") and "laptop$ docker images" not in t.screen.text
    assert not t.session.sandbox.has_image("alpine:3.21") and t.queue == []


def test_docker_run_it_switches_the_prompt_to_the_container_until_exit() -> None:
    t = _terminal()
    t.submit("docker pull -q alpine")
    t.submit("docker run -it --name box alpine sh")
    assert t.inside is not None and t.field.description == "/ #" and t.picker.disabled
    t.submit("cd /tmp && echo hi > f")
    t.submit("ls")
    t.submit("exit 2")
    assert t.inside is None and t.field.description == "command" and not t.picker.disabled
    t.submit("docker ps -a --format '{{.Names}} {{.Status}}'")
    assert t.screen.text.endswith("/ # cd /tmp && echo hi > f\n/tmp # ls\nf\n/tmp # exit 2\n"
                                  "laptop$ docker ps -a --format '{{.Names}} {{.Status}}'\n"
                                  "box Exited (2) 1 second ago\n")


def test_ctrl_d_leaves_a_docker_exec_shell_and_the_container_runs_on() -> None:
    t = _terminal()
    t.submit("docker run -d --name web ubuntu sleep 1000")
    t.submit("docker exec -it web bash")
    assert t.field.description.startswith("root@") and t.field.description.endswith(":/#")
    t.eof()
    assert t.inside is None and t.screen.text.endswith("exit\n")
    assert t.session.sandbox.container_status("web") == "running"


def test_enter_pressed_in_the_page_runs_the_line_typed_before_it() -> None:
    t = _terminal()
    t.field.set_state({"value": "docker images"})  # the page sends what is typed; nothing runs yet
    assert t.screen.text == ""
    t.field.set_state({"value": f"docker images{ENTER}"})  # Enter, in the same update as the line
    assert t.screen.text.startswith("laptop$ docker images\nREPOSITORY") and t.field.value == ""
    assert t.history == ["docker images"]


def test_lines_typed_ahead_while_the_kernel_was_busy_run_in_order_and_the_rest_stays_typed() -> None:
    t = _terminal()
    t.field.set_state({"value": f"docker pull -q alpine{ENTER}docker images -q{ENTER}docker rm"})
    assert t.screen.text.startswith("laptop$ docker pull -q alpine\n")
    assert "laptop$ docker images -q\n" in t.screen.text and t.field.value == "docker rm"


def test_a_line_entered_while_a_password_is_asked_stays_typed_with_what_follows() -> None:
    t = _terminal()
    t.submit("docker login -u alice")
    t.field.set_state({"value": f"docker images{ENTER}docker ps{ENTER}"})
    assert "laptop$ docker images" not in t.screen.text and t.field.value == f"docker images{ENTER}docker ps{ENTER}"


def test_a_value_the_kernel_sets_never_presses_enter() -> None:
    t = _terminal()
    t.field.value = f"echo {ENTER}"  # such as a past command recalled by the up button
    assert t.screen.text == ""


def test_enter_in_the_password_field_sends_the_whole_password() -> None:
    t = _terminal()
    t.submit("docker login -u alice")
    t.asking.children[0].fields[0].set_state({"value": f"alice-pass{ENTER}"})
    assert t.session.sandbox.logged_in_user() == "alice" and t.asking.children == ()


def test_the_page_script_sends_enter_inside_the_value_and_cancels_ipywidgets_own() -> None:
    keys = _terminal().children[-1].value
    assert json.dumps(ENTER).replace('"', "&quot;") in keys and "preventDefault" in keys


def test_the_arrow_keys_of_the_page_walk_the_history_the_field_lists_newest_first() -> None:
    t = Terminal(Session())
    t.run_lines(["docker images", "docker ps"])
    assert t.field.options == ("docker ps", "docker images")  # what the page's ArrowUp walks, newest first
    keys = t.children[-1]
    assert "imageshare-terminal" in t._dom_classes and "onerror=" in keys.value and "ArrowUp" in keys.value
    assert "<script" not in keys.value and ".imageshare-terminal.jupyter-widgets-disconnected" in keys.value
