# attack: raise a nested ExceptionGroup containing SystemExit/KeyboardInterrupt (BaseExceptionGroup)
# expect: rejected
def task_program():
    go_to("kitchen")
    raise BaseExceptionGroup("many", [SystemExit(3), KeyboardInterrupt(), ValueError("x")])
