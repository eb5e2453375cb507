import deployless as pc

# Imported into the catalog's routes.py but not listed in its resources=:
# deployed anyway, as the original deployless does ("auto-detected").
EVENTS = pc.DynamoDB("catalog-events", pk="event_id")
