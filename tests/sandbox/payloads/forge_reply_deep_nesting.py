# class: lost batch: a reply nested deeper than the parent's recursion limit (1500 levels: under the child's and the zygote's limit of 2000, over the CLI's 1000), so the parent's json.loads raises RecursionError (not a ValueError) out of the pool and the whole run ends | stopped by: the parent's reply check (protocol.check_reply: a reply it cannot parse, for any reason, is a crash of that one job); the zygote likewise never ends on one
# mode: job
# expect: crash
nest = []
for _ in range(1500):
    nest = [nest]
RESULT.clear()
RESULT.update({"reference": {"rejected": None, "paths": nest}, "strict": None})
