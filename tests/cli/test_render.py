"""Docker's text conventions: go-units durations and sizes, tabwriter tables, ellipsis, the final progress screen."""

import pytest

from sandbox.cli.render import ellipsis, final_screen, human_duration, human_size, table
from sandbox.engine.progress import Progress


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0.4, "Less than a second"), (1, "1 second"), (59, "59 seconds"), (60, "About a minute"),
        (119, "About a minute"), (120, "2 minutes"), (3599, "59 minutes"), (3600, "About an hour"),
        (5399, "About an hour"), (5400, "2 hours"), (47 * 3600, "47 hours"), (48 * 3600, "2 days"),
        (13 * 86400, "13 days"), (14 * 86400, "2 weeks"), (59 * 86400, "8 weeks"), (60 * 86400, "2 months"),
        (729 * 86400, "24 months"), (730 * 86400, "2 years"),
    ],
)
def test_human_duration_follows_go_units(seconds, text):
    assert human_duration(seconds) == text


@pytest.mark.parametrize(
    "size, text",
    [(0, "0B"), (999, "999B"), (1000, "1kB"), (13300, "13.3kB"), (7_834_566, "7.83MB"), (7_800_000, "7.8MB"),
     (123_456_789, "123MB"), (1_234_567, "1.23MB"), (999_999, "1e+03kB")],
)
def test_human_size_uses_three_significant_digits_and_keeps_gos_quirk(size, text):
    assert human_size(size) == text


def test_human_size_with_four_digits_is_what_prune_prints():
    assert human_size(7_834_566, 4) == "7.835MB"


def test_table_pads_columns_to_min_width_10_plus_3_and_leaves_the_last_unpadded():
    assert table([["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]) == \
        "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"


def test_table_measures_cells_in_terminal_columns_as_dockers_tabwriter_does():
    # docker ps and docker images write through docker/cli's tabwriter, which measures with go-runewidth: a wide
    # character takes two columns (the same tabwriter docker version uses, checked against the 28.2.2 client)
    assert table([["COMMAND", "NAMES"], ['"sleep 你好"', "web"], ['"sleep 1"', "db"]]) == \
        'COMMAND        NAMES\n"sleep 你好"   web\n"sleep 1"      db\n'


def test_table_columns_are_blocks_of_consecutive_rows_with_a_cell_there():
    # a --format table whose rows have fewer cells: a column's width is its block's, as Go's tabwriter sizes it
    # (the one-cell row ends the first block: the rows on either side of it are sized apart)
    assert table([["A", "B", "C"], ["x"], ["long-cell-here", "y", "z"]]) == \
        "A         B         C\nx\nlong-cell-here   y         z\n"


def test_ellipsis_cuts_to_width_with_a_single_character():
    assert ellipsis("/docker-entrypoint.sh nginx -g 'daemon off;'", 20) == "/docker-entrypoint.…"
    assert ellipsis("echo hi", 20) == "echo hi"


def test_final_screen_updates_each_layer_line_in_place():
    messages = [Progress("The push refers to repository [docker.io/learner/web]"), Progress("Preparing", "aaa"),
                Progress("Preparing", "bbb"), Progress("Pushed", "aaa"), Progress("Layer already exists", "bbb"),
                Progress("1.0: digest: sha256:x size: 528")]
    assert final_screen(messages) == (
        "The push refers to repository [docker.io/learner/web]\naaa: Pushed\nbbb: Layer already exists\n"
        "1.0: digest: sha256:x size: 528\n"
    )
