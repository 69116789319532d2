"""Time Mesa's own Epstein civil-violence example (imported from the installed package).

    run_mesa.py STEPS REPEATS [SETTINGS]      SETTINGS: "defaults" (default) or "gui"

Prints steady-state steps per second: one warm-up step first (Mesa builds its neighbourhood
cache on the first step, which is 2-3x slower), then STEPS timed steps, best of REPEATS.
"defaults" are the model's constructor defaults (peacesim's scenarios/epstein-mesa.toml);
"gui" are the starting values of the sliders of the example's app.py (cop density 0.04,
legitimacy 0.82, max jail term 30), the settings issue 16 measured.
"""
import sys
import time

from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

SETTINGS = {
    "defaults": dict(cop_density=0.074, legitimacy=0.8, max_jail_term=1000),
    "gui": dict(cop_density=0.04, legitimacy=0.82, max_jail_term=30),
}

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
chosen = SETTINGS[sys.argv[3] if len(sys.argv) > 3 else "defaults"]
best = 0.0
for seed in range(1, repeats + 1):
    model = EpsteinCivilViolence(
        width=40, height=40, citizen_density=0.7, citizen_vision=7, cop_vision=7,
        active_threshold=0.1, arrest_prob_constant=2.3, movement=True, max_iters=10**9,
        seed=seed, **chosen,
    )
    model.step()  # warm-up: neighbourhood cache
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    best = max(best, steps / (time.perf_counter() - start))
print(f"{best:.3f}")
