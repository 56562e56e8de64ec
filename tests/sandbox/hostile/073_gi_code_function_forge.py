# attack: read a generator's gi_code, leak its constants, and forge a new function from it with custom globals
# expect: rejected
def task_program():
    gen = (room for room in get_all_rooms())
    code = gen.gi_code
    say("code " + code.co_name + " from " + code.co_filename + " consts " + repr(code.co_consts))
    function_type = type(task_program)
    forged = function_type(code, {})
    say("forged " + repr(forged))
    go_to("kitchen")
