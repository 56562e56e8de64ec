# attack: double a list in an unbounded loop until memory runs out
# expect: rejected
def task_program():
    go_to("kitchen")
    items = ["cup"]
    while True:
        items = items + items
