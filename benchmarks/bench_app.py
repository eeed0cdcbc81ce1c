"""How fast the app reacts, driven with Pilot on the shipped model. Prints figures, no asserts.

1. Edit-to-update latency: a 5 KB posting is loaded; then, many times, one key is typed into
   the editor and we time from the key press until the verdict and highlights show the
   result of the edited text (debounce + scoring + rendering). Target: median <= 50 ms.
2. Launch to ready-for-input: from creating the app (imports done) to the first frame with the
   editor focused, and to the first verdict on screen. Target: 1.5 s. Also the cold import
   time of jdlens.tui.app, measured in a fresh interpreter.
3. A 50 KB posting: the same edit latency, to show it stays responsive.

Run: python benchmarks/bench_app.py [--model PATH] [--edits N]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARA = """Account Executive, Mid-Market. You will prospect into a territory of manufacturers,
build pipeline through cold calls, email and events, run discovery and demos, and close new
logos against a quarterly new-business quota. After 90 days accounts move to an account
manager, who owns renewals, upsell and quarterly business reviews with existing customers.
Pay: 60/40 base and variable, uncapped commission on new business, accelerators over plan.
"""


def posting(size: int) -> str:
    text = ""
    i = 0
    while len(text) < size:
        i += 1
        text += f"Section {i}\n" + PARA + "\n"
    return text[:size]


def pct(values, q):
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


async def wait_updated(app, gen: int, timeout: float = 5.0) -> float:
    t_end = time.perf_counter() + timeout
    while app.shown_generation < gen:
        if time.perf_counter() > t_end:
            raise TimeoutError("the app did not update")
        await asyncio.sleep(0.0005)
    return app.last_update


def watch_paints(app) -> list:
    """Record (time, generation on screen) every time the app writes a frame."""
    paints = []
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        paints.append((time.perf_counter(), app.shown_generation))
    app._display = display
    return paints


async def wait_painted(app, paints: list, gen: int, timeout: float = 5.0) -> float:
    t_end = time.perf_counter() + timeout
    while True:
        for t, g in reversed(paints):
            if g >= gen:
                return t
        if time.perf_counter() > t_end:
            raise TimeoutError("the app did not repaint")
        await asyncio.sleep(0.0005)


async def edit_latency(model_path, size: int, edits: int) -> tuple[list[float], list[float], list[float]]:
    """(key -> results applied, key -> results painted, key -> first frame) in seconds, per edit.

    The key is delivered like the terminal driver does (a Key event posted to the app), not
    with Pilot.press, which also waits for the app to go idle and would time Pilot itself.
    """
    from textual import events

    from jdlens.tui.app import JdlensApp
    app = JdlensApp(posting(size), model_path=model_path)
    applied, painted, echoed = [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_updated(app, 1, timeout=30)
        await pilot.pause()
        paints = watch_paints(app)
        for i in range(edits):
            app.editor.move_cursor((0, 0))
            await pilot.pause(0.05)          # a typist's gap between keys
            gen = app.generation + 1
            paints.clear()
            t0 = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            t_apply = await wait_updated(app, gen)
            t_paint = await wait_painted(app, paints, gen)
            echoed.append(paints[0][0] - t0 if paints else float("nan"))
            applied.append(t_apply - t0)
            painted.append(t_paint - t0)
    return applied, painted, echoed


async def launch(model_path) -> tuple[float, float]:
    from jdlens.tui.app import JdlensApp
    t0 = time.perf_counter()
    app = JdlensApp(None, model_path=model_path)
    async with app.run_test(size=(120, 40)):
        while app.ready_at is None:
            await asyncio.sleep(0.001)
        ready = app.ready_at - t0
        await wait_updated(app, 1, timeout=30)
        first = app.last_update - t0
    return ready, first


def cold_import() -> float:
    code = "import time; t=time.perf_counter(); import jdlens.tui.app; print(time.perf_counter()-t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, cwd=ROOT).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "default.joblib"))
    ap.add_argument("--edits", type=int, default=40)
    a = ap.parse_args()

    imp = cold_import()
    ready, first = asyncio.run(launch(a.model))
    print(f"cold import of jdlens.tui.app:       {imp * 1000:7.0f} ms")
    print(f"launch -> ready for input (1st frame): {ready * 1000:7.0f} ms   "
          f"(+ import: {(imp + ready) * 1000:.0f} ms; target 1500 ms)")
    print(f"launch -> first verdict on screen:     {first * 1000:7.0f} ms   (+ import: {(imp + first) * 1000:.0f} ms)")

    for size, label in ((5_000, "5 KB"), (50_000, "50 KB")):
        applied, painted, echoed = asyncio.run(edit_latency(a.model, size, a.edits if size <= 5000 else max(10, a.edits // 4)))
        print(f"{label:>5} posting, key -> verdict+highlights updated: median {statistics.median(applied) * 1000:6.1f} ms, "
              f"p90 {pct(applied, 0.9) * 1000:6.1f} ms; -> painted on screen: median "
              f"{statistics.median(painted) * 1000:6.1f} ms, p90 {pct(painted, 0.9) * 1000:6.1f} ms "
              f"(n={len(applied)}{'; target median 50 ms' if size == 5000 else ''}); "
              f"key echoed in the editor: median {statistics.median(echoed) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
