# attack: build "__class__" by concatenation and splice it into a format template (getattr-free)
# expect: rejected
def task_program():
    name = "_" + "_class_" + "_"
    template = "{0." + name + ".mro}"
    say(template.format(get_current_location())[:200])
    go_to("kitchen")
