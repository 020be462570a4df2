#!/usr/bin/env python3
"""Cross-checks Tally's own PromQL test scripts against Prometheus 2.42's promtool.

Usage: promtool_oracle.py check FILE.test   -> prints every eval whose expectation differs from promtool
       promtool_oracle.py fill FILE.test    -> prints FILE with each eval's result lines replaced by promtool's

Every eval (range evals step by step) becomes a `promtool test rules` case over the load block of its
section (sections are separated by `clear`; each section needs exactly one load block). Prometheus 2.42
differs from 3.x in known ways (left-open windows, rate/increase extrapolation order since 2.51, ...),
so a difference is a prompt to reason about the case, not automatically a bug.
"""
import math
import re
import subprocess
import sys
import tempfile

DUR = re.compile(r'(\d+)(ms|y|w|d|h|m|s)')
UNIT_MS = {'y': 365 * 86400000, 'w': 7 * 86400000, 'd': 86400000, 'h': 3600000, 'm': 60000, 's': 1000, 'ms': 1}


def dur_ms(s):
    if s == '0':
        return 0
    total, pos = 0, 0
    for m in DUR.finditer(s):
        if m.start() != pos:
            raise ValueError(s)
        total += int(m.group(1)) * UNIT_MS[m.group(2)]
        pos = m.end()
    if pos != len(s):
        raise ValueError(s)
    return total


def fmt_dur(ms):
    return f'{ms}ms'


def parse(path):
    """Sections of (load interval, series lines) and evals with their line numbers."""
    lines = [l.strip() for l in open(path).read().split('\n')]
    lines = ['' if l.startswith('#') else l for l in lines]
    sections = [{'interval': None, 'series': [], 'evals': []}]
    i = 0
    while i < len(lines):
        l = lines[i]
        if not l:
            i += 1
            continue
        if l == 'clear':
            sections.append({'interval': None, 'series': [], 'evals': []})
            i += 1
            continue
        block = [l]
        j = i + 1
        while j < len(lines) and lines[j]:
            block.append(lines[j])
            j += 1
        if l.startswith('load'):
            sec = sections[-1]
            iv = l.split()[1]
            if sec['interval'] not in (None, iv):
                raise SystemExit(f'{path}:{i + 1}: one load interval per section, please')
            sec['interval'] = iv
            sec['series'] += block[1:]
        elif l.startswith('eval'):
            m = re.match(r'eval instant at (\S+) (.+)$', l)
            if m:
                times = [dur_ms(m.group(1))]
                expr = m.group(2)
                rng = None
            else:
                m = re.match(r'eval range from (\S+) to (\S+) step (\S+) (.+)$', l)
                s, e, st = dur_ms(m.group(1)), dur_ms(m.group(2)), dur_ms(m.group(3))
                times = list(range(s, e + 1, st))
                expr = m.group(4)
                rng = (s, e, st)
            sections[-1]['evals'].append({'line': i + 1, 'end': j, 'header': l, 'expr': expr, 'times': times,
                                          'range': rng, 'body': block[1:]})
        i = j
    return lines, sections


def split_series(line):
    depth, quote = 0, None
    for k, c in enumerate(line):
        if quote:
            if c == '\\':
                continue
            if c == quote:
                quote = None
        elif c in '"\'`':
            quote = c
        elif c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return line[:k + 1], line[k + 1:].strip()
        elif c in ' \t' and depth == 0:
            return line[:k], line[k:].strip()
    return line, ''


def yaml_str(s):
    return "'" + s.replace("'", "''") + "'"


def run_promtool(sections):
    """Returns {(eval line, time ms): [(labels, value)]} or an error string per key."""
    out = {}
    for sec in sections:
        if not sec['evals']:
            continue
        if any(UTF8_NAME.search(l) for l in sec['series']) or any(UTF8_NAME.search(ev['expr']) for ev in sec['evals']):
            print(f"# section with UTF-8 names skipped: promtool 2.42 cannot parse them", file=sys.stderr)
            sec['evals'] = []
            continue
        y = ['rule_files: []', 'evaluation_interval: 1m', 'tests:', f"  - interval: {sec['interval'] or '1m'}",
             '    input_series:']
        for s in sec['series']:
            name, vals = split_series(s)
            y += [f'      - series: {yaml_str(name)}', f'        values: {yaml_str(vals)}']
        if not sec['series']:
            y[-1] = '    input_series: []'
        y.append('    promql_expr_test:')
        keys = []
        for ev in sec['evals']:
            if ev['body'] and ev['body'][0].startswith('expect fail'):
                continue
            for t in ev['times']:
                y += [f"      - expr: {yaml_str(ev['expr'])}", f'        eval_time: {fmt_dur(t)}',
                      '        exp_samples:', "          - labels: '{__oracle__=\"x\"}'", '            value: 0']
                keys.append((ev['line'], t, ev['expr']))
        with tempfile.NamedTemporaryFile('w', suffix='.yml', delete=False) as f:
            f.write('\n'.join(y) + '\n')
        res = subprocess.run(['promtool', 'test', 'rules', f.name], capture_output=True, text=True)
        text = res.stdout + res.stderr
        blocks = re.split(r'\n\s*expr: ', text)
        got = []
        for b in blocks[1:]:
            m = re.search(r'got: (.*)', b)
            if m:
                got.append(m.group(1).strip())
            else:
                e = re.search(r'err: (.*)|error: (.*)', b)
                got.append('ERROR ' + (b.strip().replace('\n', ' ')))
        if len(got) != len(keys):
            raise SystemExit('promtool output not understood:\n' + text)
        for k, g in zip(keys, got):
            out[(k[0], k[1])] = g
    return out


