package engine

import (
	"math"
	"time"
)

// scheduleRestart retries a rule that failed to start, per restartStrategy:
// exponential back-off from delay by multiplier up to maxDelay; with only
// attempts set, every 10 s as eKuiper 2.x does.
func (e *Engine) scheduleRestart(r *ruleEntry) {
	rs := r.def.Options.Restart
	if rs.Attempts <= 0 || r.attempts >= rs.Attempts {
		return
	}
	r.attempts++
	delay := 10 * time.Second
	if rs.Delay > 0 && rs.Multiplier > 0 {
		d := float64(rs.Delay) * math.Pow(rs.Multiplier, float64(r.attempts-1))
		if rs.MaxDelay > 0 && d > float64(rs.MaxDelay) {
			d = float64(rs.MaxDelay)
		}
		delay = time.Duration(d)
	}
	id := r.def.ID
	e.cfg.Logger.Infof("rule=%s restart attempt %d/%d in %s", id, r.attempts, rs.Attempts, delay)
	e.cfg.Clock.AfterFunc(delay, func() {
		cur, ok := e.entry(id)
		if !ok || cur != r {
			return
		}
		r.op.Lock()
		defer r.op.Unlock()
		if r.status == StatusError && r.def.Triggered {
			e.startLocked(r)
		}
	})
}
