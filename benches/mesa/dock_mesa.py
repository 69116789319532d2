"""Run Mesa 3.3.1's own Epstein civil-violence example, unmodified (imported from the installed
package), and print one CSV row per (set, seed, step): the citizens' counts by state as the
example's DataCollector reports them ("active", "quiet", "arrested").

    python dock_mesa.py SET SEED_FROM SEED_TO STEPS CITIZEN_DENSITY COP_DENSITY LEGITIMACY MAX_JAIL_TERM
"""
import sys

from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

name = sys.argv[1]
seed_from, seed_to, steps = (int(a) for a in sys.argv[2:5])
citizen_density, cop_density, legitimacy = (float(a) for a in sys.argv[5:8])
max_jail_term = int(sys.argv[8])
for seed in range(seed_from, seed_to + 1):
    model = EpsteinCivilViolence(
        width=40, height=40, citizen_density=citizen_density, cop_density=cop_density,
        citizen_vision=7, cop_vision=7, legitimacy=legitimacy, max_jail_term=max_jail_term,
        active_threshold=0.1, arrest_prob_constant=2.3, movement=True, max_iters=10**9, seed=seed,
    )
    for _ in range(steps):
        model.step()
    df = model.datacollector.get_model_vars_dataframe()
    rows = []
    for step in range(1, steps + 1):
        r = df.iloc[step]
        rows.append(f"{name},{seed},{step},{int(r['active'])},{int(r['quiet'])},{int(r['arrested'])}")
    print("\n".join(rows), flush=True)
