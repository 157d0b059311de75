# Independent reference for report_cli.rs: pingouin.cronbach_alpha on the fixture.
import pandas as pd, numpy as np, pingouin as pg
from scipy.stats import f as fdist
df = pd.read_csv('tests/data/report/respuestas.csv', keep_default_na=False, dtype=str)
items = ['conf_1','conf_2','comp_1','col_1','col_2']
num = df[items].replace({'NA': np.nan, '': np.nan}).apply(pd.to_numeric)
num['conf_2'] = 6 - num['conf_2']
scales = {'capital_social': ['conf_1','conf_2','comp_1'], 'organizacion_red': ['col_1','col_2'], 'confianza': ['conf_1','conf_2'], 'colaboracion': ['col_1','col_2']}
for policy in ['pairwise', 'listwise']:
    for code, cols in scales.items():
        data = num[cols].dropna(how='all')   # respondents of the scale
        a, ci = pg.cronbach_alpha(data=data, nan_policy=policy)
        n = data.shape[0]; k = len(cols)
        lo = 1 - (1 - a) * fdist.isf(0.025, n - 1, (n - 1) * (k - 1))
        hi = 1 - (1 - a) * fdist.isf(0.975, n - 1, (n - 1) * (k - 1))
        aid = [pg.cronbach_alpha(data=data.drop(columns=[c]).dropna(how='all'), nan_policy=policy)[0] if k > 2 else float('nan') for c in cols]
        comp = data.dropna()
        irr = [comp[c].corr(comp[[o for o in cols if o != c]].sum(axis=1)) for c in cols]
        print(policy, code, 'n', n, 'n_complete', len(comp), 'alpha', repr(float(a)), 'ci', [repr(float(lo)), repr(float(hi))], 'pg_ci', list(ci), 'aid', [repr(float(x)) for x in aid], 'irr', [repr(float(x)) for x in irr])
