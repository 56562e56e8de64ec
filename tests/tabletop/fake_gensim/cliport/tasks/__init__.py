# Framework module of a GenSim-style checkout: skipped by `--gensim` (not a task file).
