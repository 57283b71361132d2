#!/usr/bin/env python3
"""Measure the leak gate on a synthetic output folder the size of a 1,000-meeting archive.

    python scripts/bench_leakgate.py [--meetings 1000] [--secrets 3000]

Writes ~1,000 meeting pages of ~50 KB, ~9 bilag pages per meeting, one gzip'd
Pagefind fragment per page, and times Gate.build and Gate.scan. One closed
sentence is planted in one page: the scan must find exactly that.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raadsarkiv.leakgate import Gate, Secret, _walk, texts_of  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--secrets", type=int, default=3000)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the output (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(1)
    vocab = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 12))) for _ in range(30000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))  # Zipf, like real text

    def text(n: int) -> str:
        words = rng.choices(vocab, cum_weights=cumulative, k=n)
        return " ".join(w.capitalize() + "." if i % 15 == 14 else w for i, w in enumerate(words))

    public = [text(150) for _ in range(args.meetings * 6)]  # open items
    secrets = [Secret(f"content/meetings/m{i}.md, item 3 (closed)", f"content/meetings/m{i}.md", 10, text(150))
               for i in range(args.secrets)]
    secrets += [Secret(f"content/meetings/m{i}.md, guests (closed)", f"content/meetings/m{i}.md", 5,
                       f"{rng.choice(vocab[20000:]).title()} {rng.choice(vocab[20000:]).title()}", kind="value") for i in range(args.secrets // 6)]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        out = Path(tmp)
        total = 0
        for m in range(args.meetings):
            items = "".join(f"<h2 id='p{n}'>{n}. {text(6)}</h2><h3>Sagsfremstilling</h3><p>{public[m * 6 + n % 6]}</p>"
                            f"<p class='note'>{text(120)} <em>{text(3)}</em> &amp; {text(40)}</p>" for n in range(16))
            if m == 500:
                items += f"<p>{secrets[123].text}</p>"
            page = (f"<!doctype html><html lang='da'><head><title>{text(5)}</title><meta name='description' "
                    f"content='{text(20)}'></head><body><main data-pagefind-body>{items}</main></body></html>")
            folder = out / "udvalg" / f"u{m % 12}" / f"2024-{m:04d}-referat"
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(page)
            fragment = {"url": f"/udvalg/{m}/", "content": text(2500), "meta": {"title": text(5)}}
            (out / "pagefind" / "fragment").mkdir(parents=True, exist_ok=True)
            (out / "pagefind" / "fragment" / f"da_{m}.pf_fragment").write_bytes(
                gzip.compress(b"pagefind_dcd" + json.dumps(fragment, ensure_ascii=False).encode()))
            total += len(page)
            for b in range(9):
                bilag = out / "bilag" / f"{m}-{b}" / "index.html"
                bilag.parent.mkdir(parents=True)
                html = f"<!doctype html><html><body><h1>{text(6)}</h1><p>{text(40)}</p></body></html>"
                bilag.write_text(html)
                total += len(html)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"output: {sum(1 for p in out.rglob('*') if p.is_file())} files, {size / 1e6:.1f} MB on disk, "
              f"{total / 1e6:.1f} MB of HTML")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        gate = Gate.build(secrets, [], public)
        built = time.perf_counter() - started
        memory = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
        print(f"Gate.build: {len(secrets)} secrets, {len(public)} public texts: {built:.2f} s, "
              f"{len(gate.shingles)} shingles + {len(gate.phrases)} phrases, peak memory +{memory / 1e6:.0f} MB")
        started = time.perf_counter()
        read = sum(len(path.read_bytes()) for path in _walk(out))
        print(f"reading every file ({read / 1e6:.1f} MB): {time.perf_counter() - started:.2f} s")
        scanned = sum(len(text) for path in _walk(out) for text in texts_of(path.name, path.read_bytes()))
        print(f"text to scan (decompressed, with attribute views): {scanned / 1e6:.1f} M characters")
        started, cpu = time.perf_counter(), time.process_time()
        if os.environ.get("PROFILE"):
            import cProfile
            cProfile.runctx("gate.scan(out)", globals(), locals(), sort="tottime")
        leaks = gate.scan(out)
        print(f"Gate.scan: {time.perf_counter() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU), leaks: {[(leak.output, leak.secret) for leak in leaks]}")
        return 0 if [leak.secret for leak in leaks] == [secrets[123].label] else 1


if __name__ == "__main__":
    sys.exit(main())
