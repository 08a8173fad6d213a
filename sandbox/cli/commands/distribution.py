"""``docker login``, ``logout``, ``push`` and ``pull``: the client side of sharing images.

As in the real client, credentials live in the host's ``~/.docker/config.json``: ``login`` verifies them with the
registry (through the daemon) and writes them there, base64-encoded, not encrypted; ``push`` and ``pull`` read them
from there and send them along; ``logout`` deletes the entry.
"""

from __future__ import annotations

from sandbox.cli.docker import Invocation
from sandbox.cli.output import Output
from sandbox.cli.platform import InvalidPlatform, parse_platform
from sandbox.cli.render import final_screen
from sandbox.engine.distribution import Credentials
from sandbox.content import format_platform
from sandbox.errors import InvalidArgument, SandboxError, UsageError
from sandbox.oci import Reference, familiar_string, parse_normalized_named, with_default_tag
from sandbox.cli.config import HUB_AUTH_KEY, config_path, registry_key

HUB_LOGIN_URL = "https://index.docker.io/v1/"


def credentials_for(machine, domain: str) -> Credentials:
    """What the client sends to a registry: the config.json entry for its address, if any."""
    found = machine.credentials().get(registry_key(domain))
    if found is None:
        return Credentials()
    return Credentials(*found)


def _server_address(argument: str | None) -> str:
    """Where ``docker login SERVER`` goes: Docker Hub by default, else the server as typed (scheme dropped)."""
    if not argument:
        return "docker.io"
    return argument.removeprefix("https://").removeprefix("http://").rstrip("/")


def _readline(out: Output) -> str | None:
    """Take one line of the answer stream given to the command (what a learner would type at a prompt)."""
    if out.stdin is None or out.stdin == "":
        return None
    line, _, rest = out.stdin.partition("\n")
    out.stdin = rest
    return line.rstrip("\r")


def login(machine, inv: Invocation, out: Output) -> int:
    """``docker login [OPTIONS] [SERVER]``."""
    server = _server_address(inv.args[0] if inv.args else None)
    username = inv.options.get("username") or None
    password = inv.options.get("password") or None
    # docker 28.2.2's verifyLoginFlags, in its order and words
    if inv.options.get("password-stdin"):
        if inv.flag_was_set("password"):
            raise UsageError("conflicting options: cannot specify both --password and --password-stdin")
        if not inv.flag_was_set("username"):
            raise UsageError("the --password-stdin option requires --username to be set")
    if inv.flag_was_set("username") and not username:
        raise UsageError("username is empty")
    if inv.flag_was_set("password") and not password:
        raise UsageError("password is empty")
    if inv.options.get("password-stdin"):
        password = (out.stdin or "").rstrip("\n").rstrip("\r")
        out.stdin = ""
        if not password.strip():  # the client falls back to prompting, which it cannot do without a terminal
            raise UsageError("Error: Cannot perform an interactive login from a non TTY device")
    elif password:
        out.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
    if username is None and password is None:
        stored = machine.credentials().get(registry_key(server))
        if stored is not None:
            machine.engine.system_auth(server, *stored)
            out.err(f"Authenticating with existing credentials... [Username: {stored[0]}]\n\n"
                    + _note("To login with a different account, run 'docker logout' followed by 'docker login'")
                    + "\n\n")
            _login_succeeded(machine, out, stored_before=True)
            return 0
    # PromptUserForCredentials trims both, and asks for whichever is left blank.
    username = (username or "").strip() or None
    password = (password or "").strip() or None
    if username is None:
        if out.stdin is None:
            raise UsageError("Error: Cannot perform an interactive login from a non TTY device")
        if server == "docker.io":
            out.print(
                "Log in with your Docker ID or email address to push and pull images from Docker Hub. "
                "If you don't have a Docker ID, head over to https://hub.docker.com/ to create one.\n"
                "You can log in with your password or a Personal Access Token (PAT). Using a limited-scope PAT "
                "grants better security and is required for organizations using SSO. Learn more at "
                "https://docs.docker.com/go/access-tokens/\n\n"
            )
        out.print("Username: ")
        username = _readline(out) or ""
        out.print(username + "\n")
        if not username:
            raise UsageError("Error: Non-null Username Required")
    if password is None:
        if server == "docker.io":
            out.err("\n" + _note("A Personal Access Token (PAT) can be used instead.",
                                 "To create a PAT, visit https://app.docker.com/settings", "", ""))
        out.print("Password: ")
        answer = _readline(out)
        if answer is None:
            out.print("\n")
            raise UsageError("Error: Password Required")
        password = answer
        out.print("\n")
    machine.engine.system_auth(server, username, password)
    changed = machine.credentials().get(registry_key(server)) != (username, password)
    machine.store_credentials(registry_key(server), username, password)
    _login_succeeded(machine, out, stored_before=not changed)
    return 0


