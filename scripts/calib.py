"""Calibration harness (development aid): success and key metrics per plan over replicate orgs."""
import sys, time
import numpy as np
from simulation.config import ModelConfig
from simulation.model import AdoptionModel
from simulation.metrics import summarize
from simulation import plan as P

def L(**k): return P.LaunchPlatform(type="launch_platform", **k)
PLANS = {
 "pray": (L(),),
 "mandate": (L(), P.Mandate(type="mandate")),
 "marketing": (L(), P.MarketingCampaign(type="marketing_campaign", end=15)),
 "goal-led": (L(), P.Communities(type="communities")),
 "bootstrap": (P.Communities(type="communities"), P.Council(type="council", start=8), P.CenterOfExcellence(type="center_of_excellence", start=12),
               P.ChampionTribe(type="champion_tribe", start=16), L(start=26)),
 "exec": (L(), P.ExecutiveSponsorship(type="executive_sponsorship")),
}

def run(name, reps, seed=2026, dyn=None, weeks=104, cond=None):
    cfg = ModelConfig(plan=PLANS[name], weeks=weeks)
    if dyn: cfg = cfg.model_copy(update={"dynamics": cfg.dynamics.model_copy(update=dyn)})
    if cond: cfg = cfg.model_copy(update={"conditions": cfg.conditions.model_copy(update=cond)})
    seeds = np.random.SeedSequence(seed).spawn(reps)
    rows = []
    for ss in seeds:
        m = AdoptionModel(cfg, rng=np.random.default_rng(ss), engine="numba"); m.run()
        r = summarize(m); rows.append(r)
    succ = np.mean([r.success for r in rows])
    fin = np.mean([[r.metrics["final_share"][k] for k in ("aware","trying","adopted","engaged","lapsed")] for r in rows], axis=0)
    w50 = [r.metrics["weeks_to_50"] for r in rows if r.metrics["weeks_to_50"] is not None]
    act = np.array([r.metrics["active_share"] for r in rows])
    hist = np.histogram(act, bins=[0,.1,.2,.3,.4,.5,.6,.7,.8,.9,1.01])[0]
    print(f"{name:10s} succ {succ:5.2f} aware/try/adopt/eng/lapse {np.round(fin,2)} w50 {np.median(w50) if w50 else None} "
          f"su8 {np.mean([r.metrics['signups_week_8'] for r in rows]):6.1f} aw8 {np.mean([r.metrics['aware_share_week_8'] for r in rows]):.2f} "
          f"depth {np.mean([r.metrics['engagement_depth'] for r in rows]):.2f} atl {np.mean([r.metrics['active_at_launch'] or 0 for r in rows]):.0f} hist {hist}")
    return rows

if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    names = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] else list(PLANS)
    dyn = eval(sys.argv[3]) if len(sys.argv) > 3 else None
    from simulation.config import Range as R
    cond = eval(sys.argv[4]) if len(sys.argv) > 4 else None
    t = time.time()
    for n in names: run(n, reps, dyn=dyn, cond=cond)
    print(f"{time.time()-t:.1f}s")
