# class: cross-candidate effect / verdict by position: a program that recurses to just past the depth a program may use (1987 frames); a spare sits deeper in its zygote's stack than a child forked for its job, so under an absolute recursion limit the same program's verdict depended on which it ran in (1985 deep: valid in a fresh child, RecursionError in a spare), i.e. on its place in the batch and on whether the jobs before it left the spare usable | stopped by: execution.run_once (the limit set PROGRAM_DEPTH above its own depth, whoever runs it)
# mode: program
# expect: not-forged
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1


def task_program():
    go_to("kitchen")
    if down(1987) > 0:
        say("done")
