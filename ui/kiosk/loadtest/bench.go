package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// runSpec is one run: sessions spread over hosts.
type runSpec struct{ sessions, hosts int }

func (s runSpec) String() string {
	return fmt.Sprintf("%d sessions on %d host(s)", s.sessions, s.hosts)
}

// config is the whole benchmark.
type config struct {
	runs        []runSpec
	bin         *kioskBinary
	store       string   // shared store for runs of several hosts
	hostEnv     []string // added to every host's environment
	workDir     string   // the hosts' folders
	keepDir     string   // workDir, when it is to stay
	connect     []string // running kiosks to use instead of starting hosts
	pids        []int    // their processes, to read their memory
	codes       []string // codes issued beforehand (with connect)
	addresses   int      // client addresses on loopback the sessions come from (0: one per session)
	keys        int
	think       time.Duration
	settle      time.Duration
	admitTarget time.Duration
	giveUp      time.Duration
	keyLimit    time.Duration
}

// result is what one run measured.
type result struct {
	spec           runSpec
	storeName      string
	skipped        string          // why the run did not happen
	admission      []time.Duration // connection to the wizard, of each admitted session
	codeScreen     []time.Duration // its part to the access code screen
	afterCode      []time.Duration // its part from the code typed to the wizard
	admittedWithin int
	failures       map[string]int // why sessions were not admitted, counted
	redraws        []time.Duration
	missed         int // keystrokes whose redraw never came
	typingErrs     map[string]int
	hosts          []hostNumbers
	idleWall       time.Duration
	typingWall     time.Duration
	clientCPU      time.Duration
	loadBefore     string
	loadAfter      string
}

// hostNumbers is one host's memory and CPU during a run.
type hostNumbers struct {
	pid       int
	base      memory        // before any session
	idle      memory        // with every session at the wizard, idle
	end       memory        // after the keystrokes
	idleCPU   time.Duration // during the settle with every session idle
	typingCPU time.Duration
}

// runOne starts the hosts of spec (or takes the given ones), admits the
// sessions, measures, and stops what it started.
func runOne(ctx context.Context, cfg config, spec runSpec, log io.Writer) (result, error) {
	r := result{spec: spec, storeName: "default", failures: map[string]int{}, typingErrs: map[string]int{}}
	targets, stop, err := prepareTargets(ctx, cfg, spec, &r, log)
	if err != nil || r.skipped != "" {
		return r, err
	}
	defer stop()
	r.loadBefore = loadAverage()
	fmt.Fprintf(log, "%s: load average %s; issuing %d codes…\n", spec, r.loadBefore, spec.sessions)
	codes, err := issueAll(ctx, cfg, targets, spec.sessions)
	if err != nil {
		return r, err
	}
	if err := settle(ctx, min(cfg.settle, 2*time.Second)); err != nil {
		return r, err
	}
	r.hosts = make([]hostNumbers, len(targets))
	for i, t := range targets {
		r.hosts[i].pid = t.pid
		r.hosts[i].base = memoryOf(t.pid)
	}

	fmt.Fprintf(log, "%s: %d sessions arriving at once…\n", spec, spec.sessions)
	customers := admitAll(ctx, cfg, targets, codes, &r)
	defer func() {
		for _, c := range customers {
			c.close()
		}
	}()
	fmt.Fprintf(log, "%s: %d admitted (%d within %s), admission p50 %s, p99 %s (to the code screen: p50 %s, p99 %s; code to wizard: p50 %s, p99 %s)\n",
		spec, len(r.admission), r.admittedWithin, cfg.admitTarget, ms(percentile(r.admission, 50)), ms(percentile(r.admission, 99)),
		ms(percentile(r.codeScreen, 50)), ms(percentile(r.codeScreen, 99)), ms(percentile(r.afterCode, 50)), ms(percentile(r.afterCode, 99)))
	idle0 := hostCPU(targets)
	idleStart := time.Now()
	if err := settle(ctx, cfg.settle); err != nil {
		return r, err
	}
	r.idleWall = time.Since(idleStart)
	for i, t := range targets {
		r.hosts[i].idle = memoryOf(t.pid)
		if cpu, err := cpuTimeOf(t.pid); err == nil {
			r.hosts[i].idleCPU = cpu - idle0[i]
		}
	}

	fmt.Fprintf(log, "%s: typing %d keys in each session…\n", spec, cfg.keys)
	typeAll(ctx, cfg, targets, customers, &r)
	for i, t := range targets {
		r.hosts[i].end = memoryOf(t.pid)
	}
	r.loadAfter = loadAverage()
	fmt.Fprintf(log, "%s: redraw p50 %s, p99 %s over %d keys; load average %s\n", spec,
		ms(percentile(r.redraws, 50)), ms(percentile(r.redraws, 99)), len(r.redraws), r.loadAfter)
	return r, nil
}

