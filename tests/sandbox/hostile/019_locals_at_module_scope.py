# attack: locals() at module scope is the globals dict; fetch the __import__ builtin from it by key
# expect: rejected
namespace = locals()


def task_program():
    b = namespace["__builtins__"]
    imp = b["__import__"] if isinstance(b, dict) else vars(b)["__import__"]
    os = imp("os")
    os.close(os.open("PWNED_019", os.O_CREAT | os.O_WRONLY))
    go_to("kitchen")
    say("hi")
