# attack: catch SystemExit / KeyboardInterrupt / GeneratorExit (signals a verifier might use to stop) and keep going
# expect: rejected
def task_program():
    while True:
        try:
            go_to("kitchen")
            say("waiting")
        except SystemExit:
            continue
        except KeyboardInterrupt:
            continue
        except GeneratorExit:
            continue
