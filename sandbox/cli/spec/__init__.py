"""The docker 28.2.2 client's command table as data: ``commands.json`` and one verbatim ``--help`` text per command.

``docker-image-ls.txt`` is what ``docker image ls --help`` prints (80 columns, no terminal, HOME=/root, talking to a
stock Linux dockerd); ``tools/harvest_help.py help`` rewrites them all from a real client.
"""
