def cents(x):
    return int(round(x * 100))
