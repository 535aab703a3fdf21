package plain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/password"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/twofactor"
)

func (r *run) investigate() (support.StepResult, error) {
	r.say("Which folder holds your website or app? Every folder inside it is checked; files are only read.")
	for {
		root, err := r.ask("Folder to check", r.cfg.ScanRoot)
		if err != nil {
			return support.StepResult{}, err
		}
		if _, err := os.Stat(root); err != nil {
			r.say("Cannot open %s. Type another folder.", untrusted.Clean(root))
			continue
		}
		r.say("Checking %s. This can take a minute...", untrusted.Clean(root))
		res, err := investigate.Scan(r.ctx, investigate.Options{Roots: []string{root}})
		if err != nil {
			r.say("The check could not run: %s", untrusted.Text(err.Error(), 300))
			continue
		}
		var keys []string
		if all, err := r.api.ListAPIKeys(r.ctx); err == nil {
			for _, k := range all {
				keys = append(keys, k.APIKey)
			}
		}
		investigate.MarkOwned(res.Findings, keys)
		r.scan, r.scanRoot = &res, root
		r.sayFindings(res)
		if err := r.pause(); err != nil {
			return support.StepResult{}, err
		}
		return support.StepResult{Status: support.StatusDone,
			Detail: fmt.Sprintf("Scanned %d files in %s; %d problems.", res.Stats.Files, untrusted.Clean(root), len(res.Findings))}, nil
	}
}

func (r *run) sayFindings(res investigate.Result) {
	r.say("Read %d files.", res.Stats.Files)
	if len(res.Findings) == 0 {
		r.say("No leaked Mailjet keys or exposed files were found. The leak may be on another server or in a public code repository.")
		return
	}
	r.say("Found %d problems, most serious first:", len(res.Findings))
	for i, f := range support.Redacted(r.scanRoot, res.Findings) {
		line := fmt.Sprintf("%d. %s: %s, in %s", i+1, f.Severity, f.Kind, f.Path)
		if f.Line > 0 {
			line += fmt.Sprintf(" line %d", f.Line)
		}
		if f.APIKey != "" {
			line += ", API key " + f.APIKey
		}
		if f.Secret != "" {
			line += ", secret ending in " + f.Secret
		}
		if f.Owned {
			line += ", a key of your account"
		}
		r.say("%s. %s", untrusted.Clean(line), untrusted.Clean(f.Message))
	}
}

func (r *run) rotate() (support.StepResult, error) {
	keys, err := r.api.ListAPIKeys(r.ctx)
	if err != nil {
		return support.StepResult{}, fmt.Errorf("read your API keys: %w", err)
	}
	var leaked map[string]bool
	if r.scan != nil {
		leaked = investigate.LeakedKeys(r.scan.Findings)
	}
	plan := rotate.NewPlan(keys, leaked, r.rec != nil)
	r.say("Every active key gets a new secret, leaked or not. Your keys:")
	for _, s := range plan.Slots {
		note := ""
		if s.Leaked {
			note = ", leaked"
		}
		r.say("- %s, API key %s%s: %s.", untrusted.Clean(s.Old.Name), s.Old.APIKey, note, s.Action)
	}
	r.say("Apps and plugins that use the old keys stop sending at once. Over SMTP an old secret keeps working for about an hour.")
	if ok, err := r.yes("Rotate the keys now"); err != nil || !ok {
		if err == nil {
			err = errQuit
		}
		return support.StepResult{}, err
	}
	rot := &rotate.Rotator{API: r.api, Recovery: r.rec}
	var results []rotate.Result
	for _, slot := range plan.Slots {
		res, err := r.rotateSlot(rot, slot)
		if err != nil {
			return support.StepResult{}, err
		}
		if res.NewKey != "" {
			results = append(results, res)
		}
	}
	if err := r.handOver(results); err != nil {
		return support.StepResult{}, err
	}
	status := support.StatusDone
	if r.rec == nil {
		status = support.StatusGuided
	}
	return support.StepResult{Status: status, Detail: fmt.Sprintf("%d keys rotated.", len(results))}, nil
}

