#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Summarises bench/imap.sh's runs (and bench/pop3.sh's table).

    report.py OUTDIR

Reads OUTDIR/imap.csv, writes OUTDIR/report.md (printed too), the summary
OUTDIR/report.csv (n,scenario,metric,client,runs,median,min,max,pons_ratio)
and OUTDIR/first-screen.dat for bench/plot.gp.  Every figure is the median
of the runs with their min and max; pons_ratio is pons's median over the
client's (below 1: pons is faster or smaller).  A metric pons could not be
measured on reads n/a.  For the minimal client the time is all headers
fetched (no screen) and its peak RSS, compared with pons-sync: the
batch `pons imap-sync INBOX` (login, select, every message's index fields
into pons's cache, exit) timed as a whole the same way.  min-tui is the
minimal client run in a pane like the TUI clients (launch -> its count on
screen once it is done), compared with pons's TUI all headers.  All
headers against the floors is also given round by round: the median of
each round's ratio.
"""
import csv
import os
import statistics
import sys

SCEN = ["cold", "warm", "changed", "new", "flag", "nav"]
SCEN_NAME = {
    "cold": "1 cold open",
    "warm": "2 warm open",
    "changed": "3 warm, 1% changed",
    "new": "4 new mail",
    "flag": "5 remote flag",
    "nav": "7 index navigation",
}
METRICS = ["first_screen_s", "all_headers_s", "latency_s", "idle_s",
           "over_idle_s", "keys_s", "help_s", "per_key_ms", "rss_mb"]
CLIENTS = ["pons", "pons-sync", "min", "min-tui", "mutt", "neomutt"]


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/results"
    data = {}	# (n, scenario, metric, client) -> [values or None]
    runs = {}	# (n, client, run, scenario) -> {metric: value}
    path = os.path.join(out, "imap.csv")
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.DictReader(f):
                n, c, s, m = int(row["n"]), row["client"], row["scenario"], \
                    row["metric"]
                v = num(row["value"])
                if m == "rss_kb":
                    m, v = "rss_mb", None if v is None else v / 1024
                data.setdefault((n, s, m, c), []).append(v)
                runs.setdefault((n, c, row["run"], s), {})[m] = v
    for (n, c, r, s), d in runs.items():
        if d.get("latency_s") is not None and d.get("idle_s") is not None:
            data.setdefault((n, s, "over_idle_s", c), []).append(
                d["latency_s"] - d["idle_s"])
        # Scenario 7: the keys' share of the time, per key (the help
        # screen alone, timed in the same session, taken off).
        if s == "nav" and "keys_s" in d:
            k, h, cnt = d.get("keys_s"), d.get("help_s"), d.get("keys")
            data.setdefault((n, s, "per_key_ms", c), []).append(
                None if None in (k, h) or not cnt
                else (k - h) / cnt * 1000)

    def med(key):
        vals = [v for v in data.get(key, []) if v is not None]
        return statistics.median(vals) if vals else None

    rows = []
    for n in sorted({k[0] for k in data}):
        for s in SCEN:
            for m in METRICS:
                for c in CLIENTS:
                    vals = data.get((n, s, m, c))
                    if vals is None:
                        continue
                    ok = [v for v in vals if v is not None]
                    md = med((n, s, m, c))
                    # pons's side: the TUI, but against the floor (no
                    # screen) the batch sync (pons imap-sync).
                    pc = "pons-sync" if c == "min" else "pons"
                    pm = med((n, s, m, pc))
                    ratio = (pm / md) if pm is not None and md and \
                        pm > 0 and md > 0 and m != "idle_s" else None
                    if c in ("pons", "pons-sync"):
                        ratio = None
                    rows.append([n, s, m, c, len(ok), md,
                                 min(ok) if ok else None,
                                 max(ok) if ok else None, ratio])

    def f(v, fmt="%.3f"):
        return "n/a" if v is None else fmt % v

    with open(os.path.join(out, "report.csv"), "w", newline="") as fo:
        w = csv.writer(fo)
        w.writerow(["n", "scenario", "metric", "client", "runs", "median",
                    "min", "max", "pons_ratio"])
        for r in rows:
            w.writerow(r[:5] + [f(x, "%.4f") for x in r[5:]])

    # The compact view first: one row a figure, one column a client.
    md = []
    mach = os.path.join(out, "machine.txt")
    if os.path.exists(mach):
        md += ["## Machine", "", "```"]
        with open(mach) as fm:
            md += fm.read().rstrip("\n").split("\n")
        md += ["```", ""]
    ratio_of = {"mutt": "pons/Mutt", "neomutt": "pons/NeoMutt",
                "min": "pons-sync/min", "min-tui": "pons/min-tui"}
    md += ["## IMAP at a glance", "",
           "Median [min-max] seconds (rss_mb: MB; per_key_ms: ms) over the "
           "runs.  first_screen_s: launch to the newest subject on screen; "
           "all_headers_s: for the TUI clients launch to the status line "
           "counting every message, for pons-sync and min the whole "
           "batch run (no screen).  Ratios are of the medians (below 1: "
           "pons is faster or smaller); against min pons's side is "
           "pons-sync; min-tui is min run in a pane like the TUI clients "
           "(launch to its count on screen), against pons's TUI.", "",
           "| N | scenario | metric | " + " | ".join(CLIENTS) + " | " +
           " | ".join(ratio_of.values()) + " |",
           "|---|---|---|" + "---|" * (len(CLIENTS) + len(ratio_of))]
    seen = []
    for r in rows:
        if r[:3] not in seen:
            seen.append(r[:3])
    for n, s, m in seen:
        cells = []
        for c in CLIENTS:
            vals = [v for v in data.get((n, s, m, c), []) if v is not None]
            if (n, s, m, c) not in data:
                cells.append("")
            elif not vals:
                cells.append("n/a")
            else:
                cells.append("%s [%s-%s]" % (f(statistics.median(vals)),
                                             f(min(vals)), f(max(vals))))
        for c in ratio_of:
            pc = "pons-sync" if c == "min" else "pons"
            pm, cm = med((n, s, m, pc)), med((n, s, m, c))
            # A ratio of latencies over Dovecot's own (which can be
            # negative) or of Dovecot's own means nothing.
            cells.append(f(pm / cm, "%.2f") if pm is not None and cm
                         and pm > 0 and cm > 0 and m != "idle_s" else "")
        md.append("| %d | %s | %s | %s |" % (n, SCEN_NAME[s], m,
                                             " | ".join(cells)))
    # Against the floor round by round: the machine's speed can move
    # between rounds by more than the difference measured, and each
    # round runs the clients back to back.
    pairs = [("pons-sync", "min"), ("pons", "min"), ("pons", "min-tui")]
    lines = []
    for n in sorted({k[0] for k in data}):
        cells = []
        for a, b in pairs:
            rs = []
            for (rn, rc, rr, rs_) in runs:
                if rn != n or rc != a or rs_ != "cold":
                    continue
                x = runs[(rn, rc, rr, rs_)].get("all_headers_s")
                y = runs.get((rn, b, rr, rs_), {}).get("all_headers_s")
                if x and y:
                    rs.append(x / y)
            cells.append("%.2f [%.2f-%.2f]" % (statistics.median(rs),
                         min(rs), max(rs)) if rs else "")
        if any(cells):
            lines.append("| %d | %s |" % (n, " | ".join(cells)))
    if lines:
        md += ["", "## All headers against the floor, round by round", "",
               "Cold open, all_headers_s: the median [min-max] of each "
               "round's ratio (the clients of a round run back to back, "
               "so a machine whose speed moves between rounds moves both "
               "sides).", "",
               "| N | " + " | ".join("%s/%s" % p for p in pairs) + " |",
               "|---|" + "---|" * len(pairs)] + lines
    md += ["", "## IMAP (scenarios 1-5, 7)", "",
          "Median of the runs (min, max); pons/client is the ratio of the "
          "medians; min is the minimal client (all headers, no screen), "
          "compared with pons-sync (the batch `pons imap-sync INBOX`: all "
          "headers into pons's cache, no screen).", "",
          "| N | scenario | metric | client | runs | median | min | max "
          "| pons/client |",
          "|---|---|---|---|---|---|---|---|---|"]
    for n, s, m, c, k, a, lo, hi, ratio in rows:
        md.append("| %d | %s | %s | %s | %d | %s | %s | %s | %s |" % (
            n, SCEN_NAME[s], m, c, k, f(a), f(lo), f(hi),
            f(ratio, "%.2f")))
    pop = os.path.join(out, "pop3.md")
    if os.path.exists(pop):
        md += ["", "## POP3 download (scenario 6)", ""]
        with open(pop) as fp:
            md += fp.read().rstrip("\n").split("\n")
    ui = os.path.join(out, "bench-ui.txt")
    if os.path.exists(ui):
        md += ["", "## pons in process (bench/bench-ui)", "",
               "CPU per key of the index screen over a synthetic folder, "
               "ncurses writing to /dev/null:", "", "```"]
        with open(ui) as fu:
            md += fu.read().rstrip("\n").split("\n")
        md += ["```"]
    text = "\n".join(md) + "\n"
    with open(os.path.join(out, "report.md"), "w") as fo:
        fo.write(text)
    sys.stdout.write(text)

    with open(os.path.join(out, "first-screen.dat"), "w") as fo:
        fo.write("N pons mutt neomutt min(all-headers) pons-sync(all-headers)"
                 " pons(all-headers)\n")
        for n in sorted({k[0] for k in data}):
            vals = [med((n, "cold", "first_screen_s", c))
                    for c in ("pons", "mutt", "neomutt")]
            vals.append(med((n, "cold", "all_headers_s", "min")))
            vals.append(med((n, "cold", "all_headers_s", "pons-sync")))
            vals.append(med((n, "cold", "all_headers_s", "pons")))
            fo.write("%d %s\n" % (n, " ".join(f(v, "%.4f").replace(
                "n/a", "NaN") for v in vals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
