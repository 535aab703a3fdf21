package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// percentile is the p-th percentile (0 < p <= 100) of ds by nearest
// rank; 0 for none.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

// ms shows a duration in milliseconds, or seconds past ten of them.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
}

func mib(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func mibPrecise(b float64) string { return fmt.Sprintf("%.1f MB", b/(1<<20)) }

// report writes the results as a Markdown table, with the machine they
// come from.
func report(w io.Writer, m machine, cfg config, results []result) {
	fmt.Fprintf(w, "Machine: %d CPU (%s), Linux %s, %s. Keys: %d per session, a pause of about %s between them (%s to %s), every session at once.\n\n",
		m.cpus, m.cpuModel, m.kernel, m.goVersion, cfg.keys, cfg.think, cfg.think/2, cfg.think*3/2)
	fmt.Fprintln(w, "| sessions | hosts | store | admitted within "+shortDur(cfg.admitTarget)+" | admission p50 / p99 | redraw p50 / p99 (keys) | RSS idle: total / per session | peak RSS | CPU (one core = 100%): kiosk idle / kiosk typing / clients typing | load before / after |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		if r.skipped != "" {
			fmt.Fprintf(w, "| %d | %d | %s | skipped: %s | | | | | | |\n", r.spec.sessions, r.spec.hosts, r.storeName, r.skipped)
			continue
		}
		fmt.Fprintf(w, "| %d | %d | %s | %s | %s / %s | %s / %s (%d%s) | %s | %s | %s | %s / %s |\n",
			r.spec.sessions, r.spec.hosts, r.storeName, r.admittedCell(),
			ms(percentile(r.admission, 50)), ms(percentile(r.admission, 99)),
			ms(percentile(r.redraws, 50)), ms(percentile(r.redraws, 99)), len(r.redraws), missedNote(r.missed),
			r.memoryCell(), r.peakCell(), r.cpuCell(), r.loadBefore, r.loadAfter)
	}
	fmt.Fprintln(w, "\nAdmission in parts, p50 / p99: to the access code screen (TCP, SSH, first screen); from the code typed to the wizard.")
	for _, r := range results {
		if r.skipped == "" {
			fmt.Fprintf(w, "- %s: %s / %s; %s / %s\n", r.spec, ms(percentile(r.codeScreen, 50)), ms(percentile(r.codeScreen, 99)),
				ms(percentile(r.afterCode, 50)), ms(percentile(r.afterCode, 99)))
		}
	}
	for _, r := range results {
		problems(w, r.spec, "not admitted", r.failures)
		problems(w, r.spec, "problems while typing", r.typingErrs)
	}
}

// shortDur shows a whole duration in seconds ("30 s").
// problems lists what went wrong, most frequent first.
func problems(w io.Writer, spec runSpec, what string, counts map[string]int) {
	if len(counts) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s, %s:\n", spec, what)
	for _, why := range sortedKeys(counts) {
		fmt.Fprintf(w, "- %d× %s\n", counts[why], why)
	}
}

func shortDur(d time.Duration) string { return fmt.Sprintf("%g s", d.Seconds()) }

func missedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d never redrawn", n)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return m[b] - m[a] })
	return keys
}

// admittedCell is how many reached the wizard in time, and in all when
// more did later.
func (r result) admittedCell() string {
	cell := fmt.Sprintf("%d of %d", r.admittedWithin, r.spec.sessions)
	if late := len(r.admission) - r.admittedWithin; late > 0 {
		cell += fmt.Sprintf(" (%d later, the last after %s)", late, ms(slices.Max(r.admission)))
	}
	return cell
}

func (r result) memoryCell() string {
	var total, grown int64
	measured := false
	for _, h := range r.hosts {
		if h.idle.rss == 0 {
			continue
		}
		measured = true
		total += h.idle.rss
		grown += h.idle.rss - h.base.rss
	}
	if !measured || len(r.admission) == 0 {
		return "not measured"
	}
	return fmt.Sprintf("%s / %s", mib(total), mibPrecise(float64(grown)/float64(len(r.admission))))
}

func (r result) peakCell() string {
	var peak int64
	for _, h := range r.hosts {
		peak += h.end.hwm
	}
	if peak == 0 {
		return "not measured"
	}
	return mib(peak)
}

// cpuCell is the kiosks' CPU with every session idle, then while typing,
// and the clients' while typing, in percent of one core.
func (r result) cpuCell() string {
	if r.typingWall <= 0 || r.idleWall <= 0 {
		return "not measured"
	}
	var idle, typing time.Duration
	for _, h := range r.hosts {
		idle += h.idleCPU
		typing += h.typingCPU
	}
	pct := func(d, of time.Duration) string { return fmt.Sprintf("%.0f%%", 100*d.Seconds()/of.Seconds()) }
	return pct(idle, r.idleWall) + " / " + pct(typing, r.typingWall) + " / " + pct(r.clientCPU, r.typingWall)
}
