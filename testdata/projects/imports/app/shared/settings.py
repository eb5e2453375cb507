APP = "catalog"
PREFIX: str = "/v" + "2"
BIG = 1024 + 512
TABLE = f"{APP}-items"
