"""The workflow's library: the functions the rules' scripts (scripts/*.py) call; see README, Layout."""
