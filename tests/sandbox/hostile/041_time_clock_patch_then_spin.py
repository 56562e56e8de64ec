# attack: freeze every clock on the shared time module (breaking wall-clock timeouts), then spin forever
# expect: rejected
def task_program():
    go_to("kitchen")
    frozen = lambda *args: 0.0
    time.monotonic = frozen
    time.perf_counter = frozen
    time.time = frozen
    time.process_time = frozen
    time.thread_time = frozen
    time.monotonic_ns = lambda: 0
    time.perf_counter_ns = lambda: 0
    while True:
        pass
