#!/usr/bin/env python3
"""Mutation campaign: seeded, structure-aware mutants of the bundled scenarios and sweeps,
each fed to the peacesim binary. Stable toolchain only (the libFuzzer target needs nightly).

    python3 fuzz/mutate.py target/release/peacesim --mutants 10000 --seed 1 --out /tmp/campaign

Scenario mutants: `validate FILE`; then `run FILE --ticks 1 --out OUT` when refused (it must
                  refuse too, writing nothing) or when accepted and small (at most --run-cells
                  cells and --run-citizens citizens: a big accepted map is a valid, long run).
Sweep mutants:    `sweep FILE --shard 0/1000000 --threads 1 --quiet --out OUT` (loads and
                  validates every point, runs at most one).
Contract checked for every mutant: no panic (exit 101), no abort or signal, no hang over
--timeout seconds; exit 0 or 2 only; on exit 2, a located message (FILE:LINE:COLUMN:) and
nothing written under OUT; `run` agrees with `validate`. Failing mutants are kept in
OUT/failures/ with the command and its stderr. See docs/NOTES.md, "Fuzzing".

Mutations (1 to 4 per mutant, chosen by a seeded random.Random):
  value   a `key = value` line gets an edge value of its kind (integers at 0, -1, 2^31, 2^32-1,
          2^63-1, ... ; floats at nan, inf, 1e308, ...; strings empty, 300 chars, non-ASCII,
          another name from the file) or of another kind;
  delete  a line, or a whole [table] / [[array]] block;
  dup     a [[array]] block repeated 1 to 60 times (duplicate names, many units);
  insert  a key from elsewhere in the file, or an unknown key, into a table;
  bytes   flip, insert or delete a few bytes, or truncate the file.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

INTS = [0, -1, 1, 2, 7, 255, 256, 65535, 65536, 1000000, 1000001, 10000000, 10000001, 14142,
        2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**53 + 1, 2**63 - 1, -2**63, 2**64]
FLOATS = ["0.0", "-0.0", "1.0", "-1.0", "0.5", "2.0", "100.0", "101.0", "1e-300", "1e308",
          "-1e308", "nan", "inf", "-inf", "0.999999", "1.0000001"]
STRINGS = ['""', '"' + "a" * 300 + '"', '"é"', '"a b"', '"../x"', '"\\u0000"', '"' + "x" * 64 + '"',
           '"' + "y" * 65 + '"', '"ℵ"', '"none"']
OTHER = ["true", "false", "[]", "{}", '["d"]', "[1, 2]", "1979-05-27T07:32:00Z", "[[]]"]
KEY_LINE = re.compile(r'^(\s*)([A-Za-z0-9_."-]+)(\s*=\s*)(.+?)\s*$')
HEADER = re.compile(r'^\s*\[\[?([^\]]+)\]\]?\s*$')


def blocks(lines):
    """(start, end) line ranges of each [table] or [[array]] block."""
    starts = [i for i, l in enumerate(lines) if HEADER.match(l)]
    return [(s, (starts[k + 1] if k + 1 < len(starts) else len(lines))) for k, s in enumerate(starts)]


def edge_value(rng, old, names):
    v = old.strip()
    pick = rng.random()
    if pick < 0.15:
        return rng.choice(OTHER + STRINGS + [str(rng.choice(INTS)), rng.choice(FLOATS)])
    if re.fullmatch(r'[+-]?\d[\d_]*', v):
        r = rng.random()
        if r < 0.7:
            return str(rng.choice(INTS))
        return str(int(v.replace("_", "")) * rng.choice([2, 10, 1000, -1]))
    if re.fullmatch(r'[+-]?[\d_.eE+-]+|nan|inf', v):
        return rng.choice(FLOATS)
    if v.startswith('"'):
        if names and rng.random() < 0.4:
            return '"' + rng.choice(names) + '"'
        return rng.choice(STRINGS)
    if v in ("true", "false"):
        return "false" if v == "true" else "true"
    if v.startswith("["):
        items = [x.strip() for x in v.strip("[]").split(",") if x.strip()]
        r = rng.random()
        if r < 0.3:
            return "[]"
        if r < 0.6 and items:
            return "[" + ", ".join(items * rng.choice([2, 10, 100])) + "]"
        if items:
            return "[" + ", ".join(edge_value(rng, items[0], names) for _ in items) + "]"
    return rng.choice(OTHER)


def mutate_once(rng, text):
    lines = text.split("\n")
    names = re.findall(r'^\s*name\s*=\s*"([^"]*)"', text, re.M)
    kind = rng.choices(["value", "delete", "dup", "insert", "bytes", "map"],
                       weights=[45, 12, 12, 10, 11, 10])[0]
    keyed = [i for i, l in enumerate(lines) if KEY_LINE.match(l) and not l.lstrip().startswith("#")]
    if kind == "value" and keyed:
        i = rng.choice(keyed)
        m = KEY_LINE.match(lines[i])
        lines[i] = m.group(1) + m.group(2) + m.group(3) + edge_value(rng, m.group(4), names)
    elif kind == "delete":
        bs = blocks(lines)
        if bs and rng.random() < 0.4:
            s, e = rng.choice(bs)
            del lines[s:e]
        elif keyed:
            del lines[rng.choice(keyed)]
    elif kind == "dup":
        arrays = [b for b in blocks(lines) if lines[b[0]].lstrip().startswith("[[")]
        if arrays:
            s, e = rng.choice(arrays)
            block = lines[s:e]
            at = rng.choice([e, len(lines)])
            lines[at:at] = block * rng.choice([1, 1, 2, 5, 60])
    elif kind == "insert":
        bs = blocks(lines)
        if bs and keyed:
            s, _ = rng.choice(bs)
            donor = lines[rng.choice(keyed)]
            if rng.random() < 0.3:
                donor = "speed = 3"
            lines.insert(s + 1, donor.strip())
    elif kind == "map":
        # Sizes: the map block, rows, width/height, ticks, counts.
        choice = rng.random()
        text2 = "\n".join(lines)
        if choice < 0.3:
            text2 = re.sub(r'(?m)^(\s*block\s*=\s*).*$', lambda m: m.group(1) + str(rng.choice(INTS)), text2)
            text2 = re.sub(r'(?m)^(\s*(width|height)\s*=\s*).*$', lambda m: m.group(1) + str(rng.choice(INTS)), text2)
        elif choice < 0.6:
            text2 = re.sub(r'(?m)^(\s*(ticks|count|population|tick|duration|trip_ticks)\s*=\s*).*$',
                           lambda m: m.group(1) + str(rng.choice(INTS)) if rng.random() < 0.5 else m.group(0), text2)
        else:
            text2 = re.sub(r'(?m)^(\s*")([^"\n]*)(",?\s*)$',
                           lambda m: m.group(1) + m.group(2) * rng.choice([1, 2, 50]) + m.group(3), text2)
        return text2
    else:  # bytes
        data = bytearray("\n".join(lines).encode("utf-8", errors="surrogateescape"))
        for _ in range(rng.randint(1, 4)):
            if not data:
                break
            r = rng.random()
            p = rng.randrange(len(data))
            if r < 0.4:
                data[p] = rng.choice(b'[]{}=".,#\n 0123456789-_a\\\'') if rng.random() < 0.8 else rng.randrange(256)
            elif r < 0.7:
                data[p:p] = bytes(rng.choice([b"[", b"]", b"=", b'"', b"\n", b"[[units]]\n", b"\xff", b"{"]))
            elif r < 0.9:
                del data[p:p + rng.randint(1, 20)]
            else:
                del data[p:]
        return data.decode("utf-8", errors="surrogateescape")
    return "\n".join(lines)


VALIDATE_STDOUT = [""]


def run(cmd, cwd, timeout):
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
        VALIDATE_STDOUT[0] = p.stdout.decode("utf-8", "replace")
        return p.returncode, p.stderr.decode("utf-8", "replace"), time.monotonic() - t0
    except subprocess.TimeoutExpired:
        return "hang", "", time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--mutants", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--out", default="fuzz/campaign-out")
    ap.add_argument("--kinds", default="scenario,sweep", help="which seed files: scenario, sweep or both")
    ap.add_argument("--run-cells", type=int, default=1_000_000)
    ap.add_argument("--run-citizens", type=int, default=100_000)
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    repo = os.path.abspath(args.repo)
    os.makedirs(os.path.join(args.out, "failures"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="peacesim-mutants-")
    for d in ["scenarios", "benches"]:
        shutil.copytree(os.path.join(repo, d), os.path.join(work, d),
                        ignore=shutil.ignore_patterns("mesa", "*.rs"))
    seeds = []
    for root, _, files in os.walk(work):
        for f in sorted(files):
            if f.endswith(".toml"):
                p = os.path.join(root, f)
                kind = "sweep" if os.sep + "sweeps" + os.sep in p else "scenario"
                if kind in args.kinds.split(","):
                    seeds.append((p, kind, open(p, encoding="utf-8").read()))
    seeds.sort()
    rng = random.Random(args.seed)
    stats = {"mutants": 0, "scenario": 0, "sweep": 0, "accepted": 0, "refused": 0,
             "panics": 0, "aborts": 0, "hangs": 0, "unlocated": 0, "wrote_on_refusal": 0,
             "disagree": 0, "other_exit": 0, "accepted_not_run": 0, "slowest_s": 0.0}
    started = time.monotonic()
    for n in range(args.mutants):
        path, kind, text = rng.choice(seeds)
        mutant = text
        for _ in range(rng.randint(1, 4)):
            mutant = mutate_once(rng, mutant)
        name = f"mutant-{n}.toml"
        mpath = os.path.join(os.path.dirname(path), name)
        with open(mpath, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(mutant)
        out = os.path.join(work, "out")
        shutil.rmtree(out, ignore_errors=True)
        rel = os.path.relpath(mpath, work)
        if kind == "scenario":
            cmds = [[binary, "validate", rel], [binary, "run", rel, "--ticks", "1", "--out", "out"]]
        else:
            cmds = [[binary, "sweep", rel, "--shard", "0/1000000", "--threads", "1", "--quiet", "--out", "out"]]
        codes = []
        problems = []
        for cmd in cmds:
            if cmd[1] == "run" and codes == [0]:
                m = re.search(r"(\d+)×(\d+) map, \d+ districts, (\d+) citizens", out_text)
                if not m or int(m[1]) * int(m[2]) > args.run_cells or int(m[3]) > args.run_citizens:
                    stats["accepted_not_run"] += 1
                    break
            code, err, secs = run(cmd, work, args.timeout)
            out_text = err if cmd[1] != "validate" else VALIDATE_STDOUT[0]
            stats["slowest_s"] = max(stats["slowest_s"], round(secs, 2))
            codes.append(code)
            if code == "hang":
                problems.append("hangs")
            elif code == 101 or "panicked" in err:
                problems.append("panics")
            elif isinstance(code, int) and (code < 0 or code > 2):
                problems.append("aborts")
            elif code == 2:
                if not re.search(re.escape(name) + r":\d+:\d+: ", err):
                    problems.append("unlocated")
                if os.path.exists(out):
                    problems.append("wrote_on_refusal")
            elif code not in (0, 2):
                problems.append("other_exit")
        if len(codes) == 2 and codes[0] in (0, 2) and codes[1] in (0, 2) and codes[0] != codes[1]:
            problems.append("disagree")
        stats["mutants"] += 1
        stats[kind] += 1
        stats["refused" if 2 in codes else "accepted"] += 1
        for p in set(problems):
            stats[p] += 1
        if problems:
            keep = os.path.join(args.out, "failures", f"{n}-{'-'.join(sorted(set(problems)))}.toml")
            with open(keep, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(mutant)
            with open(keep + ".txt", "w") as f:
                f.write(f"seed file: {os.path.relpath(path, work)}\ncodes: {codes}\n{err}\n")
        os.remove(mpath)
        if (n + 1) % 500 == 0:
            print(f"{n + 1} mutants, {time.monotonic() - started:.0f} s: {json.dumps(stats)}", flush=True)
    stats["seconds"] = round(time.monotonic() - started, 1)
    stats["seed"] = args.seed
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats))
    shutil.rmtree(work, ignore_errors=True)
    bad = sum(stats[k] for k in ["panics", "aborts", "hangs", "unlocated", "wrote_on_refusal", "disagree", "other_exit"])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