func (r *run) rotateSlot(rot *rotate.Rotator, slot rotate.Slot) (rotate.Result, error) {
	name := untrusted.Clean(slot.Old.Name)
	for {
		var res rotate.Result
		var err error
		ctx, cancel := context.WithTimeout(r.ctx, 2*time.Minute)
		switch slot.Action {
		case rotate.SkipInactive:
			cancel()
			return res, nil
		case rotate.ReplaceSubKey:
			r.say("%s: making a new key and turning the old one off...", name)
			res, err = rot.RotateSub(ctx, slot)
		case rotate.ResetMaster:
			r.say("%s: setting a new secret...", name)
			res, err = rot.ResetMaster(ctx, slot)
		case rotate.GuidedMaster:
			r.say("Mailjet's API cannot give the main key a new secret, so do it on the site:")
			r.say("1. Open %s and sign in.", rotate.APIKeysPage)
			r.say("2. Next to the key %s, open the gear menu and choose Reset Secret Key.", slot.Old.APIKey)
			var pasted secret.Secret
			if pasted, err = r.secret("3. Paste the new secret key"); err == nil {
				res, err = rot.AcceptMasterSecret(ctx, slot, pasted)
			}
		}
		cancel()
		if errors.Is(err, errQuit) {
			return res, err
		}
		if err == nil {
			if slot.Old.IsMaster {
				r.use(mailjet.Credentials{APIKey: slot.Old.APIKey, Secret: res.NewSecret})
			}
			r.say("%s: done. %s", name, checkWords(res.Check))
			return res, nil
		}
		r.say("%s: %s", name, untrusted.Text(err.Error(), 400))
		if res.NewKey != "" && slot.Action == rotate.ReplaceSubKey {
			// The new key exists: finishing must not make a second one.
			if ok, qerr := r.yes("Try turning the old key off again"); qerr != nil || !ok {
				return res, qerr
			}
			ctx, cancel := context.WithTimeout(r.ctx, 2*time.Minute)
			res2, err2 := rot.FinishSub(ctx, slot, res)
			cancel()
			if err2 == nil {
				r.say("%s: done. %s", name, checkWords(res2.Check))
				return res2, nil
			}
			r.say("%s: %s", name, untrusted.Text(err2.Error(), 400))
			return res, nil
		}
		if ok, qerr := r.yes("Try again"); qerr != nil || !ok {
			return res, qerr
		}
	}
}

func checkWords(c rotate.Check) string {
	switch {
	case c.Problem != "":
		return "It could not be checked: " + untrusted.Clean(c.Problem)
	case c.OK():
		return "The new key works and the old one is refused."
	}
	return "Check the API keys page in a minute."
}

// handOver shows the new secrets if asked, and saves them if asked.
func (r *run) handOver(results []rotate.Result) error {
	if len(results) == 0 {
		return nil
	}
	r.say("Your apps need the new keys. The secrets are shown only now.")
	show, err := r.yes("Read out the new secrets now (make sure no one else can see or hear them)")
	if err != nil {
		return err
	}
	for _, res := range results {
		sec := res.NewSecret.Hint()
		if show {
			sec = res.NewSecret.Reveal()
		}
		r.say("%s: API key %s, secret key %s.", untrusted.Clean(res.Slot.Old.Name), res.NewKey, sec)
	}
	if r.cfg.Kiosk {
		return nil
	}
	if save, err := r.yes("Save the new keys to a file only you can read"); err != nil {
		return err
	} else if save {
		path := r.fileIn("mjrecover-new-keys-")
		if err := rotate.SaveSecrets(path, results); err != nil {
			r.say("Could not save the file: %s", untrusted.Text(err.Error(), 300))
		} else {
			r.say("Saved to %s.", untrusted.Clean(path))
		}
	}
	return nil
}

func (r *run) password() (support.StepResult, error) {
	checker := password.NewChecker(r.cfg.Breaches, r.cfg.CommonPasswords)
	r.say("Use at least 15 characters. A few unrelated words make a strong password that is easy to remember.")
	for {
		pw, err := r.secret("New password")
		if err != nil {
			return support.StepResult{}, err
		}
		again, err := r.secret("Type it again")
		if err != nil {
			return support.StepResult{}, err
		}
		pw, again = password.NormalizeSecret(pw), password.NormalizeSecret(again)
		if !pw.Equal(again) {
			r.say("The two passwords are not the same. Try again.")
			continue
		}
		r.say("Checking the password...")
		v := checker.Check(r.ctx, pw, r.account.Email)
		if v.Note != "" {
			r.say("%s", v.Note)
		}
		if !v.OK {
			r.say("Refused: %s", v.Reason)
			continue
		}
		r.say("This password passes every check (strength: %s).", v.Strength.Label)
		if r.rec == nil {
			r.say("Mailjet's API cannot change a password, so set it on the site:")
			r.say("open https://app.mailjet.com/account, and in your account settings change the password to this one.")
			if ok, err := r.yes("Is it done"); err != nil || !ok {
				if err == nil {
					continue
				}
				return support.StepResult{}, err
			}
			return support.StepResult{Status: support.StatusGuided, Detail: "Set on Mailjet's site after the checks."}, nil
		}
		if err := r.rec.ChangePassword(r.ctx, pw); err != nil {
			r.say("Mailjet did not take the new password: %s", untrusted.Text(err.Error(), 300))
			continue
		}
		r.say("Your password is changed.")
		return support.StepResult{Status: support.StatusDone, Detail: "Changed after the breach and strength checks."}, nil
	}
}

