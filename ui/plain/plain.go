package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/ui"
)

// stepNames are the recovery's five steps, as the full-screen wizard
// names them.
var stepNames = [...]string{"", "Investigate", "Rotate API keys", "New password", "Two-factor authentication", "Contact support"}

// run is one plain session.
type run struct {
	prompter
	cfg      ui.Config
	ctx      context.Context
	api      *mailjet.Client
	rec      *recovery.Client // nil: guided steps
	account  mailjet.Account
	scan     *investigate.Result
	scanRoot string
	results  []support.StepResult
	outcome  ui.Outcome
}

// Run walks the five steps as prompts on in and out. hidden, when not nil,
// reads a line without echo (for secrets typed on a terminal).
func Run(cfg ui.Config, in io.Reader, out io.Writer, hidden func() (string, error)) (ui.Outcome, error) {
	r := &run{
		prompter: prompter{in: bufio.NewReader(in), out: out, hidden: hidden},
		cfg:      cfg,
		ctx:      cfg.Context,
	}
	if r.ctx == nil {
		r.ctx = context.Background()
	}
	err := r.all()
	if errors.Is(err, errQuit) {
		r.say("")
		r.say("Stopped. What you finished stays done at Mailjet. Run mjrecover again to go on.")
		return r.outcome, nil
	}
	return r.outcome, err
}

func (r *run) all() error {
	steps := []func() (support.StepResult, error){r.investigate, r.rotate, r.password, r.twoFactor}
	if err := r.welcome(); err != nil {
		return err
	}
	for i, step := range steps {
		r.say("")
		r.say("Step %d of 5: %s.", i+1, stepNames[i+1])
		res, err := step()
		if err != nil {
			return err
		}
		res.Number, res.Name = i+1, stepNames[i+1]
		r.results = append(r.results, res)
		if r.cfg.OnStep != nil {
			r.cfg.OnStep(r.account.Email, res)
		}
	}
	r.say("")
	r.say("Step 5 of 5: Contact support.")
	return r.support()
}

func (r *run) welcome() error {
	r.say("mjrecover: recover your Mailjet account.")
	r.say("Mailjet switched off your account because its API keys were found where they should not be.")
	r.say("This takes you through the five steps Mailjet asks for: 1. Investigate, 2. Rotate API keys,")
	r.say("3. New password, 4. Two-factor authentication, 5. Contact support. It takes 15 to 30 minutes.")
	r.say("Nothing changes at Mailjet until you say so. Type quit at any question to stop.")
	if r.cfg.Demo {
		r.say("Demo: a practice account on a built-in sandbox. Nothing real changes.")
	}
	creds := r.cfg.Credentials
	for {
		if creds == nil {
			r.say("")
			r.say("Your Primary API key and its secret are on https://app.mailjet.com/account/apikeys.")
			key, err := r.ask("API key", "")
			if err != nil {
				return err
			}
			sec, err := r.secret("Secret key")
			if err != nil {
				return err
			}
			creds = &mailjet.Credentials{APIKey: key, Secret: sec}
		}
		r.say("Connecting to Mailjet...")
		api := mailjet.New(r.cfg.APIBaseURL, *creds, mailjet.WithHTTPClient(r.cfg.HTTPClient))
		err := r.connect(api)
		if err == nil {
			return nil
		}
		r.say("%s", err)
		if r.cfg.Credentials != nil {
			if ok, err := r.yes("Try again"); err != nil || !ok {
				return errQuit
			}
			continue
		}
		creds = nil
	}
}

// connect checks the key pair and reads the account; its error is for
// the user to read.
func (r *run) connect(api *mailjet.Client) error {
	ctx, cancel := context.WithTimeout(r.ctx, 90*time.Second)
	defer cancel()
	account, err := api.Account(ctx)
	if err == nil {
		var keys []mailjet.APIKey
		if keys, err = api.ListAPIKeys(ctx); err == nil && !isMaster(keys, api.Credentials().APIKey) {
			return errors.New("This is a sub-account key. Use the Primary (master) API key: it can see and replace every key of the account.")
		}
	}
	switch {
	case errors.Is(err, mailjet.ErrUnauthorized):
		return errors.New("Mailjet refused this API key and secret. Copy both again from https://app.mailjet.com/account/apikeys.")
	case err != nil:
		return fmt.Errorf("Could not reach Mailjet: %s. Check the internet connection.", untrusted.Text(err.Error(), 300))
	}
	if want := r.cfg.RequireAccount; want != "" && !strings.EqualFold(want, account.Email) {
		return fmt.Errorf("These keys belong to another account than %s.", untrusted.Clean(want))
	}
	r.use(api.Credentials())
	r.account = account
	r.say("Signed in as %s.", untrusted.Clean(account.Email))
	return nil
}

// use points the clients at a (new) master key pair.
func (r *run) use(creds mailjet.Credentials) {
	r.api = mailjet.New(r.cfg.APIBaseURL, creds, mailjet.WithHTTPClient(r.cfg.HTTPClient))
	if r.cfg.RecoveryURL != "" {
		r.rec = recovery.New(r.cfg.RecoveryURL, creds, recovery.WithHTTPClient(r.cfg.HTTPClient))
	}
}

func isMaster(keys []mailjet.APIKey, apiKey string) bool {
	for _, k := range keys {
		if k.APIKey == apiKey {
			return k.IsMaster
		}
	}
	return false
}

// fileIn names a file the user asked for in the report folder.
func (r *run) fileIn(prefix string) string {
	return filepath.Join(r.cfg.ReportDir, prefix+r.cfg.Now().Format("20060102-150405")+".txt")
}
