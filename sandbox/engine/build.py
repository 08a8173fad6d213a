"""``docker build`` as BuildKit does it: resolve the base image, run each step, reuse the cache for identical steps.

Every filesystem-changing step (RUN, COPY, ADD) makes one layer whose digests follow from the parent layers, the
instruction and the bytes it copies, so an unchanged step gives the same layer (``CACHED``) and an unchanged build
gives the same image ID. Metadata steps (ENV, CMD, EXPOSE...) change only the config. RUN commands run in the
stage's filesystem through the process model (`sandbox.engine.process.run_step`, the same shell and programs as
containers): the files they write are the step's layer and its size, and a non-zero exit fails the build in
BuildKit's words. The cache key is known before a step runs, so an identical step is reused without running.
"""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sandbox.content import HistoryEntry, Image, Layer, RunConfig
from sandbox.engine.dockerfile import Instruction, key_values, parse, substitute
from sandbox.engine.users import USER_DIRECTORIES, exec_user, owned_directories
from sandbox.errors import BuildError, DaemonError, InvalidReference, NoMatchingManifest, NotSimulated, UnknownUser
from sandbox.oci import familiar_name, familiar_string, parse_normalized_named, with_default_tag
from sandbox.suggest import closest

#: The largest build context and Dockerfile we accept, to keep every build cheap.
MAX_CONTEXT_BYTES = 8 * 1024 * 1024
MAX_INSTRUCTIONS = 200


