"""docker/cli's tabwriter as ``docker version`` uses it (minimum width 20, padding 1); each case printed the same
through the docker 28.2.2 client's ``docker version --format`` against a daemon."""

import pytest

from sandbox.cli.tabwriter import cell_width, tabwrite


@pytest.mark.parametrize("text, written", [
    ("a\tb\tc\n", "a" + " " * 19 + "b" + " " * 19 + "c\n"),
    ("no tab\n", "no tab\n"),
    ("aaaaaaaaaaaaaaaaaaaaaaaaa\tb\ncc\td\te\n\tf\ng\nh\ti\n",  # a column is a block of consecutive lines
     "aaaaaaaaaaaaaaaaaaaaaaaaa b\ncc" + " " * 24 + "d" + " " * 19 + "e\n" + " " * 26 + "f\ng\nh" + " " * 19 + "i\n"),
    ("é\tx\n日本語\ty\tz\n\tw\n", "é" + " " * 19 + "x\n日本語" + " " * 14 + "y" + " " * 19 + "z\n" + " " * 20 + "w\n"),
    ("28.2.2\t28.2.2\n", "28.2.2" + " " * 14 + "28.2.2\n"),
    ("trailing\t\n", "trailing" + " " * 12 + "\n"),
])
def test_tabwrite_pads_each_column_block(text, written):
    assert tabwrite(text, 20, 1) == written


@pytest.mark.parametrize("text, width", [("é", 1), ("e\u0301", 1), ("日", 2), ("\U0001F600", 2), ("\x01", 0),
                                         ("\xad", 0), ("\u200b", 0), ("\uff21", 2), ("\xa1", 1), ("\u0300", 0)])
def test_cell_width_counts_terminal_columns(text, width):
    assert cell_width(text) == width
