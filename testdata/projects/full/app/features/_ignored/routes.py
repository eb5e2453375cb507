this is not python and must never be read
