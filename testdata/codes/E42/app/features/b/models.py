class Thing:
    name = "thing"
