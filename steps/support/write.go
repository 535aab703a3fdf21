package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
)

// maxNameTries bounds the search for a free file name ("-2", "-3", …).
const maxNameTries = 100

// Write saves the report as Markdown (in the customer's language) and
// JSON (English, for support's tools), both 0600, in dir, with names
// from the report's time; it returns both paths. Existing files are never
// replaced: a "-2", "-3"… suffix is added instead.
func Write(dir string, r Report) (mdPath, jsonPath string, err error) {
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("encode the report: %w", err)
	}
	js = append(js, '\n')
	md := []byte(r.Markdown())

	base := "mjrecover-report-" + r.CreatedAt.Format("20060102-150405")
	for n := 1; n <= maxNameTries; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		mdPath = filepath.Join(dir, name+".md")
		jsonPath = filepath.Join(dir, name+".json")
		err = privatefile.Create(mdPath, md)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", "", &saidError{r.lang.T("save the report: %s", err.Error()), err}
		}
		err = privatefile.Create(jsonPath, js)
		if errors.Is(err, fs.ErrExist) {
			_ = os.Remove(mdPath) // keep the pair under one name
			continue
		}
		if err != nil {
			_ = os.Remove(mdPath)
			return "", "", &saidError{r.lang.T("save the report: %s", err.Error()), err}
		}
		return mdPath, jsonPath, nil
	}
	return "", "", errors.New(r.lang.T("save the report in %[1]s: %[2]s reports with the name %[3]s already exist", dir, strconv.Itoa(maxNameTries), base))
}

// saidError is an error in the customer's language that still is
// (errors.Is) the error it says.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }
