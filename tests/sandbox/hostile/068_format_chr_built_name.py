# attack: dunder built from chr(95) so no "__" appears anywhere in the source text
# expect: rejected
def task_program():
    u = chr(95) * 2
    template = "{0." + u + "globals" + u + "}"
    leak = template.format(say)
    say("leak " + leak[:300])
    go_to("kitchen")
