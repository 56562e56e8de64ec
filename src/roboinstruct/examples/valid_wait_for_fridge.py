# Wait in the kitchen until someone comes, ask them to open the fridge,
# then take a drink to the living room.
def task_program():
    go_to("kitchen")
    while True:
        if is_in_room("person"):
            response = ask("", "Could you please open the fridge for me?", ["Yes", "No"])
            if response == "Yes":
                break
        time.sleep(1)
    pick("drink")
    go_to("living room")
    place("drink")
