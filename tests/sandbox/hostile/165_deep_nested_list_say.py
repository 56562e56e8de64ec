# attack: say() a 5000-deep nested list: str()/repr()/pickle/json of it overflow the recursion limit in verifier code
# expect: contained
def task_program():
    go_to("kitchen")
    nest = []
    for _ in range(5000):
        nest = [nest]
    say(nest)
