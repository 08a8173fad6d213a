"""Who a container's process runs as: moby/sys/user GetExecUser and dockerd's getUser (moby v28.2.2), and what
``id`` prints for it."""

from __future__ import annotations

import pytest

from sandbox.engine.users import ExecUser, exec_user, identity
from sandbox.errors import UnknownUser

FILES = {
    "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n# a comment\n\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
                   "node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n",
    "/etc/group": "root:x:0:root\nwheel:x:10:root\nnobody:x:65534:\nnode:x:1000:node\nstaff:x:50:node\n",
}


def test_no_user_is_root_with_the_groups_that_list_root():
    assert exec_user("", FILES) == ExecUser(0, 0, (0, 0, 10), "/root")
    assert identity(exec_user("", FILES), FILES) == "uid=0(root) gid=0(root) groups=0(root),10(wheel)"


def test_a_name_takes_its_passwd_entry_and_the_groups_that_list_it():
    node = exec_user("node", FILES)
    assert node == ExecUser(1000, 1000, (1000, 1000, 50), "/home/node")
    assert identity(node, FILES) == "uid=1000(node) gid=1000(node) groups=1000(node),50(staff)"


def test_a_number_is_always_a_uid_and_need_not_exist():
    assert exec_user("65534", FILES).home == "/"
    stranger = exec_user("4242", FILES)
    assert stranger == ExecUser(4242, 0, (0,), "/")
    assert identity(stranger, FILES) == "uid=4242 gid=0(root) groups=0(root)"


def test_an_explicit_group_replaces_the_gid_and_drops_supplementary_groups():
    assert exec_user("node:wheel", FILES) == ExecUser(1000, 10, (10,), "/home/node")
    assert exec_user("node:777", FILES) == ExecUser(1000, 777, (777,), "/home/node")
    assert exec_user("0:0:ignored", FILES).gid == 0  # parseLine keeps the first two fields


@pytest.mark.parametrize(("spec", "message"), [
    ("postgres", "unable to find user postgres: no matching entries in passwd file"),
    ("root;0", "unable to find user root;0: no matching entries in passwd file"),
    ("postgres:1", "unable to find user postgres: no matching entries in passwd file"),
    ("1:no-such-group", "unable to find group no-such-group: no matching entries in group file"),
    ("-1", "uids and gids must be in range 0-2147483647"),
    ("0:2147483648", "uids and gids must be in range 0-2147483647"),
])
def test_what_cannot_be_resolved_is_dockerds_error(spec, message):
    with pytest.raises(UnknownUser) as raised:
        exec_user(spec, FILES)
    assert str(raised.value) == message


def test_an_image_without_passwd_or_group_takes_numbers_but_not_names():
    assert exec_user("0:0", {}) == ExecUser(0, 0, (0,), "/")
    assert identity(exec_user("0:0", {}), {}) == "uid=0 gid=0 groups=0"
    with pytest.raises(UnknownUser):
        exec_user("root", {})
    with pytest.raises(UnknownUser, match="unable to find group root"):
        exec_user("0:root", {"/etc/passwd": FILES["/etc/passwd"]})
