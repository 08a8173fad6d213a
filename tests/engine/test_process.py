"""What a container's main process does: the text `docker run` and `docker logs` show, and how it ends."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sandbox.engine.process import HELLO_WORLD, ProcessOutcome, simulate
from sandbox.registry.catalogue import load_catalogue

HOST = "3f4e5d6c7b8a"
NOT_IN_PATH = (
    "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create "
    'failed: unable to start container process: error during container init: exec: "{}": executable file not '
    "found in $PATH: unknown"
)


def run(
    image: str,
    *command: str,
    it: bool = False,
    interactive: bool | None = None,
    tty: bool | None = None,
    env: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
    now: datetime | None = None,
) -> ProcessOutcome:
    """``docker run [-it] IMAGE [COMMAND...]`` as the engine composes it from the catalogue image."""
    repository, _, tag = image.partition(":")
    repository = repository if "/" in repository else f"library/{repository}"
    entry = load_catalogue().image_for(repository, tag or "latest")
    environment = dict(item.split("=", 1) for item in entry.config["Env"])
    environment.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    environment["HOSTNAME"] = HOST
    environment.update(env or {})
    known = {path: text.encode() for path, text in entry.files.items()}
    known.update({path: text.encode() for path, text in (files or {}).items()})
    argv = [*(entry.config["Entrypoint"] or ()), *(command or entry.config["Cmd"] or ())]
    return simulate(
        argv, env=environment, workdir=entry.config["WorkingDir"] or "/", files=known,
        interactive=it if interactive is None else interactive, tty=it if tty is None else tty,
        image_hint=repository, now=now,
    )


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- hello-world -----------------------------------------------------------------------------------------


def test_hello_world_prints_its_greeting_and_exits_0():
    outcome = run("hello-world")
    assert outcome.exit_code == 0 and outcome.stderr == ""
    assert outcome.stdout == HELLO_WORLD
    assert outcome.stdout.startswith("\nHello from Docker!\nThis message shows that your installation appears")
    assert " $ docker run -it ubuntu bash\n" in outcome.stdout


def test_hello_world_has_no_shell():
    outcome = run("hello-world", "sh")
    assert outcome.start_error == NOT_IN_PATH.format("sh")
    assert outcome.exit_code == 127 and outcome.output == ()


# --- shells without and with -it --------------------------------------------------------------------------


@pytest.mark.parametrize("image", ["alpine", "busybox", "ubuntu", "debian"])
def test_default_shell_without_it_exits_0_at_once(image):
    outcome = run(image)
    assert (outcome.exit_code, outcome.output) == (0, ())


def test_alpine_with_it_waits_at_the_ash_prompt():
    outcome = run("alpine", it=True)
    assert outcome.running and outcome.exit_code is None
    assert outcome.stdout == "/ # "


def test_ubuntu_bash_with_it_waits_at_roots_prompt():
    assert run("ubuntu", "bash", it=True).stdout == f"root@{HOST}:/# "


def test_shell_with_i_but_no_tty_waits_silently_for_stdin():
    outcome = run("alpine", interactive=True, tty=False)
    assert outcome.running and outcome.output == ()


def test_alpine_has_no_bash():
    outcome = run("alpine", "bash")
    assert outcome.start_error == NOT_IN_PATH.format("bash")
    assert outcome.exit_code == 127


def test_missing_path_is_a_stat_error():
    outcome = run("alpine", "/app/start.sh")
    assert outcome.start_error.endswith(
        'error during container init: exec: "/app/start.sh": stat /app/start.sh: no such file or directory: unknown'
    )


# --- sh -c scripts ---------------------------------------------------------------------------------------


def test_sh_c_runs_commands_in_order_and_expands_variables():
    outcome = run("alpine", "sh", "-c", 'echo "hello from $HOSTNAME"; echo -n no-newline; echo; pwd')
    assert outcome.stdout == f"hello from {HOST}\nno-newline\n/\n"
    assert outcome.exit_code == 0


def test_and_or_lists_short_circuit():
    outcome = run("alpine", "sh", "-c", "false && echo skipped || echo recovered; true || echo skipped")
    assert outcome.stdout == "recovered\n"


def test_script_exit_code_is_the_container_exit_code():
    assert run("alpine", "sh", "-c", "echo bye; exit 3").exit_code == 3
    assert run("alpine", "sh", "-c", "false").exit_code == 1


@pytest.mark.parametrize(("image", "shell", "message"), [
    ("alpine", "sh", "sh: xyz: not found"),
    ("busybox", "sh", "sh: xyz: not found"),
    ("debian", "sh", "sh: 1: xyz: not found"),
    ("ubuntu", "bash", "bash: line 1: xyz: command not found"),
])
def test_unknown_command_in_a_script_is_127_in_the_shells_words(image, shell, message):
    outcome = run(image, shell, "-c", "xyz")
    assert (outcome.stderr, outcome.exit_code) == (message + "\n", 127)


def test_single_quotes_keep_dollar_signs():
    assert run("alpine", "sh", "-c", "echo '$HOME' \"$HOME\"").stdout == "$HOME /root\n"


def test_env_var_from_docker_run_e_reaches_the_script():
    assert run("alpine", "sh", "-c", "echo $GREETING", env={"GREETING": "hi"}).stdout == "hi\n"


def test_dash_echo_prints_dash_e_literally():
    assert run("debian", "sh", "-c", "echo -e 'a'").stdout == "-e a\n"


def test_cat_reads_files_copied_into_the_image():
    outcome = run("alpine", "cat", "/app/msg.txt", files={"/app/msg.txt": "copied by COPY\n"})
    assert outcome.stdout == "copied by COPY\n"


def test_cat_of_a_missing_file_fails_in_busybox_and_gnu_words():
    alpine, ubuntu = run("alpine", "cat", "/nope"), run("ubuntu", "cat", "/nope")
    assert alpine.stderr == "cat: can't open '/nope': No such file or directory\n"
    assert ubuntu.stderr == "cat: /nope: No such file or directory\n"
    assert alpine.exit_code == ubuntu.exit_code == 1


def test_os_release_tells_the_distribution():
    assert 'PRETTY_NAME="Alpine Linux v3.21"' in run("alpine", "cat", "/etc/os-release").stdout
    assert 'PRETTY_NAME="Ubuntu 24.04.2 LTS"' in run("ubuntu", "cat", "/etc/os-release").stdout
    assert 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' in run("nginx", "cat", "/etc/os-release").stdout


def test_ls_root_lists_the_distributions_directories():
    assert lines(run("alpine", "ls", "/").stdout) == (
        "bin dev etc home lib media mnt opt proc root run sbin srv sys tmp usr var".split()
    )
    assert "bin.usr-is-merged" in lines(run("ubuntu", "ls", "/").stdout)


def test_ls_a_shows_dockerenv():
    assert ".dockerenv" in lines(run("alpine", "ls", "-a", "/").stdout)


def test_ls_shows_files_a_build_copied():
    outcome = run("alpine", "ls", "/app", files={"/app/server.js": "", "/app/package.json": "{}"})
    assert outcome.stdout == "package.json\nserver.js\n"


def test_ls_of_a_missing_directory():
    assert run("alpine", "ls", "/nope").stderr == "ls: /nope: No such file or directory\n"
    assert run("ubuntu", "ls", "/nope").stderr == "ls: cannot access '/nope': No such file or directory\n"
    assert run("ubuntu", "ls", "/nope").exit_code == 2


def test_nginx_serves_its_welcome_page_from_usr_share_nginx_html():
    assert lines(run("nginx", "ls", "/usr/share/nginx/html").stdout) == ["50x.html", "index.html"]
    assert "<h1>Welcome to nginx!</h1>" in run("nginx", "cat", "/usr/share/nginx/html/index.html").stdout


def test_env_prints_the_environment_with_home_added_by_the_runtime():
    assert run("alpine", "env").stdout == (
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        f"HOSTNAME={HOST}\n"
        "HOME=/root\n"
    )


def test_printenv_one_variable():
    assert run("nginx", "printenv", "NGINX_VERSION").stdout == "1.27.4\n"
    assert run("alpine", "printenv", "NOPE").exit_code == 1


def test_hostname_is_the_container_id_prefix():
    assert run("alpine", "hostname").stdout == f"{HOST}\n"


def test_uname_a_names_the_shared_kernel():
    assert run("alpine", "uname", "-a").stdout == (
        f"Linux {HOST} 6.10.14-linuxkit #1 SMP PREEMPT_DYNAMIC Fri Mar 28 09:27:26 UTC 2025 x86_64 Linux\n"
    )
    assert run("ubuntu", "uname", "-a").stdout.endswith("x86_64 GNU/Linux\n")
    assert run("ubuntu", "uname", "-r").stdout == "6.10.14-linuxkit\n"


def test_date_reads_the_world_clock():
    now = datetime(2025, 4, 4, 9, 5, 3, tzinfo=timezone.utc)
    assert run("alpine", "date", now=now).stdout == "Fri Apr  4 09:05:03 UTC 2025\n"


def test_sleep_n_ends_and_sleep_infinity_keeps_running():
    assert run("alpine", "sleep", "5").exit_code == 0
    assert run("alpine", "sleep", "infinity").running


def test_tail_f_dev_null_keeps_running():
    assert run("ubuntu", "tail", "-f", "/dev/null").running


def test_while_true_loop_keeps_the_container_running_after_its_first_round():
    outcome = run("busybox", "sh", "-c", "while true; do echo tick; sleep 1; done")
    assert outcome.running and outcome.stdout == "tick\n"


def test_for_loop_runs_each_item():
    assert run("alpine", "sh", "-c", "for i in 1 2 3; do echo $i; done").stdout == "1\n2\n3\n"


def test_if_test_and_redirection_into_a_file():
    outcome = run("alpine", "sh", "-c", "echo hi > /tmp/x; if [ -f /tmp/x ]; then cat /tmp/x; else echo no; fi")
    assert outcome.stdout == "hi\n"


def test_pipes_and_stderr_redirection():
    outcome = run("alpine", "sh", "-c", "printenv | grep HOSTNAME; cat /nope 2>/dev/null || echo gone")
    assert outcome.stdout == f"HOSTNAME={HOST}\ngone\n"
    assert outcome.stderr == ""


def test_script_file_copied_in_runs_through_its_shebang():
    script = "#!/bin/sh\necho \"started with $1\"\n"
    outcome = run("alpine", "/app/run.sh", "prod", files={"/app/run.sh": script})
    assert (outcome.stdout, outcome.exit_code) == ("started with prod\n", 0)


def test_with_a_tty_everything_arrives_on_stdout():
    outcome = run("alpine", "sh", "-c", "xyz", it=True)
    assert outcome.stdout == "sh: xyz: not found\n" and outcome.stderr == ""


# --- nginx ------------------------------------------------------------------------------------------------


def test_nginx_prints_its_entrypoint_then_its_notices_and_keeps_running():
    outcome = run("nginx")
    assert outcome.running
    assert lines(outcome.stdout) == [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
    ]
    assert lines(outcome.stderr) == [
        '2025/04/11 12:00:00 [notice] 1#1: using the "epoll" event method',
        "2025/04/11 12:00:00 [notice] 1#1: nginx/1.27.4",
        "2025/04/11 12:00:00 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        "2025/04/11 12:00:00 [notice] 1#1: OS: Linux 6.10.14-linuxkit",
        "2025/04/11 12:00:00 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "2025/04/11 12:00:00 [notice] 1#1: start worker processes",
        "2025/04/11 12:00:00 [notice] 1#1: start worker process 29",
        "2025/04/11 12:00:00 [notice] 1#1: start worker process 30",
    ]
    assert outcome.logs.index("ready for start up") < outcome.logs.index("[notice]")


def test_nginx_alpine_was_built_by_alpines_gcc():
    assert "built by gcc 14.2.0 (Alpine 14.2.0) \n" in run("nginx:alpine").stderr


def test_nginx_stable_reports_its_version():
    assert "[notice] 1#1: nginx/1.26.3\n" in run("nginx:stable").stderr


def test_nginx_log_stamps_follow_the_clock():
    now = datetime(2025, 5, 1, 8, 30, 0, tzinfo=timezone.utc)
    assert "2025/05/01 08:30:00 [notice] 1#1: nginx/1.27.4" in run("nginx", now=now).stderr


def test_nginx_notices_a_replaced_default_conf():
    outcome = run("nginx", files={"/etc/nginx/conf.d/default.conf": "server { listen 80; }\n"})
    assert ("10-listen-on-ipv6-by-default.sh: info: /etc/nginx/conf.d/default.conf differs from the packaged "
            "version\n") in outcome.stdout


def test_nginx_quiet_logs_silences_the_entrypoint():
    outcome = run("nginx", env={"NGINX_ENTRYPOINT_QUIET_LOGS": "1"})
    assert outcome.stdout == "" and outcome.running


def test_nginx_without_daemon_off_forks_away_and_the_container_stops():
    outcome = run("nginx", "nginx")
    assert outcome.exit_code == 0
    assert "start worker processes" not in outcome.stderr


def test_nginx_v_prints_its_version_on_stderr():
    assert run("nginx:alpine", "nginx", "-v").stderr == "nginx version: nginx/1.27.4\n"


def test_command_after_nginx_image_replaces_nginx():
    outcome = run("nginx", "echo", "hi")
    assert (outcome.stdout, outcome.exit_code) == ("hi\n", 0)


def test_unknown_command_after_nginx_image_fails_in_the_entrypoint():
    assert run("nginx", "xyz").stderr == "/docker-entrypoint.sh: 47: exec: xyz: not found\n"
    assert run("nginx:alpine", "xyz").stderr == "/docker-entrypoint.sh: exec: line 47: xyz: not found\n"
    assert run("nginx", "xyz").exit_code == 127


def test_alice_hello_web_is_nginx_serving_her_page():
    assert run("alice/hello-web").running
    assert "Hello from Alice!" in run("alice/hello-web", "cat", "/usr/share/nginx/html/index.html").stdout


# --- node -------------------------------------------------------------------------------------------------


def test_node_alone_without_it_exits_0_silently():
    assert (run("node:20-alpine").exit_code, run("node:20-alpine").output) == (0, ())


def test_node_with_it_opens_the_repl():
    outcome = run("node:20-alpine", it=True)
    assert outcome.running
    assert outcome.stdout == 'Welcome to Node.js v20.19.0.\nType ".help" for more information.\n> '


def test_node_version_and_eval():
    assert run("node:22-alpine", "node", "--version").stdout == "v22.14.0\n"
    assert run("node:20", "node", "-e", "console.log('hi', 1 + 1)").stdout == "hi 2\n"
    assert run("node:20", "node", "-p", "6 * 7").stdout == "42\n"


def test_node_entrypoint_runs_a_js_file_argument_with_node():
    files = {"/app.js": 'console.log("done");\n'}
    outcome = run("node:20-alpine", "app.js", files=files)
    assert (outcome.stdout, outcome.exit_code) == ("done\n", 0)


def test_node_server_prints_its_console_log_and_keeps_running():
    files = {"/srv/server.js": 'require("http").createServer(() => {}).listen(8080);\nconsole.log("up on 8080");\n'}
    outcome = run("node:20-alpine", "node", "/srv/server.js", files=files)
    assert outcome.running and outcome.stdout == "up on 8080\n"


def test_alice_secret_app_listens_on_3000():
    outcome = run("alice/secret-app:1.0")
    assert outcome.running and outcome.stdout == "secret-app listening on port 3000\n"


def test_npm_start_runs_the_package_script():
    outcome = run("alice/secret-app:1.0", "npm", "start")
    assert outcome.stdout == "\n> secret-app@1.0.0 start\n> node server.js\n\nsecret-app listening on port 3000\n"


def test_node_missing_script_is_module_not_found():
    outcome = run("node:20-alpine", "node", "server.js")
    assert outcome.exit_code == 1
    assert "Error: Cannot find module '/server.js'\n" in outcome.stderr
    assert outcome.stderr.endswith("Node.js v20.19.0\n")


# --- python -----------------------------------------------------------------------------------------------


def test_python_alone_without_it_exits_0():
    assert run("python:3.12-slim").exit_code == 0


def test_python_with_it_prints_the_banner_and_prompt():
    outcome = run("python:3.13-alpine", it=True)
    assert outcome.running
    assert outcome.stdout.startswith("Python 3.13.3 (main, ")
    assert "[GCC 14.2.0] on linux\n" in outcome.stdout and outcome.stdout.endswith(">>> ")


def test_python_c_prints():
    assert run("python:3.12-slim", "python", "-c", "print(1)").stdout == "1\n"
    assert run("python", "python3", "-c", "print('a', 2 ** 10)").stdout == "a 1024\n"
    assert run("python", "python", "--version").stdout == "Python 3.13.3\n"


def test_python_missing_script_shows_the_double_slash_path():
    outcome = run("python:3.12-slim", "python", "app.py")
    assert outcome.stderr == "python: can't open file '//app.py': [Errno 2] No such file or directory\n"
    assert outcome.exit_code == 2


def test_python_script_prints_and_exits():
    outcome = run("python:3.12-slim", "python", "/app/job.py", files={"/app/job.py": 'print("job done")\n'})
    assert (outcome.stdout, outcome.exit_code) == ("job done\n", 0)


def test_python_server_output_is_held_back_by_pipe_buffering():
    app = 'print("serving on 8000")\nfrom http.server import HTTPServer\nHTTPServer(("", 8000), None).serve_forever()\n'
    held = run("python:3.12-slim", "python", "/app.py", files={"/app.py": app})
    shown = run("python:3.12-slim", "python", "/app.py", files={"/app.py": app}, env={"PYTHONUNBUFFERED": "1"})
    assert held.running and held.stdout == ""
    assert shown.running and shown.stdout == "serving on 8000\n"


def test_python_http_server_module_keeps_running():
    assert run("python:3.12-slim", "python", "-m", "http.server").running
    assert run("python:3.12-slim", "python", "-u", "-m", "http.server", "9000").stdout == (
        "Serving HTTP on 0.0.0.0 port 9000 (http://0.0.0.0:9000/) ...\n"
    )


# --- redis and registry -----------------------------------------------------------------------------------


def test_redis_prints_its_startup_lines_and_keeps_running():
    outcome = run("redis")
    assert outcome.running
    assert lines(outcome.stdout) == [
        "1:C 11 Apr 2025 12:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
        "1:C 11 Apr 2025 12:00:00.000 * Redis version=7.4.2, bits=64, commit=00000000, modified=0, pid=1, just started",
        "1:C 11 Apr 2025 12:00:00.000 # Warning: no config file specified, using the default config. In order to "
        "specify a config file use redis-server /path/to/redis.conf",
        "1:M 11 Apr 2025 12:00:00.000 * monotonic clock: POSIX clock_gettime",
        "1:M 11 Apr 2025 12:00:00.000 * Running mode=standalone, port=6379.",
        "1:M 11 Apr 2025 12:00:00.000 * Server initialized",
        "1:M 11 Apr 2025 12:00:00.000 * Ready to accept connections tcp",
    ]


def test_redis_entrypoint_passes_flags_to_redis_server():
    assert "Running mode=standalone, port=7000." in run("redis:alpine", "--port", "7000").stdout


def test_registry_3_logs_listening_on_5000_to_stderr():
    outcome = run("registry")
    assert outcome.running and outcome.stdout == ""
    last = lines(outcome.stderr)[-1]
    assert last.startswith('time="2025-04-11T12:00:00Z" level=info msg="listening on [::]:5000" ')
    assert "version=3.0.0" in last and "environment=development" in last


def test_registry_2_logs_its_own_version():
    assert 'msg="listening on [::]:5000"' in run("registry:2").stderr
    assert "version=2.8.3" in run("registry:2").stderr


def test_registry_http_addr_moves_the_listener():
    assert 'msg="listening on [::]:5001"' in run("registry", env={"REGISTRY_HTTP_ADDR": ":5001"}).stderr


# --- the outcome value -------------------------------------------------------------------------------------


def test_logs_keep_both_streams_in_the_order_written():
    outcome = run("alpine", "sh", "-c", "echo one; xyz; echo two")
    assert outcome.logs == "one\nsh: xyz: not found\ntwo\n"
    assert [stream for stream, _ in outcome.output] == ["stdout", "stderr", "stdout"]


def test_same_inputs_give_the_same_outcome():
    assert run("registry") == run("registry")


def test_empty_argv_is_refused():
    with pytest.raises(ValueError, match="no command specified"):
        simulate([], env={}, workdir="/", files={}, interactive=False, tty=False, image_hint="library/alpine")
