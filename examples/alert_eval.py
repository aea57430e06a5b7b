#!/usr/bin/env python3
"""Score topic-alert sentences on real news against the brief nuggets (a guide, not a truth).

  python3 examples/alert_eval.py ../shared/data/briefs/gold.json alerts.jsonl

alerts.jsonl is what `cargo run --release --example alert_eval` prints. For every nugget whose
evidence article alerts on its topic: does the alert's sentence carry the nugget (every regex
of one alternative matches it, lowercased, as brief_score.py matches), and would the article's
lead have? Over every alert: does the shown sentence name the topic (each topic word, or for a
misspelled or partial name the corpus's spelling, appears in it), and would the lead?
"""
import json, re, sys

gold = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
by = {(r["topic"], r["doc"]): r for r in rows}

def carries(text, nugget):
    t = text.lower()
    return any(all(re.search(p, t) for p in alt) for alt in nugget["any"])

def names(text, topic):
    words = {"lewandowksi": ["lewandowski"]}.get(topic, topic.split())
    t = text.lower()
    return all(w in t for w in words)

hit_alert = hit_lead = reachable = 0
for topic, nuggets in gold["brief"].items():
    for n in nuggets:
        r = by.get((topic, n["_evidence"]["doc"]))
        if r is None:
            continue
        reachable += 1
        hit_alert += carries(r["alert"], n)
        hit_lead += carries(r["lead"], n)
print(f"nuggets whose evidence article alerts: {reachable} of {sum(len(v) for v in gold['brief'].values())}")
print(f"  carried by the alert sentence: {hit_alert}; by the lead: {hit_lead}")
named_alert = sum(names(r["alert"], r["topic"]) for r in rows)
named_lead = sum(names(r["lead"], r["topic"]) for r in rows)
print(f"alerts: {len(rows)}; sentence names the topic: alert {named_alert} ({named_alert / max(1, len(rows)):.3f}), lead {named_lead} ({named_lead / max(1, len(rows)):.3f})")
for topic in list(gold["brief"]) + gold["no_result"]:
    n = sum(1 for r in rows if r["topic"] == topic)
    print(f"  {topic}: {n} articles")
