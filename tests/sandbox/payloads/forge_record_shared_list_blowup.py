# class: record amplification: an API argument that is a small DAG of shared lists (x = [x, x], 40 levels: 41 list objects) which the child walks as a tree (robosim.record.encode to its depth limit, then shown()/repr of every opaque sub-list; shown()'s depth check walks all of a shallower one), so one call that the step budget would stop in a millisecond burns the job's whole CPU limit | stopped by: NOT STOPPED as a cost (reported): the child's CPU limit makes it a crash of this one job (invalid, the batch and the next candidate unaffected), 10 s of a core instead of milliseconds
# mode: program
# expect: invalid
def task_program():
    x = ["kitchen"]
    for i in range(40):
        x = [x, x]
    go_to(x)
