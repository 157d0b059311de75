import pandas as pd, numpy as np
df = pd.read_csv('tests/data/reliability_large.csv', keep_default_na=False, dtype=str)
items=['q1','q2','q3','q4','q5','q6']
long = df.melt(id_vars=['response_id','region'], value_vars=items, var_name='item', value_name='v')
long = long[long.v!='']
def recode(r):
    if r['item']=='q3' and r['v']!='NA': return str(6-int(r.v))
    return r.v
long['dimv'] = long.apply(recode, axis=1)
for grp, sub in [('national', long)] + [(g, long[long.region==g]) for g in sorted(df.region.unique())]:
    c = sub.dimv.value_counts()
    n = len(sub)
    pct = {k: 100*c.get(k,0)/n for k in ['NA','1','2','3','4','5']}
    print(grp, 'n_resp', (df.region==grp).sum() if grp!='national' else len(df), 'n_answers', n, {k: repr(v) for k,v in pct.items()}, 'agree', repr(pct['4']+pct['5']), 'disagree', repr(pct['1']+pct['2']))
sub = long[long.item=='q3']; c=sub.v.value_counts(); n=len(sub)
print('q3 item', n, {k: repr(100*c.get(k,0)/n) for k in ['NA','1','2','3','4','5']})
