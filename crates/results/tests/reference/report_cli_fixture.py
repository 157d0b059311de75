# Writes the responses fixture for crates/cli/tests/report_cli.rs (seeded).
import numpy as np, pandas as pd
rng = np.random.default_rng(20261129)
regions = ['V']*20 + ['RM']*14 + ['VIII']*4 + ['X']*6
rng.shuffle(regions)
rows = []
for i, reg in enumerate(regions):
    latent = rng.normal()
    def item(rev=False, na=0.08, empty=0.05):
        x = 3.3 + 1.0*latent + rng.normal(scale=0.8)
        if rev: x = 6 - x
        v = int(min(5, max(1, round(x))))
        u = rng.random()
        if u < na: return 'NA'
        if u < na + empty: return ''
        return str(v)
    conf_1 = item(); conf_2 = item(rev=True); comp_1 = item(na=0.02)
    col_1 = item()
    # col_2: everyone agrees (4 or 5), no NA or empty: an all-favourable item.
    col_2 = '5' if latent + rng.normal(scale=0.5) > 0 else '4'
    role = 'director' if rng.random() < 0.55 else 'jefe_utp'
    net = {'V': ['RME1','RME2'], 'RM': ['RME3'], 'VIII': ['RME4'], 'X': ['RME5']}[reg]
    ayuda = rng.choice(['', 'El tiempo protegido', 'La confianza, sobre todo'])
    rows.append([f'r{i+1:02d}', reg, {'V':'51','RM':'131','VIII':'81','X':'101'}[reg], rng.choice(net), role, '2026-05-%02d' % (1 + i % 28), conf_1, conf_2, comp_1, col_1, col_2, ayuda])
df = pd.DataFrame(rows, columns=['response_id','region','deprov','network','role','submitted_at','conf_1','conf_2','comp_1','col_1','col_2','ayuda'])
df.to_csv('tests/data/report/respuestas.csv', index=False)
print(df.region.value_counts().to_dict(), df.role.value_counts().to_dict(), df.network.value_counts().to_dict())
