package engine

// Checkpoints (qos >= 1, rules-api.md §1.3): a rule's state is saved every
// checkpointInterval and when it stops, and restored when it starts again —
// after a service restart too. EdgeX input is not replayable, so rows in
// flight at a crash are lost; everything the rule had accumulated is not.

// restoreState loads the last checkpoint into a run that has not started.
func (e *Engine) restoreState(r *ruleRun) {
	if r.def.Options.Qos == 0 || e.cfg.Store == nil {
		return
	}
	b, ok, err := e.cfg.Store.Get(BucketState, r.def.ID)
	if err != nil || !ok {
		if err != nil {
			e.cfg.Logger.Warnf("rule=%s reading its checkpoint: %v", r.def.ID, err)
		}
		return
	}
	if err := r.pipe.Restore(b); err != nil {
		e.cfg.Logger.Warnf("rule=%s checkpoint not restored, starting empty: %v", r.def.ID, err)
		return
	}
	e.cfg.Logger.Infof("rule=%s state restored from its checkpoint", r.def.ID)
}

// saveState writes a checkpoint. It runs where the runner is not in use:
// on the rule goroutine, under r.mu in synchronous mode, or after stop.
func (e *Engine) saveState(r *ruleRun) {
	if r.def.Options.Qos == 0 || e.cfg.Store == nil || r.def.Temp {
		return
	}
	b, err := r.pipe.Snapshot()
	if err == nil {
		err = e.cfg.Store.Put(BucketState, r.def.ID, b)
	}
	if err != nil {
		e.cfg.Logger.Warnf("rule=%s checkpoint failed: %v", r.def.ID, err)
	}
}

// armCheckpoints schedules periodic checkpoints on the injected clock.
func (r *ruleRun) armCheckpoints() {
	every := r.def.Options.CheckpointInterval
	if r.def.Options.Qos == 0 || every <= 0 {
		return
	}
	var tick func()
	tick = func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.isClosed() {
			return
		}
		if r.e.cfg.Synchronous {
			r.e.saveState(r)
		} else {
			select { // the rule goroutine owns the runner
			case r.ckpt <- struct{}{}:
			default:
			}
		}
		r.ckptTimer = r.e.cfg.Clock.AfterFunc(every, tick)
	}
	r.ckptTimer = r.e.cfg.Clock.AfterFunc(every, tick)
}
