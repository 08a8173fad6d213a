"""The gradebook's errors keep their facts and read as one line."""

from __future__ import annotations

from sandbox.errors import SandboxError
from sandbox.gradebook.errors import GradebookError, SubmissionRejected


def test_a_rejection_keeps_path_reason_and_what_was_read() -> None:
    e = SubmissionRejected("subs/ada.yaml", "bad", learner="ada", quiz="tiny", digest="sha256:00")
    assert str(e) == "subs/ada.yaml: bad"
    assert (e.path, e.reason, e.learner, e.quiz, e.digest) == ("subs/ada.yaml", "bad", "ada", "tiny", "sha256:00")
    assert isinstance(e, SandboxError) and isinstance(e, ValueError)


def test_a_gradebook_error_is_an_os_error_with_exit_code_3() -> None:
    e = GradebookError("g.sqlite", "cannot write")
    assert (str(e), e.path, e.problem, e.exit_code) == ("g.sqlite: cannot write", "g.sqlite", "cannot write", 3)
    assert isinstance(e, SandboxError) and isinstance(e, OSError)


def test_a_gradebook_error_crosses_a_process_boundary_whole() -> None:
    import pickle

    e = pickle.loads(pickle.dumps(GradebookError("fb", "cannot write here: Permission denied")))
    assert (type(e), str(e), e.path, e.problem) == (GradebookError, "fb: cannot write here: Permission denied", "fb",
                                                    "cannot write here: Permission denied")
