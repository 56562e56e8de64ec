# attack: objects whose __del__ spins forever, left in cycles/globals so they fire later inside verifier code
# expect: contained
class Tripwire:
    def __del__(self):
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass


KEEP = []


def task_program():
    go_to("kitchen")
    KEEP.append(Tripwire())
    loop = Tripwire()
    loop.me = loop
    say("armed")
