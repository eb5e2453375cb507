"""Built-in, read-only sample files."""

import base64

# A 2x2 green PNG (73 bytes).
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mPQqzUCIgYIBQAYKgN1rtrmCgAAAABJRU5ErkJggg=="
)

SAMPLES = {
    "samples/pixel.png": (PIXEL_PNG, "image/png"),
}
