def task_program():
    load("medicine kit")
    take_off()
    for waypoint in list_waypoints():
        if "field" not in waypoint:
            continue
        fly_to(waypoint)
        if can_see("red tent"):
            photograph("red tent")
            drop("medicine kit")
            break
    fly_to("home pad")
    land()
