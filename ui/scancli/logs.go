package scancli

import (
	"flag"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// logFlags are the access-log options: which logs to read to tell who
// downloaded the exposed files.
type logFlags struct {
	files  pathList // --logs, repeatable
	noLogs bool
}

// pathList is a repeatable flag of paths.
type pathList []string

func (l *pathList) String() string { return strings.Join(*l, ", ") }
func (l *pathList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func (lf *logFlags) register(fs *flag.FlagSet, p *lang.Printer) {
	fs.Var(&lf.files, "logs", p.T("read access logs at `PATH` (file or folder, repeatable)"))
	fs.BoolVar(&lf.noLogs, "no-logs", false, p.T("do not read access logs"))
}

// sources says where the scan reads access logs: the named ones, or the
// scanned folders' own and the usual system places (under systemRoot).
func (lf logFlags) sources(systemRoot string) *investigate.LogSources {
	if lf.noLogs {
		return nil
	}
	if len(lf.files) > 0 {
		return &investigate.LogSources{Files: lf.files}
	}
	return &investigate.LogSources{SystemRoots: []string{systemRoot}}
}
