"""Writes the dashboard JSON files. Usage: python3 grafana/generator/build.py grafana/dashboards"""
import json, sys, os
sys.path.insert(0, os.path.dirname(__file__))
import claude_code, self_monitoring
out = sys.argv[1]
for name, d in (("claude-code-usage.json", claude_code.DASHBOARD), ("tally-self-monitoring.json", self_monitoring.DASHBOARD)):
    with open(os.path.join(out, name), "w") as fh:
        json.dump(d, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    print(name, len(d["panels"]), "panels")