UTF8_NAME = re.compile(r'\{\s*"|,\s*"[^"]*"\s*[=!]|\b(by|without)\s*\(\s*"')
SAMPLE = re.compile(r'(\{[^}]*\}) ([^,\s]+)')


def parse_got(g):
    if g.startswith('ERROR') or g == 'nil':
        return g
    res = []
    for m in SAMPLE.finditer(g):
        res.append((m.group(1), float(m.group(2))))
    return res


def short(v):
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return '+Inf' if v > 0 else '-Inf'
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def pretty_labels(l):
    m = re.match(r'\{__name__="([^"]+)"(?:, )?(.*)\}$', l)
    if m:
        return m.group(1) + '{' + m.group(2) + '}'
    return l


def results_for(ev, got):
    """Expected result lines (as promtool sees them) for one eval."""
    if ev['range'] is None:
        g = parse_got(got[(ev['line'], ev['times'][0])])
        if isinstance(g, str):
            return None if g != 'nil' else []
        return [f'{pretty_labels(l)} {short(v)}' for l, v in sorted(g)]
    series = {}
    for idx, t in enumerate(ev['times']):
        g = parse_got(got[(ev['line'], t)])
        if isinstance(g, str):
            if g == 'nil':
                continue
            return None
        for l, v in g:
            series.setdefault(l, {})[idx] = v
    lines = []
    for l in sorted(series):
        vals = [short(series[l][k]) if k in series[l] else '_' for k in range(len(ev['times']))]
        lines.append(f'{pretty_labels(l)} ' + ' '.join(vals))
    return lines


def main():
    mode, path = sys.argv[1], sys.argv[2]
    lines, sections = parse(path)
    got = run_promtool(sections)
    evals = [ev for sec in sections for ev in sec['evals']]
    if mode == 'check':
        for ev in evals:
            if ev['body'] and ev['body'][0].startswith('expect fail'):
                continue
            want = results_for(ev, got)
            have = [b for b in ev['body'] if not b.startswith('expect')]
            if want is None:
                print(f"{path}:{ev['line']}: {ev['expr']}: promtool error {got[(ev['line'], ev['times'][0])]}")
            elif not same(have, want):
                print(f"{path}:{ev['line']}: {ev['expr']}\n   ours:     {have}\n   promtool: {want}")
    else:
        raw = open(path).read().split('\n')
        by_line = {ev['line']: ev for ev in evals}
        out, i = [], 0
        while i < len(raw):
            ev = by_line.get(i + 1)
            if ev is None:
                out.append(raw[i])
                i += 1
                continue
            out.append(raw[i])
            keep = [raw[k] for k in range(i + 1, ev['end']) if raw[k].strip().startswith('expect')]
            out += keep
            if not any(k.strip().startswith('expect fail') for k in keep):
                want = results_for(ev, got)
                out += ['  ' + w for w in (want if want is not None else ['PROMTOOL ERROR'])]
            i = ev['end']
        print('\n'.join(out))


def norm(line):
    name, vals = split_series(line.strip())
    m = re.match(r'^([a-zA-Z_:][\w:]*)\{(.*)\}$', name)
    if m:
        name = '{' + ', '.join(filter(None, [f'__name__="{m.group(1)}"', m.group(2)])) + '}'
    elif re.match(r'^[a-zA-Z_:][\w:]*$', name):
        name = '{__name__="' + name + '"}'
    labels = sorted(x.strip().replace(' ', '') for x in name.strip('{}').split(',') if x.strip())
    return (tuple(labels), tuple(vals.split()))


def close(a, b):
    if a == '_' or b == '_':
        return a == b
    a, b = float(a), float(b)
    if math.isnan(a) and math.isnan(b):
        return True
    if a == b:
        return True
    if a == 0 or b == 0:
        return abs(a - b) < 1e-6 * 2.2250738585072014e-308
    return abs(a - b) / (abs(a) + abs(b)) < 1e-6


def same(have, want):
    # promtool reports a scalar result as the series {}; scripts write it as a bare number
    have = ['{} ' + x if re.fullmatch(r'[-+]?[\w.]+', x.strip()) else x for x in have]
    h = dict(norm(x) for x in have)
    w = dict(norm(x) for x in want)
    if h.keys() != w.keys():
        return False
    return all(len(h[k]) == len(w[k]) and all(close(a, b) for a, b in zip(h[k], w[k])) for k in h)


if __name__ == '__main__':
    main()
