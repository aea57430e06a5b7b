#!/usr/bin/env python3
"""Runs the shared scorers on real data against a release build and fails below the floors.

Usage: python3 .ci/scores.py BIN [SHARED_DIR]

The floors live in .ci/floors.json. They are the figures reached, rounded down a little, so
quality only moves up: raise a floor when a change raises its figure, never lower one to land
a change. Every figure is printed, so the CI log shows where each stands against its floor.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def run(cmd):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if p.returncode != 0 and "--min-recall" not in cmd:
        sys.stdout.write(p.stdout[-4000:])
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"scorer failed with exit {p.returncode}: {' '.join(cmd[:3])}")
    return p.stdout


def quotes(bin_, shared):
    out = run(["python3", f"{shared}/eval/quote_score.py", "--bin", bin_, f"{shared}/data/polnear", "--json"])
    fig = json.loads(out.strip().splitlines()[-1])
    figs = {}
    for k in ("f1", "precision", "recall", "speaker_acc", "attributed_precision", "attributed_f1"):
        figs[k] = round(fig["all"][k], 4)
    # Speaker accuracy where the gold speaker is a name in the annotated source span.
    figs["speaker_acc_source_name"] = round(fig["speaker_by_method"]["source_name"]["speaker_acc"], 4)
    return figs, out


def briefs(bin_, shared):
    out = run(["python3", f"{shared}/eval/brief_score.py", "--bin", bin_, f"{shared}/data/briefs", "--json"])
    line = next(l for l in out.splitlines() if l.startswith("{"))
    bot = json.loads(line)["briefbot"]
    return {"recall": bot["recall"], "problems": bot["problems"]}, out


def extraction(bin_, shared):
    out = run(["python3", f"{shared}/eval/extraction_score.py", "--bin", bin_, f"{shared}/data/extraction", "--jobs", "2"])
    figs = {}
    m = re.search(r"^all\s+\d+\s+([\d.]+)", out, re.M)
    figs["f1"] = float(m.group(1))
    m = re.search(r"refused \(no article stored, scored as empty\): (\d+)", out)
    figs["refused"] = int(m.group(1)) if m else 0
    m = re.search(r"titles \(\d+ pages with an expected title\): exact \d+ \(([\d.]+)%\)", out)
    if m:
        figs["titles_exact"] = float(m.group(1)) / 100
    return figs, out


def main():
    bin_ = os.path.abspath(sys.argv[1])
    shared = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "../shared")
    if not os.path.isdir(f"{shared}/data"):
        raise SystemExit(f"{shared}/data is missing: the real-data scorers cannot run (CI provides it)")
    floors = json.load(open(os.path.join(os.path.dirname(__file__), "floors.json")))
    bad = []
    for name, fn in (("quotes", quotes), ("briefs", briefs), ("extraction", extraction)):
        figs, out = fn(bin_, shared)
        for line in out.splitlines():
            if re.match(r"^(all|direct|dev|train|briefs|pages:|titles|refused)", line):
                print("  " + line[:300])
        for key, floor in floors.get(name, {}).items():
            if key.startswith("_"):
                continue
            got = figs.get(key)
            if got is None:
                bad.append(f"{name}.{key}: the scorer printed no such figure")
                continue
            # `problems` and `refused` are ceilings: fewer is better.
            ok = got <= floor if key in ("problems", "refused") else got >= floor
            print(f"{'ok ' if ok else 'LOW'} {name}.{key} = {got} ({'ceiling' if key in ('problems', 'refused') else 'floor'} {floor})")
            if not ok:
                bad.append(f"{name}.{key} = {got}, floor {floor}")
    if bad:
        raise SystemExit("below the floors: " + "; ".join(bad))
    print("scores: every figure at or above its floor")


if __name__ == "__main__":
    main()
