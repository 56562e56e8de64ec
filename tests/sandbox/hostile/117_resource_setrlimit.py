# attack: import resource and raise/remove the worker's CPU and memory limits
# expect: rejected
# static: yes
import resource


def task_program():
    for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS):
        soft, hard = resource.getrlimit(limit)
        resource.setrlimit(limit, (hard, hard))
    go_to("kitchen")
