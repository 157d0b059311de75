import numpy as np, pandas as pd, pingouin as pg
from scipy.stats import f as fdist
rng = np.random.default_rng(20261125)
def make(n, name):
    rows=[]
    latent = rng.normal(size=n)
    for i in range(n):
        vals=[]
        for j in range(6):
            x = 3 + 1.1*latent[i] + rng.normal(scale=0.9)
            if j == 2: x = 6 - x   # q3 is reverse-keyed
            v = int(min(5,max(1,round(x))))
            u = rng.random()
            if u < 0.06: vals.append('NA')
            elif u < 0.10: vals.append('')
            else: vals.append(str(v))
        rows.append([f'r{i+1}', rng.choice(['V','RM','VIII']), '51', f'RME{rng.integers(1,4)}', rng.choice(['director','jefe_utp'])] + vals)
    df = pd.DataFrame(rows, columns=['response_id','region','deprov','network','role','q1','q2','q3','q4','q5','q6'])
    df.to_csv(f'tests/data/{name}.csv', index=False)
    return df
def analyse(df):
    num = df[['q1','q2','q3','q4','q5','q6']].replace({'NA':np.nan,'':np.nan}).apply(pd.to_numeric)
    num['q3'] = 6 - num['q3']
    scales = {'d1':['q1','q2','q3','q4','q5','q6'],'s1':['q1','q2','q3'],'s2':['q4','q5','q6']}
    out={}
    for policy in ['pairwise','listwise']:
        for code, cols in scales.items():
            data = num[cols].dropna(how='all')
            if policy=='listwise': used = data.dropna()
            else: used = data
            a, ci = pg.cronbach_alpha(data=data, nan_policy=policy)
            n = used.shape[0]; k=len(cols)
            df1=n-1; df2=df1*(k-1)
            lo = 1-(1-a)*fdist.isf(0.025, df1, df2); hi = 1-(1-a)*fdist.isf(0.975, df1, df2)
            aid = [pg.cronbach_alpha(data=data.drop(columns=[c]).dropna(how='all'), nan_policy=policy)[0] for c in cols]
            comp = data.dropna()
            irr = [comp[c].corr(comp[[o for o in cols if o!=c]].sum(axis=1)) for c in cols]
            print(f'{policy} {code} n={n} alpha={a!r} ci=[{lo!r}, {hi!r}] pg_ci={list(ci)} aid={[float(x) for x in aid]} irr={[float(x) for x in irr]}')
for name,n in [('reliability_small',40),('reliability_large',300)]:
    print('==',name)
    analyse(make(n,name))
