#!/usr/bin/env python3
"""Seeds a running hep server through its public JSON API (no back door):
signs in as the clinic admin, then for each of N patients creates the
patient, a 5-exercise program, publishes it and creates a share link.
Writes the share tokens and program ids (one per line) for the wrk scripts.

Usage: seed.py BASE_URL EMAIL PASSWORD N OUT_DIR [WORKERS]
With HEP_LOAD_PICTURES=1 it first gives each exercise it uses a picture
(a 900 x 600 photo-like PNG, a few hundred kB), so handouts carry pictures.
Standard library only; several keep-alive connections in parallel.
"""
import http.client
import json
import os
import random
import struct
import sys
import threading
import time
import uuid
import zlib
from urllib.parse import urlparse

SLUGS = [
    "standing-row", "thoracic-extension-chair", "bird-dog", "clamshell",
    "chin-tuck", "ankle-pumps", "biceps-curl", "band-pull-apart",
    "calf-stretch-wall", "cat-camel", "abdominal-bracing", "ankle-alphabet",
]


def photo_png(seed, width=900, height=600):
    """A PNG with smooth shapes and sensor-like noise: it compresses about as
    badly as a photograph does."""
    rng = random.Random(seed)
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            base = (x * 255 // width + y * 128 // height + seed * 40) % 256
            noise = rng.randrange(6)
            row += bytes(((base + noise) % 256, (base // 2 + noise) % 256, (255 - base + noise) % 256))
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def exercise_id(slug):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://hep.invalid/builtin-exercise/{slug}"))


class Client:
    def __init__(self, base, token=None):
        u = urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.token = token

    def call(self, method, path, body=None, expect=(200, 201)):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        if resp.status not in expect:
            raise RuntimeError(f"{method} {path} -> {resp.status}: {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def put_bytes(self, path, data):
        self.conn.request("PUT", path, body=data, headers={"Authorization": f"Bearer {self.token}"})
        resp = self.conn.getresponse()
        raw = resp.read()
        if resp.status != 204:
            raise RuntimeError(f"PUT {path} -> {resp.status}: {raw[:300]!r}")


def seed_one(client, i):
    patient = client.call("POST", "/api/v1/patients", {
        "first_name": f"Load{i}", "last_name": "Patient",
    })
    items = [
        {"exercise_id": exercise_id(SLUGS[(i + k) % len(SLUGS)]), "sets": 3, "reps": 10 + k}
        for k in range(5)
    ]
    program = client.call("POST", f"/api/v1/patients/{patient['id']}/programs", {
        "title": f"Load test program {i}", "notes": "Do these slowly.", "items": items,
    })
    client.call("POST", f"/api/v1/programs/{program['id']}/publish", {})
    link = client.call("POST", f"/api/v1/programs/{program['id']}/links", {"expires_in_days": 30})
    return program["id"], program["revision"], link["url"].rsplit("/", 1)[1]


def main():
    base, email, password, n, out = sys.argv[1:6]
    workers = int(sys.argv[6]) if len(sys.argv) > 6 else 4
    n = int(n)
    session = Client(base).call("POST", "/api/v1/sessions", {"email": email, "password": password})
    token = session["token"]
    if os.environ.get("HEP_LOAD_PICTURES") == "1":
        client = Client(base, token)
        sizes = []
        for k, slug in enumerate(SLUGS):
            png = photo_png(k)
            sizes.append(len(png))
            client.put_bytes(f"/api/v1/exercises/{exercise_id(slug)}/image", png)
        print(f"gave {len(SLUGS)} exercises a picture ({min(sizes) // 1024}-{max(sizes) // 1024} kB PNG each)")
    results = [None] * n
    errors = []
    started = time.monotonic()

    def work(w):
        client = Client(base, token)
        try:
            for i in range(w, n, workers):
                results[i] = seed_one(client, i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(str(e))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(f"seeding failed: {errors[0]}")
    with open(f"{out}/tokens.txt", "w") as f:
        f.writelines(f"{r[2]}\n" for r in results)
    with open(f"{out}/programs.txt", "w") as f:
        f.writelines(f"{r[0]} {r[1]}\n" for r in results)
    put_items = [
        {"exercise_id": exercise_id(SLUGS[k]), "sets": 2, "reps": 12} for k in range(5)
    ]
    with open(f"{out}/put_items.json", "w") as f:
        json.dump(put_items, f, separators=(",", ":"))
    with open(f"{out}/session.txt", "w") as f:
        f.write(token + "\n")
    print(f"seeded {n} patients, programs, versions and links in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
