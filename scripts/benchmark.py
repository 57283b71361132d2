#!/usr/bin/env python3
"""Measure check, build, rebuild and preview times, CPU and memory on a generated archive.

    python scripts/benchmark.py --meetings 1000 [--root DIR] [--skip-serve] [--steps preview,check-warm,…]

Generates the archive (scripts/generate_archive.py) unless --root points at one,
then runs, each step in its own process (so each has its own CPU and memory figures):

  check, cold        python build.py --root R check    (empty bilag text cache)
  build, cold        python build.py --root R build --output NEW   (Pagefind and the leak gate included)
    of which leak gate: fingerprints / scan output   (timed again on their own, in a separate process)
  check, warm        the same check again (text cache filled by the build)
  build, no-op       the same build again into the same output folder (incremental: nothing changed)
  build, 1 edit      one meeting edited, then the same build again (incremental: the affected pages,
                     Pagefind and the leak gate); the edit is undone afterwards
  preview: first build / rebuild, nothing changed / rebuild after editing 1 meeting
                     raadsarkiv.rebuild.Rebuilder, as `serve` uses it, in one process
  preview: edit -> served over HTTP
                     `python build.py --root R serve --port P`; one meeting is edited and its page
                     polled with urllib until the new text is served (3 edits; median)
  floor              a bare Jinja2 + Python-Markdown render of the same Markdown files in 2
                     processes (needs `pip install -e '.[bench]'`; skipped with a note if missing)

For each: wall time; CPU time (user+sys of the step's process and all its children:
resource.getrusage RUSAGE_SELF + RUSAGE_CHILDREN deltas in the process that runs the step, which
makes itself a child subreaper so that the engine's fork-server parse workers, orphaned when
build.py exits, are counted too; a step timed inside a process adds its live descendants from
/proc);
and peak memory, two ways: the largest single process of the step's tree (ru_maxrss from
wait4, which covers the process and every child it waited for), and the sum of RSS over the
whole tree, sampled from /proc every 50 ms (which sees concurrent workers and Pagefind together,
but can miss a spike shorter than 50 ms). ru_maxrss alone misses that several processes are alive
at once (the parse workers, Pagefind and the parent), and children that are never waited for.

--steps runs only some steps (always in the order above): check-cold, build-cold (with the
leak gate rows), check-warm, build-noop, build-edit, preview, serve, floor. A warm check needs the text
cache that a cold build or the preview fills.

A --root archive is measured in place: its .cache/ is set aside for the cold steps and put back
(--keep-cache: used as it is).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

PYTHON = sys.executable
BUILD_PY = str(REPO / "build.py")  # run with --lang en: the summaries parsed below are the English ones
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- measuring


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def become_subreaper() -> None:
    """Adopt orphaned descendants (PR_SET_CHILD_SUBREAPER), so their CPU and memory reach RUSAGE_CHILDREN.

    The engine parses files in a multiprocessing "forkserver" pool: the workers are children of
    the fork server, and the fork server outlives build.py unwaited, so without this their CPU
    time would be counted nowhere.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        print("note: cannot become a child subreaper; CPU of orphaned workers is not counted", file=sys.stderr)


def reap_orphans(keep: set[int] = frozenset(), timeout: float = 30) -> int:  # type: ignore[assignment]
    """Wait for adopted orphans (not `keep`) to exit; returns their largest ru_maxrss in bytes."""
    biggest, deadline = 0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children_by_parent().get(os.getpid(), [])
        waiting = [pid for pid in children if pid not in keep]
        if not waiting:
            break
        for pid in waiting:
            try:
                done, _, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if done:
                biggest = max(biggest, usage.ru_maxrss * 1024)
        time.sleep(0.01)
    return biggest


