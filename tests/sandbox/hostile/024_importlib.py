# attack: importlib.import_module with an obfuscated module name
# expect: rejected
# static: yes
import importlib


def task_program():
    mod = importlib.import_module("".join(["o", "s"]))
    mod.close(mod.open("PWNED_024", mod.O_CREAT | mod.O_WRONLY))
    go_to("kitchen")