func (r *run) twoFactor() (support.StepResult, error) {
	if r.rec == nil {
		r.say("Mailjet's API cannot turn on two-factor authentication, so do it on the site:")
		r.say("open https://app.mailjet.com/account, turn on two-factor authentication in your account settings,")
		r.say("add the account to an authenticator app, and keep the backup codes Mailjet gives you.")
		if ok, err := r.yes("Is it on"); err != nil || !ok {
			if err == nil {
				err = errQuit
			}
			return support.StepResult{}, err
		}
		return support.StepResult{Status: support.StatusGuided, Detail: "Turned on in Mailjet's settings."}, nil
	}
	e, err := twofactor.New(r.account.Email, r.cfg.Rand)
	if err != nil {
		return support.StepResult{}, err
	}
	if err := e.Start(r.ctx, r.rec); err != nil {
		return support.StepResult{}, fmt.Errorf("start two-factor set-up: %w", err)
	}
	r.say("In your authenticator app, add an account by typing this key (time-based), in groups of four:")
	r.say("%s", twofactor.GroupsOf4(e.Seed().Reveal()))
	r.say("Or open this link on the phone: %s", e.URI())
	for {
		code, err := r.ask("The 6-digit code the app shows", "")
		if err != nil {
			return support.StepResult{}, err
		}
		err = e.Confirm(r.ctx, r.rec, code, r.cfg.Now())
		if err == nil {
			break
		}
		r.say("%s", untrusted.Text(err.Error(), 300))
		var backoff *twofactor.BackoffError
		if errors.As(err, &backoff) {
			r.say("Waiting %s...", backoff.Wait.Round(time.Second))
			select {
			case <-time.After(backoff.Wait):
			case <-r.ctx.Done():
				return support.StepResult{}, errQuit
			}
		}
	}
	r.say("Two-factor authentication is on.")
	codes, err := r.rec.RecoveryCodes(r.ctx)
	if err != nil {
		r.say("The recovery codes could not be made: %s. Make them later in Mailjet's settings.", untrusted.Text(err.Error(), 300))
		return support.StepResult{Status: support.StatusDone, Detail: "Enrolled; recovery codes not made."}, nil
	}
	r.say("If you lose your phone, %d recovery codes let you sign in; each works once.", len(codes))
	for {
		if !r.cfg.Kiosk {
			save, err := r.yes("Save them to a file only you can read")
			if err != nil {
				return support.StepResult{}, err
			}
			if save {
				path := r.fileIn("mjrecover-recovery-codes-")
				if err := twofactor.SaveCodes(path, r.account.Email, codes); err == nil {
					r.say("Saved to %s.", untrusted.Clean(path))
					return support.StepResult{Status: support.StatusDone, Detail: "Enrolled; recovery codes saved."}, nil
				}
				r.say("Could not save the file.")
			}
		}
		r.say("Then write them down. Make sure no one else can see or hear them:")
		for i, c := range codes {
			r.say("%d: %s", i+1, c.Reveal())
		}
		if ok, err := r.yes("Did you write all of them down"); err != nil {
			return support.StepResult{}, err
		} else if ok {
			return support.StepResult{Status: support.StatusDone, Detail: "Enrolled; recovery codes written down."}, nil
		}
	}
}

func (r *run) support() error {
	in := support.Input{Version: r.cfg.Version, Now: r.cfg.Now(), Account: r.account.Email,
		MasterKey: r.api.Credentials().APIKey, ScanRoot: r.scanRoot, Steps: r.results}
	if r.scan != nil {
		in.Findings = r.scan.Findings
	}
	last := support.StepResult{Number: 5, Name: stepNames[5], Status: support.StatusDone, Detail: "Sent by the recovery wizard."}
	if r.rec == nil {
		last.Status, last.Detail = support.StatusGuided, "The customer sends this report to Mailjet support."
	}
	in.Steps = append(in.Steps, last)
	report := support.Build(in)
	if r.rec != nil {
		sent, err := support.Submit(r.ctx, r.rec, report)
		if err != nil {
			r.say("Could not send the report: %s. Send the files below yourself.", untrusted.Text(err.Error(), 300))
		} else {
			report = sent
			r.say("Sent to Mailjet support: ticket %s.", untrusted.Clean(report.Ticket))
		}
	}
	md, js, err := support.Write(r.cfg.ReportDir, report)
	if err != nil {
		return fmt.Errorf("save the report: %w", err)
	}
	for _, s := range report.Steps {
		r.say("%d. %s: %s.", s.Number, s.Name, s.Status)
	}
	if report.RootCause != "" {
		r.say("Likely cause: %s", report.RootCause)
	}
	r.say("Report saved (only you can read it): %s and %s.", md, js)
	if report.Ticket == "" {
		r.say("Send both files to Mailjet support: https://app.mailjet.com/support")
	}
	r.outcome.Finished, r.outcome.ReportMarkdown, r.outcome.ReportJSON, r.outcome.Ticket = true, md, js, report.Ticket
	if r.cfg.OnStep != nil {
		r.cfg.OnStep(r.account.Email, last)
	}
	return nil
}
