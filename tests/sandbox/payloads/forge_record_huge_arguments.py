# class: oversized record: an invalid program whose API arguments are megabyte strings on every call, so its record (arguments are kept whole) is over the 8 MB reply limit, to crash its own job and, through the zygote, the candidates after it | stopped by: the zygote's frame limit (sandbox.worker._collect): a crash of this one job, the batch and the next candidate unaffected
# mode: program
# expect: invalid
def task_program():
    big = "x" * (1 << 20)
    for i in range(12):
        say(big)
    place("apple")  # not held: invalid whether or not the record arrives
