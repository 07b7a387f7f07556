"""Load on the REST API over loopback: requests/s and latency (p50, p95) per endpoint and client count.

A real ``storyscope serve`` process (uvicorn, one worker) is started on 127.0.0.1 with a fresh
store holding the example story (examples/), then driven with httpx from this process:

- ``GET /stories/{id}``: the story page (the report is computed once, then served from cache);
- ``GET /api/stories/{id}/report``: the same report as JSON;
- ``POST /api/compare`` with 5 articles: the 4 examples plus a fifth, a reworded copy of one
  (a full compare per request, nothing cached);
- ``POST /api/compare`` with 5 BASIL articles of ~600 words (../shared/data/basil; skipped without it).

Each is run with 1 client (sequential) and with --clients concurrent clients. The models are loaded
before the server listens, and each scenario is warmed up first, so the figures are steady state;
the warm-up request's time is reported apart (for the story page it includes computing the report).
Compares are serialised by the server (one models lock), so more clients add latency, not throughput.

    python bench/bench_api.py [--data ../shared/data] [--page-requests 300] [--compare-requests 12] [--clients 4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, ROOT, write_result  # noqa: E402 - bench scripts are run as files
from bench_speed import load_articles  # noqa: E402


def fifth_article() -> dict:
    """A reworded copy of examples/harbour_wire.txt from an invented outlet, so 5 outlets are compared."""
    from storyscope.config import CompareConfig
    from storyscope.ingest import read_inputs

    (art,) = read_inputs([ROOT / "examples" / "harbour_wire.txt"], CompareConfig()).articles
    text = (
        art.text.replace("12 people", "eleven people")
        .replace("Tuesday", "Tuesday afternoon")
        .replace("said", "told reporters")
    )
    return {
        "id": "bench-fifth",
        "source": "Bench Bulletin",
        "title": "Kalvarro landslide: toll rises",
        "published": "2026-03-05",
        "text": text,
    }


def example_articles() -> list[dict]:
    from storyscope.config import CompareConfig
    from storyscope.ingest import read_inputs

    out = []
    for a in read_inputs([ROOT / "examples"], CompareConfig()).articles:
        out.append(
            {
                "id": a.id,
                "source": a.source,
                "title": a.title,
                "text": a.text,
                "published": a.published.isoformat() if a.published else None,
                "url": a.url,
            }
        )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    code = (
        "import sys; from storyscope.serve import serve; "
        "serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')"
    )
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], stdout=fh, stderr=fh)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not answer /healthz within 120 s")


def drive(base: str, method: str, path: str, body: dict | None, requests: int, clients: int) -> dict:
    """``requests`` requests shared by ``clients`` threads, each with its own connection."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=300) as client:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                t0 = time.perf_counter()
                r = client.request(method, path, json=body)
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if r.status_code >= 400:
                        errors.append(r.status_code)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests": len(ms),
        "clients": clients,
        "errors": len(errors),
        "seconds": round(wall, 3),
        "requests_per_s": round(len(ms) / wall, 2),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),  # nearest rank
        "max_ms": round(ms[-1], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--page-requests", type=int, default=300)
    ap.add_argument("--compare-requests", type=int, default=12)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    # Stopped with SIGTERM: still run the clean-up below (stop the server, remove the temporary store).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from storyscope.corpus import Corpus

    examples = example_articles()
    compare5 = {"articles": [*examples, fifth_article()]}
    scenarios: list[tuple[str, str, str, dict | None, int]] = []
    basil5 = None
    if (args.data / "basil" / "triplets.jsonl").exists():
        basil5 = {"articles": load_articles(args.data, n=5)}
    else:
        print(f"no BASIL data under {args.data}: skipping the 5 x 600-word compare", file=sys.stderr)

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench_api_"))
    proc = None
    try:
        db = tmp / "store.db"
        with Corpus.open(db) as corpus:
            summary = corpus.ingest([ROOT / "examples"])
            (story,) = corpus.stories()
        assert summary.added == 4 and story.size == 4, (summary, story)
        port = free_port()
        proc = start_server(db, port, tmp / "server.log")
        base = f"http://127.0.0.1:{port}"

        scenarios = [
            ("GET /stories/{id} (story page)", "GET", f"/stories/{story.id}", None, args.page_requests),
            (
                "GET /api/stories/{id}/report (JSON)",
                "GET",
                f"/api/stories/{story.id}/report",
                None,
                args.page_requests,
            ),
            (
                "POST /api/compare, 5 example articles",
                "POST",
                "/api/compare",
                compare5,
                args.compare_requests,
            ),
        ]
        if basil5:
            scenarios.append(
                (
                    "POST /api/compare, 5 BASIL articles (~600 words)",
                    "POST",
                    "/api/compare",
                    basil5,
                    args.compare_requests,
                )
            )
        rows = []
        first_ms: dict[str, float] = {}
        for label, method, path, body, n in scenarios:
            t0 = time.perf_counter()
            warm = httpx.request(method, base + path, json=body, timeout=300)
            first_ms[label] = round(
                (time.perf_counter() - t0) * 1000, 1
            )  # the story's report is computed here
            if warm.status_code != 200:
                raise RuntimeError(f"{label}: {warm.status_code} {warm.text[:300]}")
            for clients in sorted({1, args.clients}):
                result = drive(base, method, path, body, n, clients)
                rows.append({"scenario": label, **result})
                print(
                    f"  {label:<52} clients={clients}  {result['requests_per_s']:>8.2f} req/s",
                    file=sys.stderr,
                )
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    result = {
        "server": "storyscope serve (uvicorn, 1 process) on 127.0.0.1; client: httpx in the same machine",
        "story": {"articles": story.size, "sources": list(story.sources)},
        "compare_articles": {
            "examples": [a["source"] for a in compare5["articles"]],
            "basil_words": sum(len(a["text"].split()) for a in basil5["articles"]) if basil5 else None,
        },
        # Other work on the machine skews every figure: the 1-minute load average before and after.
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "first_request_ms": first_ms,
        "results": rows,
    }
    out = write_result("api", result)

    print(
        f"\n{'scenario':<52}{'clients':>8}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}"
    )
    for r in rows:
        print(
            f"{r['scenario']:<52}{r['clients']:>8}{r['requests']:>10}{r['requests_per_s']:>10.2f}"
            f"{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['errors']:>8}"
        )
    print("\nfirst request (warm-up; the story report is computed and cached by it):")
    for label, ms in first_ms.items():
        print(f"  {label:<52}{ms:>10.1f} ms")
    load = result["load_average_1min"]
    print(f"\nload average (1 min) before/after: {load['before']}/{load['after']} on {os.cpu_count()} CPUs")
    print(f"wrote {out}")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
