package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The kiosks a run drives, and their access codes.

// target is a kiosk the run drives: started by the run or given.
type target struct {
	addr  string
	pid   int // 0: memory not measured
	issue func(ctx context.Context, n int) ([]string, error)
}

// prepareTargets starts the run's hosts (or takes the given kiosks), and
// returns how to stop them; it sets r.skipped when the run cannot be
// made.
func prepareTargets(ctx context.Context, cfg config, spec runSpec, r *result, log io.Writer) ([]target, func(), error) {
	if len(cfg.connect) > 0 {
		var targets []target
		pool := &codePool{codes: cfg.codes}
		for i, addr := range cfg.connect {
			t := target{addr: addr, issue: pool.take}
			if i < len(cfg.pids) {
				t.pid = cfg.pids[i]
			}
			if cfg.store != "" && len(cfg.codes) == 0 {
				issuer := &host{bin: cfg.bin, store: cfg.store, dir: cfg.workDir, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cfg.workDir}}
				t.issue = issuer.issueCodes
			}
			targets = append(targets, t)
		}
		r.storeName = "given"
		return targets, func() {}, nil
	}
	o := hostOptions{sessions: spec.sessions, env: cfg.hostEnv}
	if spec.hosts > 1 {
		switch {
		case cfg.store == "":
			r.skipped = "several hosts share their state through --store URL (PostgreSQL); none given"
		case !cfg.bin.takesStore():
			r.skipped = "this mjrecover kiosk does not accept --store yet"
		}
		if r.skipped != "" {
			fmt.Fprintf(log, "%s: skipped: %s\n", spec, r.skipped)
			return nil, nil, nil
		}
		o.store, r.storeName = cfg.store, storeKind(cfg.store)
	}
	var hosts []*host
	stop := func() {
		for _, h := range hosts {
			h.stop()
		}
	}
	runDir, err := os.MkdirTemp(cfg.workDir, fmt.Sprintf("run-%dx%d-", spec.sessions, spec.hosts))
	if err != nil {
		return nil, nil, err
	}
	for i := range spec.hosts {
		name := string(rune('A' + i))
		o.sessions = share(spec.sessions, spec.hosts, i)
		h, err := startHost(ctx, cfg.bin, name, filepath.Join(runDir, "host-"+name), o)
		if err != nil {
			stop()
			return nil, nil, err
		}
		hosts = append(hosts, h)
		fmt.Fprintf(log, "%s: host %s listening on %s (pid %d, log %s)\n", spec, name, h.addr, h.pid(), h.log.Name())
	}
	var targets []target
	for _, h := range hosts {
		// With a shared store, every code is issued through the first host:
		// a code must open on any host.
		targets = append(targets, target{addr: h.addr, pid: h.pid(), issue: issuerFor(o.store, hosts[0], h)})
	}
	return targets, stop, nil
}

// issuerFor is how the codes of host h are issued: through the first
// host when the hosts share a store, else through h.
func issuerFor(store string, first, h *host) func(context.Context, int) ([]string, error) {
	if store != "" {
		return first.issueCodes
	}
	return h.issueCodes
}

// storeKind names a store URL without its password.
func storeKind(url string) string {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return "PostgreSQL"
	case strings.HasPrefix(url, "sqlite:"):
		return "SQLite"
	}
	return "--store"
}

// share is host i's part of n sessions over hosts.
func share(n, hosts, i int) int {
	s := n / hosts
	if i < n%hosts {
		s++
	}
	return s
}

// codePool hands out codes issued beforehand.
type codePool struct {
	mu    sync.Mutex
	codes []string
}

func (p *codePool) take(_ context.Context, n int) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.codes) < n {
		return nil, fmt.Errorf("%d codes left in --codes, %d needed", len(p.codes), n)
	}
	out := p.codes[:n]
	p.codes = p.codes[n:]
	return out, nil
}

// issueAll issues each target its part of the codes.
func issueAll(ctx context.Context, cfg config, targets []target, n int) ([][]string, error) {
	codes := make([][]string, len(targets))
	for i, t := range targets {
		var err error
		if codes[i], err = t.issue(ctx, share(n, len(targets), i)); err != nil {
			return nil, err
		}
	}
	return codes, nil
}
