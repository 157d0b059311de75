# Independent reference for report_cli.rs: pandas on the fixture files.
import pandas as pd, json
df = pd.read_csv('tests/data/report/respuestas.csv', keep_default_na=False, dtype=str)
items = ['conf_1','conf_2','comp_1','col_1','col_2']
reverse = {'conf_2'}
dims = {'capital_social': ['conf_1','conf_2','comp_1'], 'organizacion_red': ['col_1','col_2']}
subs = {'confianza': ['conf_1','conf_2'], 'compromiso': ['comp_1'], 'colaboracion': ['col_1','col_2']}
long = df.melt(id_vars=['response_id','region','role','network'], value_vars=items, var_name='item', value_name='v')
long = long[long.v != '']
def recoded(r):
    if r['item'] in reverse and r['v'] != 'NA': return str(6 - int(r['v']))
    return r['v']
long['rv'] = long.apply(recoded, axis=1)
def dist(sub, col, exclude_na=False):
    if exclude_na: sub = sub[sub[col] != 'NA']
    n = len(sub); c = sub[col].value_counts()
    keys = (['NA'] if not exclude_na else []) + ['1','2','3','4','5']
    pct = {k: 100*c.get(k,0)/n for k in keys}
    return {'n': n, 'pct': pct, 'disagree': pct['1']+pct['2'], 'agree': pct['4']+pct['5']}
out = {}
for gname, g in [('national', long)] + [(r, long[long.region==r]) for r in ['RM','V']]:
    rows = {}
    for code, its in dims.items(): rows['dimension/'+code] = dist(g[g.item.isin(its)], 'rv')
    for code, its in subs.items(): rows['subdimension/'+code] = dist(g[g.item.isin(its)], 'rv')
    for it in items: rows['item/'+it] = dist(g[g.item==it], 'v')
    out[gname] = rows
out['national_exclude_na'] = {'dimension/capital_social': dist(long[long.item.isin(dims['capital_social'])], 'rv', True),
                              'item/conf_2': dist(long[long.item=='conf_2'], 'v', True)}
for g, rows in out.items():
    print('==', g, 'n_resp', len(df) if not g in ('RM','V') else int((df.region==g).sum()))
    for k, d in rows.items():
        print(k, d['n'], '[' + ', '.join(repr(float(x)) for x in d['pct'].values()) + ']', 'dis', repr(float(d['disagree'])), 'agr', repr(float(d['agree'])))