def _note(*lines: str) -> str:
    """The client's ``Info ->`` note as it prints on a non-terminal stderr: continuation lines indented 9 columns."""
    head, *rest = lines
    return " Info -> " + head + "\n" + "".join(" " * 9 + line + "\n" for line in rest)


def _login_succeeded(machine, out: Output, stored_before: bool = False) -> None:
    if not stored_before:  # the client warns only when it actually wrote the file
        out.err(
            f"\nWARNING! Your credentials are stored unencrypted in '{config_path(machine.home)}'.\n"
            "Configure a credential helper to remove this warning. See\n"
            "https://docs.docker.com/go/credential-store/\n\n"
        )
    out.print("Login Succeeded\n")


def logout(machine, inv: Invocation, out: Output) -> int:
    """``docker logout [SERVER]``.

    Without a server it erases the Docker Hub entry. With one, docker 28.2.2 erases only the entries filed under
    that name and its hostname (with and without a scheme), so ``docker logout docker.io`` leaves a Hub login,
    which is filed under the index URL, in place. It always says it removed them and exits 0.
    """
    if not inv.args or not inv.args[0]:  # an empty SERVER is no server, as in the client
        keys, shown = [HUB_AUTH_KEY], HUB_LOGIN_URL
    else:
        server = inv.args[0]
        shown = server.removeprefix("https://").removeprefix("http://").split("/", 1)[0]
        keys = [server, shown, f"http://{shown}", f"https://{shown}"]
    out.print(f"Removing login credentials for {shown}\n")
    stored = machine.credentials()
    for key in keys:
        if key in stored:
            machine.store_credentials(key, None, None)
            machine.engine.record("logout", shown, f"{machine.name} logged out of {shown}: its config.json entry is gone")
    return 0


def _target(inv: Invocation, out: Output) -> tuple[Reference, bool]:
    """The reference push and pull act on, and whether ``-a`` asked for every tag; says when ``latest`` is assumed."""
    ref = parse_normalized_named(inv.args[0])
    if ref.digest and inv.command == "image push":
        raise UsageError("cannot push a digest reference")
    all_tags = bool(inv.options.get("all-tags"))
    if all_tags and (ref.tag or ref.digest):
        raise UsageError("tag can't be used with --all-tags/-a")
    if not all_tags and not ref.tag and not ref.digest:
        if not inv.options.get("quiet"):
            out.print("Using default tag: latest\n")
        ref = with_default_tag(ref)
    return ref, all_tags


def push(machine, inv: Invocation, out: Output) -> int:
    """``docker push [OPTIONS] NAME[:TAG]``."""
    if inv.options.get("platform"):
        try:
            parse_platform(inv.options["platform"])
        except InvalidPlatform:
            out.err(f"Invalid platform {inv.options['platform']}")  # the client's own line, without a newline
            raise
    ref, all_tags = _target(inv, out)
    stream = machine.engine.image_push(ref, credentials_for(machine, ref.domain), all_tags=all_tags)
    out.progress.append(stream)
    if not inv.options.get("quiet"):
        out.print(final_screen(stream.messages))
    if stream.error is not None:
        return _stream_error(stream.error, out)
    if inv.options.get("quiet"):  # runPush: the progress goes to io.Discard, then the reference on success
        out.print(str(ref) + "\n")
    return 0


def _stream_error(error: SandboxError, out: Output) -> int:
    out.err(error.message + "\n")
    return 1


def pull(machine, inv: Invocation, out: Output) -> int:
    """``docker pull [OPTIONS] NAME[:TAG|@DIGEST]``; ``--platform`` picks another platform's image from an index."""
    ref, all_tags = _target(inv, out)
    platform = daemon_platform(inv.options.get("platform"))
    stream = pull_into(machine, ref, out, all_tags=all_tags, quiet=bool(inv.options.get("quiet")), platform=platform)
    out.print(str(ref) + "\n")  # the client ends with the full reference (just the name after -a)
    return 0 if stream.error is None else 1


def daemon_platform(specifier: str | None) -> str | None:
    """``--platform`` as dockerd reads it for a pull (the client sends it unparsed): containerd's normalized
    ``os/architecture[/variant]``. Raises `InvalidArgument` in dockerd's words for one ``platforms.Parse`` refuses."""
    if not specifier:
        return None
    try:
        found = parse_platform(specifier)
    except InvalidPlatform as error:
        raise InvalidArgument(error.message) from None
    return format_platform(found.os, found.architecture, found.variant)


def pull_into(machine, ref: Reference, out: Output, *, all_tags: bool = False, quiet: bool = False,
              platform: str | None = None):
    """Pull through the daemon and print the progress screen (shared with ``docker run``'s implicit pull)."""
    stream = machine.engine.image_pull(ref, credentials_for(machine, ref.domain), all_tags=all_tags,
                                       platform=platform)
    out.progress.append(stream)
    if not quiet:
        out.print(final_screen(stream.messages))
    return stream


def familiar(ref: Reference) -> str:
    """A reference as Docker shows it to people."""
    return familiar_string(ref)
