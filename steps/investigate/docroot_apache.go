package investigate

import (
	"bytes"
	"path"
	"strings"
)

// apacheDocRoots returns the DocumentRoot paths of an Apache
// configuration (httpd.conf, a <VirtualHost> file): absolute ones only,
// since a relative one depends on ServerRoot, and none built from
// variables (${APACHE_DOCUMENT_ROOT}). Directive names ignore case; a
// line may continue on the next after a backslash.
func apacheDocRoots(content []byte) []string {
	if indexFold(content, "documentroot") < 0 {
		return nil
	}
	var roots []string
	var pending string
	for raw := range bytes.Lines(content) {
		line := strings.TrimRight(string(raw), "\r\n")
		if strings.HasSuffix(line, `\`) {
			pending += strings.TrimSuffix(line, `\`)
			continue
		}
		line, pending = pending+line, ""
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.EqualFold(fields[0], "DocumentRoot") {
			continue
		}
		arg := strings.TrimSpace(strings.TrimSpace(line)[len(fields[0]):])
		if root, ok := configPath(unquote(arg)); ok {
			roots = append(roots, root)
		}
	}
	return roots
}

// unquote takes the first argument of a directive: "a quoted one" or a
// bare word.
func unquote(arg string) string {
	if len(arg) > 0 && (arg[0] == '"' || arg[0] == '\'') {
		if end := strings.IndexByte(arg[1:], arg[0]); end >= 0 {
			return arg[1 : 1+end]
		}
		return arg[1:]
	}
	if i := strings.IndexAny(arg, " \t"); i >= 0 {
		return arg[:i]
	}
	return arg
}

// configPath accepts an absolute path without variables, cleaned of a
// trailing slash; Windows paths (C:/xampp/htdocs) are left out.
func configPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "$%*?\x00") {
		return "", false
	}
	p = path.Clean(p)
	return p, p != "/"
}
