# The files under hostile/ are attack programs that are handed to the verifier as
# text. They must never be collected or imported by pytest (several of them spin
# forever, allocate 10 GB or touch the filesystem at import time), even if
# someone runs pytest with `python_files = *.py` or `--doctest-modules`.
collect_ignore = ["hostile"]