def _live_descendants_cpu() -> float:
    """utime+stime+cutime+cstime of every live descendant (not yet in RUSAGE_CHILDREN)."""
    tree = _children_by_parent()
    total, todo = 0.0, list(tree.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            total += _proc_cpu(pid)
        except OSError:
            pass
    return total


def cpu_now() -> float:
    """User+sys CPU seconds of this process, every child it has waited for, and its live descendants."""
    return (_cpu(resource.getrusage(resource.RUSAGE_SELF)) + _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
            + _live_descendants_cpu())


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stream:
                stat = stream.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Bytes of RSS of a process and all its descendants, now."""
    tree = _children_by_parent()
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            with open(f"/proc/{current}/statm", "rb") as stream:
                total += int(stream.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
    return total


class TreeSampler:
    """Samples the RSS of a process tree every `interval` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class Step:
    """One row of the report."""

    def __init__(self, label: str, wall: float | None, cpu: float | None, maxrss: int | None = None,
                 tree_peak: int | None = None, note: str = "", load: float | None = None) -> None:
        self.label, self.wall, self.cpu, self.maxrss, self.tree_peak, self.note = label, wall, cpu, maxrss, tree_peak, note
        self.load = os.getloadavg()[0] if load is None else load

    def row(self) -> str:
        def num(value: float | None, fmt: str) -> str:
            return "" if value is None else format(value, fmt)
        mb = 1024 * 1024
        return (f"| {self.label} | {num(self.wall, '.2f')} | {num(self.cpu, '.2f')} | "
                f"{num(self.maxrss and self.maxrss / mb, '.0f')} | {num(self.tree_peak and self.tree_peak / mb, '.0f')} | "
                f"{self.load:.1f} | {self.note} |")


HEADER = ("| step | wall s | CPU s | peak RSS, largest process (MB) | peak RSS, whole tree, sampled (MB) | load (1 min) at start | notes |\n"
          "|---|---:|---:|---:|---:|---:|---|")


def run_step(label: str, command: list[str], note: str = "", expect_json: bool = False) -> tuple[Step, dict]:
    """Run a command as a child; wall, CPU (RUSAGE_CHILDREN delta), ru_maxrss (wait4) and sampled tree peak."""
    load = os.getloadavg()[0]
    cpu_before = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(process.pid)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    orphans = reap_orphans()
    peak = sampler.stop()
    cpu = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - cpu_before
    if process.returncode != 0:
        sys.exit(f"{label}: `{' '.join(command)}` failed ({process.returncode}):\n{output[-4000:]}")
    data: dict = {}
    if expect_json:
        data = json.loads(output.strip().splitlines()[-1])
    else:  # build.py's summary line: what it rendered and kept
        summary = [line for line in output.splitlines() if line.startswith(("Built ", "Nothing changed"))]
        if summary and ":" in summary[-1]:
            note = f"{note}; {summary[-1].rsplit(': ', 1)[-1].rstrip('.')}" if note else summary[-1].rsplit(": ", 1)[-1].rstrip(".")
    step = Step(label, wall, cpu, max(usage.ru_maxrss * 1024, orphans), peak, note, load)
    print(step.row(), flush=True)
    return step, data


# ---------------------------------------------------------------- steps run in a child (--step)


def step_leakgate(root: Path, out: Path) -> dict:
    """Time the leak gate's two parts on a finished build (check first, untimed)."""
    from raadsarkiv import fingerprints
    from raadsarkiv.bilagtext import CACHE_DIR
    from raadsarkiv.pipeline import check

    checked = check(root)
    assert checked.ok and checked.content is not None
    result = {}
    for name, action in (
        ("fingerprints", lambda: fingerprints.gate(root, checked.content, checked.private_bilag, checked.bilag_text)),
        ("scan", lambda: gate.scan(out, text_cache=root / CACHE_DIR)),
    ):
        cpu, started = cpu_now(), time.perf_counter()
        value = action()
        result[name] = {"wall": time.perf_counter() - started, "cpu": cpu_now() - cpu, "load": os.getloadavg()[0]}
        if name == "fingerprints":
            gate = value
        else:
            assert value == [], value[:3]
    return result


def edit(text: str, token: str) -> str:
    """The first public decision gets a new first sentence."""
    changed = text.replace("### Beslutning\n\n", f"### Beslutning\n\nRettet {token}. ", 1)
    assert changed != text
    return changed


def step_preview(root: Path, out: Path, meeting: Path) -> dict:
    """The preview's Rebuilder: first build, rebuild with nothing changed, rebuild after editing one meeting."""
    from raadsarkiv.rebuild import Rebuilder

    preview = Rebuilder(root, out)
    result = {}
    original = meeting.read_text(encoding="utf-8")
    try:
        for name in ("first", "noop", "edit"):
            if name == "edit":
                meeting.write_text(edit(original, "rebuilder"), encoding="utf-8")
            cpu, started, load = cpu_now(), time.perf_counter(), os.getloadavg()[0]
            built = preview.build()
            assert built.ok, [p.format() for p in built.problems[:5]]
            result[name] = {"wall": time.perf_counter() - started, "cpu": cpu_now() - cpu, "load": load,
                            "rendered": built.rendered, "written": len(built.written)}
    finally:
        meeting.write_text(original, encoding="utf-8")
    result["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result


FLOOR_TEMPLATE = """<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><title>{{ title }} – {{ site }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/style.css"></head>
<body>
<header><a href="/">{{ site }}</a><nav><ul>{% for link in nav %}<li><a href="{{ link.url }}">{{ link.title }}</a></li>{% endfor %}</ul></nav></header>
<main><h1>{{ title }}</h1>
<dl>{% for key, value in meta.items() %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{{ body | safe }}
</main>
<footer><p>{{ site }}</p></footer>
</body>
</html>
"""


_FLOOR: dict = {}


def _floor_render(job: tuple[str, str, str]) -> int:
    import markdown
    import yaml

    if "template" not in _FLOOR:
        import jinja2

        _FLOOR["template"] = jinja2.Environment(autoescape=True).from_string(FLOOR_TEMPLATE)
    template = _FLOOR["template"]
    source, rel, out = job
    text = Path(source).read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        front, _, text = text[4:].partition("\n---\n")
        meta = yaml.safe_load(front) or {}
    body = markdown.markdown(text, extensions=["tables", "attr_list"])
    page = template.render(title=str(meta.get("title") or meta.get("name") or rel), site="Rådsarkiv", meta=meta, body=body,
                           nav=[{"url": "/udvalg/", "title": "Udvalg"}, {"url": "/strategier/", "title": "Strategier"}])
    target = Path(out) / rel / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return len(page)


def step_floor(root: Path, out: Path) -> dict:
    """Every Markdown file under content/: front matter (PyYAML), Python-Markdown, one Jinja2 template, written; 2 processes."""
    import multiprocessing

    files = sorted((root / "content").rglob("*.md"))
    jobs = [(str(path), str(path.relative_to(root / "content").with_suffix("")), str(out)) for path in files]
    cpu, started = cpu_now(), time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        written = sum(pool.imap_unordered(_floor_render, jobs, chunksize=16))
    return {"wall": time.perf_counter() - started, "cpu": cpu_now() - cpu, "files": len(files), "bytes": written}


# ---------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a live process and its live descendants (with their waited-for children)."""
    tree = _children_by_parent()
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            total += _proc_cpu(current)
        except OSError:
            pass
    return total


def _proc_cpu(pid: int) -> float:
    """utime+stime+cutime+cstime of a live process, in seconds."""
    with open(f"/proc/{pid}/stat", "rb") as stream:
        fields = stream.read().rsplit(b")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8", errors="replace")


def measure_serve(root: Path, meeting: Path, url_path: str, edits: int = 3) -> list[Step]:
    """Start `serve`, edit one meeting `edits` times, time each edit until its text is served over HTTP."""
    port = free_port()
    load = os.getloadavg()[0]
    cpu_before = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, BUILD_PY, "--lang", "en", "--root", str(root), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(process.pid)
    lines: list[str] = []
    original = meeting.read_text(encoding="utf-8")
    steps: list[Step] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Preview on"):
                break
        else:
            raise RuntimeError("serve stopped:\n" + "".join(lines[-30:]))
        first = time.perf_counter() - started
        threading.Thread(target=lambda: [lines.append(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/{url_path}"
        assert "Rettet" not in fetch(url)
        steps.append(Step("serve: start → first build served", first, _tree_cpu(process.pid), None, None, "", load))
        print(steps[-1].row(), flush=True)
        times, cpus = [], []
        for n in range(edits):
            time.sleep(0.5)  # let the watcher settle
            token = f"benchmarkserve{n}x{int(time.time())}"
            load = os.getloadavg()[0]
            cpu = _tree_cpu(process.pid)
            edited_at = time.perf_counter()
            meeting.write_text(edit(original, token), encoding="utf-8")
            while token not in fetch(url):
                if time.perf_counter() - edited_at > 600:
                    raise RuntimeError("the edit was not served within 600 s:\n" + "".join(lines[-30:]))
                time.sleep(0.005)
            times.append(time.perf_counter() - edited_at)
            cpus.append(_tree_cpu(process.pid) - cpu)
        built = [line.strip() for line in lines if "Built in" in line]
        note = (f"median of {edits} edits: {', '.join(f'{t:.2f}' for t in times)} s; includes the watcher's "
                f"0.15 s quiet time; serve said: {built[-1] if built else '?'}")
        steps.append(Step("preview: edit → new text served over HTTP", statistics.median(times), statistics.median(cpus),
                          None, None, note, load))
        print(steps[-1].row(), flush=True)
    finally:
        meeting.write_text(original, encoding="utf-8")
        process.send_signal(signal.SIGINT)
        try:
            _, _, usage = os.wait4(process.pid, 0)
            process.returncode = 0
        except ChildProcessError:
            usage = None
        orphans = reap_orphans()
        peak = sampler.stop()
    total = Step("serve: whole session", time.perf_counter() - started,
                 _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - cpu_before,
                 max(usage.ru_maxrss * 1024 if usage else 0, orphans), peak, "start, first build, edits, stop", steps[0].load)
    print(total.row(), flush=True)
    return [*steps, total]


# ---------------------------------------------------------------- main

STEPS = ("check-cold", "build-cold", "check-warm", "build-noop", "build-edit", "preview", "serve", "floor")


def floor_available() -> bool:
    try:
        import markdown  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--root", type=Path, help="an existing project to measure instead of generating one")
    parser.add_argument("--skip-serve", action="store_true", help="do not measure edit → served over HTTP")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
    parser.add_argument("--keep-cache", action="store_true", help="with --root: measure with its .cache/ as it is (warm)")
    parser.add_argument("--work", type=Path, help="where to put the generated archive and outputs (default: a temporary folder)")
    parser.add_argument("--step", choices=("leakgate", "preview", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--meeting", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    become_subreaper()
    if args.step:  # a child: run one step, print its figures as JSON
        result = {"leakgate": lambda: step_leakgate(args.root, args.out),
                  "preview": lambda: step_preview(args.root, args.out, args.meeting),
                  "floor": lambda: step_floor(args.root, args.out)}[args.step]()
        print(json.dumps(result))
        return 0

    steps = set(args.steps.split(","))
    if steps - set(STEPS):
        parser.error(f"unknown step(s) {', '.join(sorted(steps - set(STEPS)))}; expected {', '.join(STEPS)}")
    if args.skip_serve:
        steps.discard("serve")
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)  # --work may name a folder that does not exist yet
    work = Path(tempfile.mkdtemp(prefix="raadsarkiv-bench-", dir=args.work))
    saved_cache = None
    try:
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
        if args.root:
            root = args.root.resolve()
            if (root / ".cache").exists() and not args.keep_cache:
                saved_cache = work / "saved-cache"
                shutil.move(root / ".cache", saved_cache)
        else:
            from generate_archive import generate

            started = time.perf_counter()
            root = generate(work / "archive", args.meetings)
            print(f"generated {args.meetings} meetings in {time.perf_counter() - started:.1f} s")
        meetings = sorted((root / "content" / "meetings").rglob("*.md"))
        bilag = [p for p in (root / "content" / "bilag").rglob("*") if p.is_file()]
        print(f"{len(meetings)} meeting files, {sum(p.stat().st_size for p in meetings) / len(meetings) / 1000:.1f} kB each on average; "
              f"{len(bilag)} bilag files, {sum(p.stat().st_size for p in bilag) / 1e6:.0f} MB")
        target = meetings[len(meetings) // 2]
        url_path = f"udvalg/{target.parent.name}/{target.stem}/"
        me = [PYTHON, str(Path(__file__).resolve())]
        out = work / "output"
        print()
        print(HEADER, flush=True)
        build = [PYTHON, BUILD_PY, "--lang", "en", "--root", str(root), "build", "--output", str(out)]
        if "check-cold" in steps:
            run_step("check, cold (empty bilag text cache)", [PYTHON, BUILD_PY, "--lang", "en", "--root", str(root), "check"])
        if "build-cold" in steps:
            run_step("build, cold (fresh output folder, empty text cache)", build, "includes Pagefind and the leak gate")
            _, gate = run_step("  leak gate, on its own (check untimed)", [*me, "--step", "leakgate", "--root", str(root), "--out", str(out)],
                               expect_json=True, note="the two rows below")
            for name, label in (("fingerprints", "  of which leak gate: fingerprints"), ("scan", "  of which leak gate: scan output")):
                print(Step(label, gate[name]["wall"], gate[name]["cpu"], load=gate[name]["load"]).row(), flush=True)
        if "check-warm" in steps:
            run_step("check, warm (second run; text cache filled)", [PYTHON, BUILD_PY, "--lang", "en", "--root", str(root), "check"])
        if "build-noop" in steps:
            run_step("build, no-op (again into the same output)", build, "incremental: nothing changed")
        if "build-edit" in steps:
            original = target.read_bytes()
            target.write_bytes(original + "\nEt afsnit tilføjet af benchmarken.\n".encode())
            try:
                run_step("build after editing 1 meeting (same output)", build, "incremental: affected pages, Pagefind, gate")
            finally:
                target.write_bytes(original)
        if "preview" in steps:
            _, preview = run_step("preview (Rebuilder): 3 builds in one process", [
                *me, "--step", "preview", "--root", str(root), "--out", str(work / "preview"), "--meeting", str(target)],
                expect_json=True, note="the three rows below")
            for name, label in (("first", "  preview: first build"), ("noop", "  preview: rebuild, nothing changed"),
                                ("edit", "  preview: rebuild after editing 1 meeting")):
                figures = preview[name]
                print(Step(label, figures["wall"], figures["cpu"], load=figures["load"],
                           note=f"{figures['rendered']} page(s) rendered, {figures['written']} file(s) written").row(), flush=True)
        if "serve" not in steps:
            print("| preview: edit → new text served over HTTP | | | | | | skipped |")
        else:
            measure_serve(root, target, url_path)
        if "floor" not in steps:
            pass
        elif floor_available():
            _, floor = run_step("floor: Jinja2 + Python-Markdown, 2 processes", [
                *me, "--step", "floor", "--root", str(root), "--out", str(work / "floor")], expect_json=True)
            print(f"\nfloor: {floor['files']} Markdown files, {floor['bytes'] / 1e6:.0f} MB of HTML "
                  f"({floor['wall']:.2f} s inside the worker pool)")
        else:
            print("| floor | | | | | | skipped: Python-Markdown is not installed (pip install -e '.[bench]') |")
        print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work / "output", ignore_errors=True)
        if args.root and saved_cache is not None:
            shutil.rmtree(args.root / ".cache", ignore_errors=True)
            shutil.move(saved_cache, args.root / ".cache")
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
