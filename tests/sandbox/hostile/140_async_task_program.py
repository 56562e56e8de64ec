# attack: `async def task_program` -- calling it returns a coroutine, so the body never runs
# expect: contained
async def task_program():
    go_to("kitchen")
    pick("knife")
    say("done")
