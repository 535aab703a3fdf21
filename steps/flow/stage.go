package flow

import "github.com/mjrecover/mjrecover/steps/lang"

// Stage names a part of the recovery. The ids are stable: the durable
// record keeps them, so reordering the code never re-reads an old record
// differently.
type Stage string

const (
	Connect       Stage = "connect"        // the key pair, the account, an earlier run to resume
	Investigate   Stage = "investigate"    // where the keys leaked
	Plan          Stage = "plan"           // the keys and what happens to each
	Rotate        Stage = "rotate"         // new keys, handed over, old ones switched off
	Files         Stage = "files"          // the new keys where apps read them
	Password      Stage = "password"       // a new password
	TwoFactor     Stage = "twofactor"      // an authenticator app
	RecoveryCodes Stage = "recovery-codes" // codes for a lost phone
	Review        Stage = "review"         // what an attacker may have left in the account
	Report        Stage = "report"         // the report to support
)

// Need is something a stage works from, made by an earlier one.
type Need string

const (
	NeedAccount  Need = "signed in"               // the master key pair works
	NeedScan     Need = "findings"                // what the investigation found
	NeedPlan     Need = "a confirmed plan"        // the customer said yes to the rotation
	NeedNewKeys  Need = "new keys"                // rotated keys whose secrets the customer has
	NeedSecrets  Need = "the new secrets at hand" // to write them into files
	NeedTwoFA    Need = "two-factor on"
	NeedOutcomes Need = "every stage's outcome"
)

// StageInfo describes a stage: which of the five steps it belongs to, its
// words, what it needs and what it makes.
type StageInfo struct {
	ID       Stage
	Step     int
	Name     string // of the step, in English (say it with Lang().Text)
	Why      string // in English (say it with Lang().Text)
	Needs    []Need
	Produces []Need
	// Kiosk is false for a stage a kiosk session skips: it cannot reach
	// the customer's files.
	Kiosk bool
	// Checklist: the stage's outcome is its step's line in the report's
	// checklist (the other stages of the step add to it).
	Checklist bool
}

// Stages is the recovery, in order.
func Stages() []StageInfo {
	return []StageInfo{
		{ID: Connect, Step: 0, Name: lang.Mark("Welcome"), Why: lang.Mark("Get your Mailjet account back, one step at a time."),
			Produces: []Need{NeedAccount}, Kiosk: true},
		{ID: Investigate, Step: 1, Name: lang.Mark("Investigate"), Why: lang.Mark("Find where your keys leaked, so the new ones do not leak the same way."),
			Needs: []Need{NeedAccount}, Produces: []Need{NeedScan}, Kiosk: true, Checklist: true},
		{ID: Plan, Step: 2, Name: lang.Mark("Rotate API keys"), Why: lang.Mark("New secrets lock out whoever copied the old ones."),
			Needs: []Need{NeedAccount}, Produces: []Need{NeedPlan}, Kiosk: true},
		{ID: Rotate, Step: 2, Name: lang.Mark("Rotate API keys"), Why: lang.Mark("New secrets lock out whoever copied the old ones."),
			Needs: []Need{NeedPlan}, Produces: []Need{NeedNewKeys, NeedSecrets}, Kiosk: true, Checklist: true},
		{ID: Files, Step: 2, Name: lang.Mark("Rotate API keys"), Why: lang.Mark("Your apps need the new keys; the scan knows where the old ones are."),
			Needs: []Need{NeedScan, NeedNewKeys, NeedSecrets}},
		{ID: Password, Step: 3, Name: lang.Mark("New password"), Why: lang.Mark("Whoever got in may know your password too."),
			Needs: []Need{NeedAccount}, Kiosk: true, Checklist: true},
		{ID: TwoFactor, Step: 4, Name: lang.Mark("Two-factor authentication"), Why: lang.Mark("A code from your phone stops anyone who only has your password."),
			Needs: []Need{NeedAccount}, Produces: []Need{NeedTwoFA}, Kiosk: true},
		{ID: RecoveryCodes, Step: 4, Name: lang.Mark("Two-factor authentication"), Why: lang.Mark("Codes that let you in if you lose your phone."),
			Needs: []Need{NeedTwoFA}, Kiosk: true, Checklist: true},
		{ID: Review, Step: 5, Name: lang.Mark("Contact support"), Why: lang.Mark("What else an attacker may have left behind in the account."),
			Needs: []Need{NeedAccount}, Kiosk: true},
		{ID: Report, Step: 5, Name: lang.Mark("Contact support"), Why: lang.Mark("Mailjet switches your account back on once support has the report."),
			Needs: []Need{NeedOutcomes}, Kiosk: true, Checklist: true},
	}
}

// StepCount is the number of recovery steps Mailjet asks for.
const StepCount = 5

// StepNames are the five steps' names, from 1, in English (say each with
// Lang().Text).
func StepNames() []string {
	names := make([]string, StepCount+1)
	for _, s := range Stages() {
		if names[s.Step] == "" {
			names[s.Step] = s.Name
		}
	}
	return names[1:]
}

// info is the stage's description.
func info(id Stage) StageInfo {
	for _, s := range Stages() {
		if s.ID == id {
			return s
		}
	}
	return StageInfo{ID: id}
}

// after is the stage that follows id ("" after the last), skipping
// stages a kiosk has no use for.
func after(id Stage, kiosk bool) Stage {
	all := Stages()
	for i, s := range all {
		if s.ID != id {
			continue
		}
		for _, n := range all[i+1:] {
			if n.Kiosk || !kiosk {
				return n.ID
			}
		}
	}
	return ""
}

// before is the stage before id ("" for the first).
func before(id Stage, kiosk bool) Stage {
	all := Stages()
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].ID != id {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			if all[j].Kiosk || !kiosk {
				return all[j].ID
			}
		}
	}
	return ""
}
