"""The course on a JupyterHub: the course file and its policy, the roster, the course service (identity from the hub,
grading on submit, the instructors' dashboard) and the exports to learning management systems."""
