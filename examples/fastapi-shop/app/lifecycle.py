"""The app's lifespan: what runs once when the app starts and when it stops.

Under uvicorn that is once per server process; on Lambda, once per cold
start of a function's container, however many requests it then serves.
`startups` counts the startups of this process (GET /api/reports/status
shows it).
"""

import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI

log = logging.getLogger("fastapi-shop")

startups = 0


@asynccontextmanager
async def lifespan(app: FastAPI):
    global startups
    startups += 1
    currency = os.environ.get("SHOP_CURRENCY", "EUR")
    log.info("fastapi-shop starting (startup #%d, currency %s)", startups, currency)
    # What is yielded becomes request.state for every request.
    yield {"currency": currency}
    log.info("fastapi-shop stopping")
