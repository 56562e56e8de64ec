# class: shared stdlib state: random.seed() and a shuffled shared list left for the next program in the same worker | stopped by: one fresh process per candidate
# mode: program
# expect: invalid
import random


def task_program():
    random.seed(12345)
    rooms = get_all_rooms()
    random.shuffle(rooms)
    place("apple")