@dataclass
class Step:
    """One line of BuildKit's progress: a vertex, whether it was cached or failed, its time, its sub-lines."""

    name: str
    seconds: float = 0.0
    cached: bool = False
    error: bool = False
    details: list[tuple[str, float]] = field(default_factory=list)
    #: what a RUN step printed, shown under the step when it fails (BuildKit prefixes each line with its time)
    logs: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build did: its steps, the image it made (or the error that stopped it), and the Dockerfile text."""

    steps: list[Step]
    image: Image | None = None
    error: BuildError | None = None
    dockerfile: str = ""
    error_line: int | None = None
    error_end_line: int | None = None


@dataclass
class _Stage:
    name: str
    image: Image
    base_layers: int
    variables: dict[str, str]
    files: dict[str, bytes]


def build(engine, context: dict[str, bytes], dockerfile_name: str, dockerfile: str | None, tags: list[str],
          build_args: dict[str, str], no_cache: bool = False, pull: bool = False, target: str = "",
          labels: Mapping[str, str] | None = None) -> BuildReport:
    """Build an image from ``context`` (paths relative to the context root -> bytes): the stage ``target`` (the last
    stage when empty) and the stages before it, with ``labels`` (``--label``) set on the image's config.

    Raises `NotSimulated` before anything changes for a ``COPY --from`` of a later stage (BuildKit orders stages by
    their dependencies; the sandbox builds them top to bottom)."""
    report = BuildReport([], dockerfile=dockerfile or "")
    clock = engine.services.clock
    load = Step("[internal] load build definition from " + posixpath.basename(dockerfile_name))
    report.steps.append(load)
    if dockerfile is None:
        load.details.append(("transferring dockerfile: 2B", 0.0))
        report.error = BuildError(
            f"failed to solve: failed to read dockerfile: open {dockerfile_name}: no such file or directory"
        )
        return report
    load.details.append((f"transferring dockerfile: {len(dockerfile.encode())}B", 0.0))
    try:
        instructions = parse(dockerfile)
        if len(instructions) > MAX_INSTRUCTIONS:
            raise BuildError(f"the sandbox builds Dockerfiles of at most {MAX_INSTRUCTIONS} instructions")
        for tag in tags:
            try:
                parse_normalized_named(tag)
            except InvalidReference as error:
                raise BuildError(f"failed to solve: invalid tag \"{tag}\": {error}") from None
        size = sum(len(data) for data in context.values())
        if size > MAX_CONTEXT_BYTES:
            raise BuildError(f"build context is {size} bytes; the sandbox accepts at most {MAX_CONTEXT_BYTES}")
        last_stage = _plan(instructions, target)
    except BuildError as error:
        report.error = _solve(error)
        report.error_line = getattr(error, "line", None)
        return report
    ignore = _dockerignore(context)
    context = {path: data for path, data in context.items() if not _ignored(path, ignore)}
    steps = _up_to_stage(instructions, last_stage)
    stages: dict[str, _Stage] = {}
    stage: _Stage | None = None
    total_steps = sum(1 for ins in steps if ins.keyword in ("FROM", "RUN", "COPY", "ADD", "WORKDIR"))
    number = 0
    context_loaded = False
    try:
        for instruction, variables in _with_variables(steps, build_args):
            keyword = instruction.keyword
            if keyword == "FROM":
                number += 1
                stage = _from(engine, instruction, variables, stages, report, number, total_steps, pull)
                stages[str(len(stages))] = stage
                continue
            if stage is None or keyword == "ARG":
                continue
            if keyword in ("COPY", "ADD") and not context_loaded and not instruction.flag("from"):
                total = sum(len(data) for data in context.values())
                report.steps.append(Step("[internal] load build context",
                                         details=[(f"transferring context: {total}B", 0.0)]))
                context_loaded = True
            if keyword in ("RUN", "COPY", "ADD", "WORKDIR"):
                number += 1
            _apply(engine, stage, instruction, variables, context, stages, report, number, total_steps, no_cache)
    except BuildError as error:
        report.error = _solve(error)
        report.error_line = getattr(error, "line", None)
        report.error_end_line = getattr(error, "end_line", None)
        return report
    assert stage is not None
    image = replace(stage.image, extra={**stage.image.extra, "built": "1"})
    if labels:  # dockerfile2llb sets --label on the target's config, over its LABEL lines, with no history entry
        merged = {**dict(image.run.labels), **labels}
        image = replace(image, run=replace(image.run, labels=tuple(sorted(merged.items()))), recorded_id="",
                        recorded_manifest_digest="")
    clock.advance(1)
    report.image = image
    export = Step("exporting to image", seconds=0.1)
    export.details.append(("exporting layers", 0.0))
    export.details.append((f"writing image {image.id}", 0.0))
    for tag in tags:
        export.details.append((f"naming to {parse_normalized_named(tag)}", 0.0))
    report.steps.append(export)
    return report


def _plan(instructions: list[Instruction], target: str) -> int:
    """Check the stages as dockerfile2llb does before it builds anything, in its order: the ``--target`` (with
    BuildKit's "did you mean"), each ``COPY --from`` as a stage index or name, then circular dependencies
    (``validateCircularDependency``). Returns the index of the last stage to build.

    Raises `BuildError` in BuildKit's words, or `NotSimulated` for a ``COPY --from`` of a later stage."""
    names: list[str] = []  # BuildKit's stageName: the lower-cased AS name, or stage-N
    explicit: dict[str, int] = {}  # what findStateByName finds: AS names only
    copies: list[list[tuple[str, Instruction]]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = instruction.text.split()
            if len(words) == 3 and words[1].lower() == "as":
                explicit[words[2].lower()] = len(names)
                names.append(words[2].lower())
            else:
                names.append(f"stage-{len(names)}")
            copies.append([])
        elif instruction.keyword == "COPY" and copies and instruction.flag("from") is not None:
            copies[-1].append((instruction.flag("from") or "", instruction))
    last = len(names) - 1
    if target:
        if target.lower() not in explicit:
            message = f'target stage "{target}" could not be found'
            hint = closest(target, names)
            raise BuildError(message + (f" (did you mean {hint}?)" if hint and hint != target else ""))
        last = explicit[target.lower()]
    deps: list[dict[int, Instruction]] = [{} for _ in names]
    for index, found in enumerate(copies):
        for source, instruction in found:
            if "$" in source:
                continue
            number = _go_atoi(source)
            if number is not None:
                if not 0 <= number < len(names):
                    raise BuildError(f"invalid stage index {number}")
                deps[index].setdefault(number, instruction)
            elif source.lower() in explicit:
                deps[index].setdefault(explicit[source.lower()], instruction)
    _check_cycles(names, deps)
    for index in range(last + 1):
        for dep, instruction in deps[index].items():
            if dep > index:
                raise NotSimulated(f"'COPY --from={instruction.flag('from')}' of a later stage",
                                   "BuildKit builds stages in the order they depend on each other; this sandbox "
                                   "builds them top to bottom")
    return last


def _check_cycles(names: list[str], deps: list[dict[int, Instruction]]) -> None:
    """dockerfile2llb validateCircularDependency: a depth-first walk over ``COPY --from`` from each stage in order;
    the first that reaches a stage already on its path names the error, at the COPY that closes the cycle."""
    visited: set[int] = set()
    path: set[int] = set()

    def visit(state: int, current: list[Instruction]) -> list[Instruction] | None:
        if state in visited:
            return None
        visited.add(state)
        path.add(state)
        for dep, instruction in deps[state].items():
            walked = current + [instruction]
            if dep in path:
                return walked
            found = visit(dep, walked)
            if found is not None:
                return found
        path.discard(state)
        return None

    for state in range(len(names)):
        cycle = visit(state, [])
        if cycle is not None:
            raise _at(BuildError(f"circular dependency detected on stage: {names[state]}"), cycle[0])


def _go_atoi(text: str) -> int | None:
    """strconv.Atoi: an optional sign and ASCII digits, else None."""
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits and digits.isascii() and digits.isdigit() else None


def _up_to_stage(instructions: list[Instruction], last: int) -> list[Instruction]:
    """The instructions of stages 0..``last`` (and the global ARGs before the first FROM)."""
    kept, stage = [], -1
    for instruction in instructions:
        if instruction.keyword == "FROM":
            stage += 1
        if stage > last:
            break
        kept.append(instruction)
    return kept


def _solve(error: BuildError) -> BuildError:
    if error.message.startswith("failed to solve") or error.message.startswith("the sandbox"):
        return error
    wrapped = BuildError("failed to solve: " + error.message)
    for attribute in ("line", "end_line"):
        if hasattr(error, attribute):
            setattr(wrapped, attribute, getattr(error, attribute))
    return wrapped


def _with_variables(instructions: list[Instruction], build_args: dict[str, str]):
    """Yield each instruction with the variables in scope (ARG before FROM, then ARG/ENV in the stage)."""
    global_args: dict[str, str] = {}
    scope: dict[str, str] = {}
    in_stage = False
    for instruction in instructions:
        if instruction.keyword == "ARG":
            # An ARG before the first FROM is global and usable only in FROM lines; inside a stage an ARG must be
            # declared again, and a bare ``ARG NAME`` takes the global default.
            target = scope if in_stage else global_args
            for word in instruction.text.split():
                name, has_default, value = word.partition("=")
                default = substitute(value, scope if in_stage else global_args) if has_default else \
                    global_args.get(name, "")
                target[name] = build_args.get(name, default)
            yield instruction, dict(scope if in_stage else global_args)
            continue
        if instruction.keyword == "FROM":
            in_stage, scope = True, {}
            yield instruction, dict(global_args)
            continue
        yield instruction, dict(scope)
        if instruction.keyword == "ENV":
            for name, value in key_values(instruction.text):
                scope[name] = substitute(value, scope)


def _from(engine, instruction: Instruction, variables: dict[str, str], stages: dict[str, _Stage],
          report: BuildReport, number: int, total: int, pull: bool) -> _Stage:
    words = substitute(instruction.text, variables).split()
    if not words:
        raise _at(BuildError("FROM requires either one or three arguments"), instruction)
    base_name = words[0]
    alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None  # BuildKit lower-cases it
    named = {stage.name: stage for stage in stages.values()}
    if base_name in named:  # addState matches FROM's name as written against the lower-cased stage names
        parent = named[base_name]
        report.steps.append(Step(f"[{alias or 'stage-' + str(len(stages))} {number}/{total}] FROM {base_name}"))
        return _Stage(alias or str(len(stages)), parent.image, len(parent.image.layers), {}, dict(parent.files))
    if base_name == "scratch":
        empty = Image(created=engine.now(), run=RunConfig(env=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",)),
                      layers=(), history=())
        return _Stage(alias or str(len(stages)), empty, 0, {}, {})
    try:
        ref = with_default_tag(parse_normalized_named(base_name))
    except InvalidReference as error:
        raise _at(BuildError(f"failed to parse stage name \"{base_name}\": {error}"), instruction) from None
    metadata = Step(f"[internal] load metadata for {ref}", seconds=0.0)
    report.steps.append(metadata)
    image = None
    if not pull:
        try:
            image = engine.image(str(ref))
        except DaemonError:
            image = None
    if image is None:
        image, digest = _resolve_remote(engine, ref, metadata, instruction)
    else:
        digest = _local_digest(engine, ref, image)
    _load_dockerignore(report)
    label = f"[{number}/{total}] FROM {ref}@{digest}" if alias is None else \
        f"[{alias} {number}/{total}] FROM {ref}@{digest}"
    step = Step(label, seconds=0.0)
    step.details.append((f"resolve {ref}@{digest}", 0.0))
    report.steps.append(step)
    return _Stage(alias or str(len(stages)), image, len(image.layers), {}, image.files())


def _load_dockerignore(report: BuildReport) -> None:
    """BuildKit reads .dockerignore beside the first base image's metadata; it shows once."""
    if not any(step.name == "[internal] load .dockerignore" for step in report.steps):
        report.steps.append(Step("[internal] load .dockerignore", details=[("transferring context: 2B", 0.0)]))


def _local_digest(engine, ref, image: Image) -> str:
    """The digest BuildKit names a local base image by: the one it was pulled by (an index's), else its manifest's."""
    prefix = f"{ref.domain}/{ref.path}@"
    pulled = [key.removeprefix(prefix) for key in engine.images.digests_of(image.id) if key.startswith(prefix)]
    return pulled[0] if pulled else image.manifest.digest


def _resolve_remote(engine, ref, metadata: Step, instruction: Instruction) -> tuple[Image, str]:
    """Fetch the base image's manifest (this machine's platform's, from an index) and layers from its registry, as
    BuildKit does (not tagged locally); returns the image and the digest the tag resolved to."""
    from sandbox.engine.distribution import Credentials, select_platform

    creds = engine.build_credentials.get(ref.domain, Credentials()) if hasattr(engine, "build_credentials") else Credentials()
    try:
        registry = engine.services.registry(ref.domain, engine.host)
        user = creds.username
        image, digest = select_platform(
            registry.fetch(user, ref.path, ref.tag or "latest", familiar_name(ref), familiar_string(ref)),
            engine.platform)
    except NoMatchingManifest:
        metadata.error = True  # containerd's images.Manifest, as BuildKit's resolver reports it
        raise _at(BuildError(f"failed to solve: {familiar_string(ref)}: failed to resolve source metadata for {ref}: "
                             "no match for platform in manifest: not found"), instruction) from None
    except DaemonError:
        metadata.error = True
        error = BuildError(
            f"failed to solve: {familiar_string(ref).rsplit(':', 1)[0] if ':' in familiar_string(ref) else familiar_string(ref)}"
            f": failed to resolve source metadata for {ref}: pull access denied, repository does not exist or may "
            "require authorization: server message: insufficient_scope: authorization failed"
        )
        if ref.tag and registry_has_repo(engine, ref):
            error = BuildError(f"failed to solve: {familiar_string(ref)}: failed to resolve source metadata for "
                               f"{ref}: {ref}: not found")
        raise _at(error, instruction) from None
    metadata.seconds = 1.2
    engine.services.clock.advance(1.2)
    local = {layer.digest for img in engine.images.images.values() for layer in img.layers}
    for layer in image.layers:
        engine.images.note_source(layer.digest, registry.address, ref.path)
        if layer.digest not in engine.build_content and layer.digest not in local:
            registry.bytes_sent += layer.compressed_size  # BuildKit keeps what it fetched: later builds reuse it
        engine.build_content.add(layer.digest)
    return image, digest


def registry_has_repo(engine, ref) -> bool:
    """Whether the base image's repository exists and is readable (then only the tag is missing)."""
    try:
        registry = engine.services.registry(ref.domain, engine.host)
    except DaemonError:
        return False
    return registry.can_read(None, ref.path)


def _at(error: BuildError, instruction: Instruction) -> BuildError:
    error.line = instruction.line
    error.end_line = instruction.end_line
    return error


def _apply(engine, stage: _Stage, instruction: Instruction, variables: dict[str, str], context: dict[str, bytes],
           stages: dict[str, _Stage], report: BuildReport, number: int, total: int, no_cache: bool) -> None:
    keyword = instruction.keyword
    text = substitute(instruction.text, variables) if keyword not in ("RUN", "CMD", "ENTRYPOINT") else instruction.text
    image = stage.image
    run = image.run
    now = engine.now()
    if keyword in ("WORKDIR", "RUN", "COPY", "ADD"):
        _layer_step(engine, stage, instruction, text, variables, context, stages, report, number, total, no_cache)
        return
    # Metadata steps are cached like the others, so an unchanged Dockerfile rebuilds to the same image ID.
    key = hashlib.sha256(repr((image.id, keyword, instruction.text, sorted(variables.items()))).encode()).hexdigest()
    if not no_cache and key in engine.build_cache:
        stage.image = engine.build_cache[key]
        return
    if keyword == "ENV":
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in run.env)
        for name, value in key_values(instruction.text):
            env[name] = substitute(value, {**variables, **env})
        run = replace(run, env=tuple(f"{k}={v}" for k, v in env.items()))
        _metadata(stage, run, f"ENV {text}", now)
    elif keyword == "CMD":
        run = replace(run, cmd=_command(instruction))
        _metadata(stage, run, f"CMD {_shown(instruction)}", now)
    elif keyword == "ENTRYPOINT":
        run = replace(run, entrypoint=_command(instruction), cmd=None)
        _metadata(stage, run, f"ENTRYPOINT {_shown(instruction)}", now)
    elif keyword == "EXPOSE":
        ports = list(run.exposed_ports)
        for port in text.split():
            ports.append(port if "/" in port else f"{port}/tcp")
        run = replace(run, exposed_ports=tuple(sorted(set(ports))))
        _metadata(stage, run, f"EXPOSE map[{' '.join(p + ':{}' for p in sorted(set(ports)))}]", now)
    elif keyword == "LABEL":
        labels = dict(run.labels)
        labels.update(key_values(text))
        run = replace(run, labels=tuple(sorted(labels.items())))
        _metadata(stage, run, f"LABEL {text}", now)
    elif keyword == "USER":
        run = replace(run, user=text)
        _metadata(stage, run, f"USER {text}", now)
    elif keyword == "STOPSIGNAL":
        run = replace(run, stop_signal=text)
        _metadata(stage, run, f"STOPSIGNAL {text}", now)
    engine.build_cache[key] = stage.image
    # MAINTAINER, VOLUME, ONBUILD, HEALTHCHECK, SHELL: accepted, no effect the lessons depend on.


def _command(instruction: Instruction) -> tuple[str, ...]:
    exec_form = instruction.json_args()
    if exec_form is not None:
        return tuple(exec_form)
    return ("/bin/sh", "-c", instruction.text)


def _shown(instruction: Instruction) -> str:
    exec_form = instruction.json_args()
    if exec_form is not None:
        return "[" + " ".join(f'"{word}"' for word in exec_form) + "]"
    return f'["/bin/sh" "-c" "{instruction.text}"]'


def _metadata(stage: _Stage, run: RunConfig, created_by: str, now: str) -> None:
    history = stage.image.history + (HistoryEntry(now, created_by, empty_layer=True, comment="buildkit.dockerfile.v0"),)
    stage.image = replace(stage.image, run=run, history=history, created=now, recorded_id="",
                          recorded_manifest_digest="")  # a new config: its own ID, not the base's recorded one


def _layer_step(engine, stage: _Stage, instruction: Instruction, text: str, variables, context, stages, report,
                number: int, total: int, no_cache: bool) -> None:
    label = f"[{number}/{total}] {instruction.keyword} {' '.join(f'--{k}={v}' for k, v in instruction.flags)}"
    label = (label.rstrip() + " " + text).replace("  ", " ")
    if not stage.name.isdigit():
        label = f"[{stage.name} {number}/{total}] {instruction.keyword} {text}"
    step = Step(label, seconds=0.1)
    report.steps.append(step)
    try:
        _layer_change(engine, stage, instruction, text, stages, context, no_cache, step)
    except BuildError:
        step.error = True
        step.seconds = 0.0
        raise


def _layer_change(engine, stage: _Stage, instruction: Instruction, text: str, stages, context, no_cache: bool,
                  step: Step) -> None:
    keyword = instruction.keyword
    image = stage.image
    files: dict[str, bytes] = {}
    created_by = f"{keyword} {text} # buildkit"
    if keyword == "WORKDIR":
        workdir = posixpath.normpath(posixpath.join(image.run.working_dir or "/", text))
        # BuildKit makes it as the USER: another user is another step (a key only then keeps root's IDs stable)
        recipe = {"workdir": workdir, **({"user": image.run.user} if image.run.user else {})}
        size = 0
        created_by = f"WORKDIR {workdir}"
    elif keyword == "RUN":
        command = _command(instruction)
        recipe = {"run": list(command), "env": list(image.run.env), "workdir": image.run.working_dir,
                  **({"user": image.run.user} if image.run.user else {})}
        size = 0
        created_by = f"RUN {' '.join(command)} # buildkit" if instruction.json_args() is None else f"RUN {text} # buildkit"
    else:
        source_files = context
        from_stage = instruction.flag("from")
        if from_stage is not None:
            source_files = _copy_source(engine, stage, stages, from_stage, instruction)
        files = _copy(source_files, text, image.run.working_dir or "/", instruction, from_stage is not None)
        recipe = {"copy": text, "files": {p: hashlib.sha256(d).hexdigest() for p, d in sorted(files.items())}}
        size = sum(len(data) for data in files.values())
    chain = [layer.diff_id for layer in image.layers]
    key = hashlib.sha256(repr((chain, recipe)).encode()).hexdigest()
    cached = engine.build_cache.get(key) if not no_cache else None
    if cached is not None:
        step.cached = True
        step.seconds = 0.0
        stage.image = cached
        files = dict(cached.layers[-1].files) if cached.layers else {}  # what the cached step wrote (--from)
    else:
        if keyword == "RUN":
            files, size = _run(engine, stage, instruction, command, step)
            step.seconds = round(0.5 + (size % 7_000_000) / 1_000_000, 1)
        engine.services.clock.advance(step.seconds)
        now = engine.now()
        run = image.run
        extra = image.extra
        if keyword == "WORKDIR":
            run = replace(run, working_dir=recipe["workdir"])
            extra = _workdir_owner(image, recipe["workdir"])
        layer = Layer.derive({"parent": chain, **recipe}, size, int(size * 0.4) + 32, files=tuple(sorted(files.items())))
        history = image.history + (HistoryEntry(now, created_by, comment="buildkit.dockerfile.v0"),)
        stage.image = replace(image, run=run, layers=image.layers + (layer,), history=history, created=now,
                              recorded_id="", recorded_manifest_digest="", extra=extra)
        engine.build_cache[key] = stage.image
    stage.files.update(files)


def _workdir_owner(image: Image, workdir: str) -> Mapping[str, str]:
    """The image's record of directories a non-root user owns, with those WORKDIR creates under a ``USER``:
    BuildKit makes a missing working directory as the stage's user (dockerfile2llb dispatchWorkdir)."""
    try:
        uid = exec_user(image.run.user, image.files()).uid
    except UnknownUser:
        return image.extra
    if uid == 0:
        return image.extra
    files = image.files()
    made, path = [], workdir
    while path != "/" and not any(name.startswith(path + "/") for name in files) and path not in _ROOT_DIRECTORIES:
        made.append(f"{uid}:{path}")
        path = posixpath.dirname(path)
    owned = [line for line in image.extra.get(USER_DIRECTORIES, "").split("\n") if line]
    return {**image.extra, USER_DIRECTORIES: "\n".join(dict.fromkeys(owned + made))}


#: Directories every Linux image has, so WORKDIR never makes them.
_ROOT_DIRECTORIES = frozenset({"/bin", "/etc", "/home", "/lib", "/opt", "/root", "/srv", "/tmp", "/usr", "/usr/local",
                               "/usr/src", "/var", "/mnt", "/media", "/run", "/sbin"})


def _run(engine, stage: _Stage, instruction: Instruction, command: tuple[str, ...], step: Step):
    """Run a RUN command in the stage's filesystem; the files it wrote and the layer's size. Raises `BuildError`
    with BuildKit's words when the process fails (its output goes under the step, as BuildKit shows it)."""
    from sandbox.engine.process import run_step

    image = stage.image
    env = dict(item.split("=", 1) for item in image.run.env if "=" in item)
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    env.setdefault("HOSTNAME", "buildkitsandbox")
    files = image.files()
    try:  # the stage's USER runs the step, resolved in the stage's own files as for a container
        user = exec_user(image.run.user, files)
    except UnknownUser:
        raise NotSimulated(f"'RUN' as USER {image.run.user!r}", "a user the stage's /etc/passwd or /etc/group lacks: "
                           "BuildKit's words for it are not modelled") from None
    outcome, files, size = run_step(command, env=env, workdir=image.run.working_dir or "/", files=files,
                                    image_hint="", now=engine.services.clock.now, user=user,
                                    owned=owned_directories(image.extra, user.uid))
    lines = outcome.logs.splitlines()
    step.logs = [f"{0.1 + index * 0.001:.3f} {line}" for index, line in enumerate(lines)]
    if outcome.start_error or outcome.exit_code != 0:
        code = outcome.exit_code if outcome.exit_code is not None else 124
        shown = "[" + " ".join(f'"{w}"' for w in command) + "]" if instruction.json_args() else \
            f"/bin/sh -c {command[-1]}"
        error = BuildError(f'failed to solve: process "{shown}" did not complete successfully: exit code: {code}')
        raise _at(error, instruction)
    return files, size


def _session_ref(seed: str) -> str:
    """A buildx-style ``<session uuid>::<id>`` reference, derived (not random) so output stays deterministic."""
    h = hashlib.sha256(seed.encode()).hexdigest()
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    tail = "".join(alphabet[int(h[i:i + 2], 16) % 36] for i in range(0, 50, 2))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}::{tail}"


def _copy_source(engine, current: _Stage, stages: dict[str, _Stage], name: str, instruction: Instruction,
                 ) -> dict[str, bytes]:
    """The files ``COPY --from=NAME`` reads, as BuildKit's dockerfile2llb finds them (``toCommand``): a number is a
    stage index, a stage name a stage, anything else an image (resolved as ``FROM`` resolves it).

    Raises `BuildError` in BuildKit's words (``circular dependency detected on stage: a``, an image that cannot be
    resolved); a later stage never gets here (`_plan` refused it before the build began).
    """
    if name.isascii() and name.isdigit():
        found = stages.get(str(int(name)))
        if found is None:
            raise NotSimulated(f"'COPY --from={name}'", "a stage index that is not an earlier stage")
    else:
        found = next((s for s in stages.values() if s.name == name.lower()), None)
    if found is current:
        index = next(key for key, value in stages.items() if value is current)
        shown = current.name if not current.name.isdigit() else f"stage-{index}"
        raise _at(BuildError(f"failed to solve: circular dependency detected on stage: {shown}"), instruction)
    if found is not None:
        return _as_bytes(found.files)
    try:
        ref = with_default_tag(parse_normalized_named(name))
    except InvalidReference as error:
        raise _at(BuildError(f"failed to parse stage name \"{name}\": {error}"), instruction) from None
    try:
        return _as_bytes(engine.image(str(ref)).files())
    except DaemonError:
        image, _ = _resolve_remote(engine, ref, Step(f"[internal] load metadata for {ref}"), instruction)
        return _as_bytes(image.files())


def _as_bytes(files) -> dict[str, bytes]:
    """An image's modelled files may hold text; a layer holds bytes."""
    return {path: data.encode() if isinstance(data, str) else data for path, data in files.items()}


def _copy(source: dict[str, bytes], text: str, workdir: str, instruction: Instruction, absolute: bool) -> dict[str, bytes]:
    exec_form = instruction.json_args()
    words = exec_form if exec_form is not None else text.split()
    if len(words) < 2:
        raise _at(BuildError(f"{instruction.keyword} requires at least two arguments, but only one was provided. "
                             "Destination could not be determined"), instruction)
    *sources, destination = words
    if not destination.startswith("/"):
        destination = posixpath.join(workdir, destination)
    copied: dict[str, bytes] = {}
    for pattern in sources:
        clean = posixpath.normpath(pattern.lstrip("/")) if pattern not in (".", "./") else "."
        if clean.startswith(".."):
            clean = posixpath.normpath(clean).lstrip("./") or "."
        matches = _match(source, clean, absolute)
        if not matches:
            error = BuildError(
                f'failed to solve: failed to compute cache key: failed to calculate checksum of ref '
                f'{_session_ref(pattern)}: "/{clean.lstrip("/")}": not found'
            )
            raise _at(error, instruction)
        # a stage's or an image's files are keyed by absolute path, the context's by relative path
        single_file = len(matches) == 1 and ("/" + clean if absolute else clean) in source \
            and not destination.endswith("/")
        for path, (relative, data) in matches.items():
            if single_file and len(sources) == 1:
                target = destination
            else:
                target = posixpath.join(destination, relative)
            copied[posixpath.normpath(target)] = data
    return copied


def _match(source: dict[str, bytes], pattern: str, absolute: bool) -> dict[str, tuple[str, bytes]]:
    """Files a COPY source names: the whole context (``.``), a file, a directory, or a glob."""
    found: dict[str, tuple[str, bytes]] = {}
    for path, data in source.items():
        relative_path = path.lstrip("/") if absolute else path
        if pattern == ".":
            found[path] = (relative_path, data)
        elif relative_path == pattern:
            found[path] = (posixpath.basename(relative_path), data)
        elif relative_path.startswith(pattern.rstrip("/") + "/"):
            found[path] = (relative_path[len(pattern.rstrip("/")) + 1:], data)
        elif any(ch in pattern for ch in "*?[") and fnmatch.fnmatch(relative_path, pattern):
            found[path] = (posixpath.basename(relative_path), data)
    return found


def _dockerignore(context: dict[str, bytes]) -> list[str]:
    raw = context.get(".dockerignore", b"").decode("utf-8", "replace")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        body = body.strip("/")
        if fnmatch.fnmatch(path, body) or path.startswith(body + "/"):
            ignored = not negate
    return ignored
