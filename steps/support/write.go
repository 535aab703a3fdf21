package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
)

// maxNameTries bounds the search for a free file name ("-2", "-3", …).
const maxNameTries = 100

// Write saves the report as Markdown and JSON (0600) in dir, with names
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
			return "", "", fmt.Errorf("save the report: %w", err)
		}
		err = privatefile.Create(jsonPath, js)
		if errors.Is(err, fs.ErrExist) {
			_ = os.Remove(mdPath) // keep the pair under one name
			continue
		}
		if err != nil {
			_ = os.Remove(mdPath)
			return "", "", fmt.Errorf("save the report: %w", err)
		}
		return mdPath, jsonPath, nil
	}
	return "", "", fmt.Errorf("save the report in %s: %d reports with the name %s already exist", dir, maxNameTries, base)
}
