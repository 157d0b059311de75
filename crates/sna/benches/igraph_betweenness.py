#!/usr/bin/env python3
"""The yardstick of `trama bench sna`: python-igraph's directed betweenness
on the same graph, timed; and, on a graph small enough for NetworkX, a check
that trama's betweenness equals NetworkX's and igraph's, and its closeness,
harmonic centrality NetworkX's and its PageRank igraph's (PRPACK solves it
exactly, as trama does).

Outside the repository (see README.md next to this file):

    python3 -m venv /tmp/igvenv && /tmp/igvenv/bin/pip install igraph networkx

    cargo run --release -p trama -- bench sna --write-edges /tmp/azar.csv
    /tmp/igvenv/bin/python crates/sna/benches/igraph_betweenness.py /tmp/azar.csv

    trama bench sna --nodes 1000 --arcs 5000 --write-edges /tmp/sna1k.csv
    trama sna metrics --edges /tmp/sna1k.csv -o /tmp/sna1k.json
    /tmp/igvenv/bin/python crates/sna/benches/igraph_betweenness.py /tmp/sna1k.csv --check /tmp/sna1k.json

The edge list is `source,target,weight` with a header; betweenness is
unweighted (one hop per arc), as trama's default.
"""

import argparse
import csv
import json
import sys
import time

import igraph as ig


def read_arcs(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(row["source"], row["target"], float(row.get("weight") or 1)) for row in csv.DictReader(f)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edges", help="source,target,weight CSV (trama bench sna --write-edges)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of igraph (default 3)")
    parser.add_argument(
        "--check",
        metavar="REPORT.json",
        help="trama sna metrics JSON of the same file: compare betweenness with NetworkX and igraph",
    )
    args = parser.parse_args()

    arcs = read_arcs(args.edges)
    # Node order: the report's when given (it includes isolates), else first mention.
    report = None
    ids = []
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            report = json.load(f)
        ids = list(report["node_metrics"])
    index = {v: i for i, v in enumerate(ids)}
    for s, t, _ in arcs:
        for v in (s, t):
            if v not in index:
                index[v] = len(ids)
                ids.append(v)
    n = len(ids)
    g = ig.Graph(n=n, edges=[(index[s], index[t]) for s, t, _ in arcs], directed=True)
    print(f"{args.edges}: {n} nodes, {g.ecount()} arcs; python-igraph {ig.__version__}")

    times = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        raw = g.betweenness(directed=True)
        times.append(time.perf_counter() - start)
    print("igraph g.betweenness(directed=True): " + ", ".join(f"{t:.2f} s" for t in times)
          + f" (best {min(times):.2f} s)")

    if report is None:
        return 0
    import networkx as nx

    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    igraph_norm = [b * scale for b in raw]
    dg = nx.DiGraph()
    dg.add_nodes_from(ids)
    dg.add_weighted_edges_from(arcs)
    start = time.perf_counter()
    nxb = nx.betweenness_centrality(dg, normalized=True)
    print(f"networkx {nx.__version__} betweenness_centrality: {time.perf_counter() - start:.2f} s")
    nodes = report["node_metrics"]
    ours = {v: m["betweenness"] for v, m in nodes.items()}
    worst_nx = max(abs(ours[v] - nxb[v]) for v in ids)
    worst_ig = max(abs(ours[v] - igraph_norm[i]) for i, v in enumerate(ids))
    exact = sum(ours[v] == nxb[v] for v in ids)
    print(f"betweenness, trama vs networkx: max |difference| {worst_nx:.3g}, {exact} of {n} bit-identical")
    print(f"betweenness, trama vs igraph:   max |difference| {worst_ig:.3g}")
    worst = max(worst_nx, worst_ig)
    # NetworkX's PageRank stops about 1e-7 short of the fixed point and needs
    # SciPy; igraph's PRPACK solves for it, as trama does, with the same
    # treatment of dangling nodes.
    weights = [w for _, _, w in arcs]
    pagerank = g.pagerank(directed=True, damping=0.85, weights=weights)
    others = {
        ("closeness", "networkx"): nx.closeness_centrality(dg),
        ("harmonic", "networkx"): nx.harmonic_centrality(dg),
        ("pagerank", "igraph"): {v: pagerank[i] for i, v in enumerate(ids)},
    }
    for (key, whose), theirs in others.items():
        diff = max(abs(nodes[v][key] - theirs[v]) / max(1.0, abs(theirs[v])) for v in ids)
        print(f"{key}, trama vs {whose}: max relative difference {diff:.3g}")
        worst = max(worst, diff)
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