func memoryOf(pid int) memory {
	if pid == 0 {
		return memory{}
	}
	m, _ := readMemory(pid)
	return m
}

func settle(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// admitAll starts every session at once and waits until each has
// reached the wizard or given up; it returns the admitted ones.
func admitAll(ctx context.Context, cfg config, targets []target, codes [][]string, r *result) []*customer {
	var (
		mu        sync.Mutex
		wg        sync.WaitGroup
		customers []*customer
	)
	pool := cfg.addresses
	if pool == 0 {
		for _, c := range codes {
			pool += len(c)
		}
	}
	n := 0
	for i, t := range targets {
		for _, code := range codes[i] {
			from := clientAddress(t.addr, n, pool)
			n++
			wg.Go(func() {
				c, a, err := admit(ctx, t.addr, from, code, cfg.giveUp)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					r.failures[err.Error()]++
					return
				}
				customers = append(customers, c)
				r.admission = append(r.admission, a.total())
				r.codeScreen = append(r.codeScreen, a.codeScreen)
				r.afterCode = append(r.afterCode, a.wizard)
				if a.total() <= cfg.admitTarget {
					r.admittedWithin++
				}
			})
		}
	}
	wg.Wait()
	return customers
}

// typeAll has every admitted session go to Step 1 and type into its
// field, each key after a pause around cfg.think (so the sessions' keys
// interleave), timing each redraw.
func typeAll(ctx context.Context, cfg config, targets []target, customers []*customer, r *result) {
	fields := make([]*field, len(customers))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, c := range customers {
		wg.Go(func() {
			f, err := c.toField(ctx, cfg.giveUp)
			if err != nil {
				mu.Lock()
				r.typingErrs[err.Error()]++
				mu.Unlock()
				return
			}
			fields[i] = f
		})
	}
	wg.Wait()

	cpu0 := hostCPU(targets)
	self0, start := selfCPU(), time.Now()
	for i, c := range customers {
		if fields[i] == nil {
			continue
		}
		wg.Go(func() {
			times, missed, errs := typeInto(ctx, cfg, c, fields[i])
			mu.Lock()
			defer mu.Unlock()
			r.redraws = append(r.redraws, times...)
			r.missed += missed
			for _, e := range errs {
				r.typingErrs[e]++
			}
		})
	}
	wg.Wait()
	r.typingWall, r.clientCPU = time.Since(start), selfCPU()-self0
	for i, t := range targets {
		if t.pid == 0 {
			continue
		}
		if cpu, err := cpuTimeOf(t.pid); err == nil {
			r.hosts[i].typingCPU = cpu - cpu0[i]
		}
	}
}

// hostCPU is the CPU time each target has used so far (0 when unknown).
func hostCPU(targets []target) []time.Duration {
	cpu := make([]time.Duration, len(targets))
	for i, t := range targets {
		cpu[i], _ = cpuTimeOf(t.pid)
	}
	return cpu
}

func cpuTimeOf(pid int) (time.Duration, error) {
	if pid == 0 {
		return 0, errors.New("no process")
	}
	return cpuTime(pid)
}

// typeInto types cfg.keys keys into one session's field.
func typeInto(ctx context.Context, cfg config, c *customer, f *field) (times []time.Duration, missed int, errs []string) {
	pause := func() time.Duration { return cfg.think/2 + rand.N(cfg.think+1) }
	if settle(ctx, rand.N(cfg.think+1)) != nil {
		return nil, 0, nil
	}
	for step := range cfg.keys {
		key, want := f.next()
		took, err := c.keystroke(ctx, key, want, cfg.keyLimit)
		if err != nil {
			missed++
			errs = append(errs, err.Error())
			if errors.Is(err, errEnded) || ctx.Err() != nil {
				missed += cfg.keys - step - 1
				return times, missed, errs
			}
			// The field is no longer where this session thought: read it
			// again from the screen.
			if base := demoSiteRe.FindString(c.scr.text()); strings.HasPrefix(base, f.base) {
				f.typed = strings.TrimPrefix(base, f.base)
			}
			continue
		}
		times = append(times, took)
		if settle(ctx, pause()) != nil {
			break
		}
	}
	return times, missed, errs
}
