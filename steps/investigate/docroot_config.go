package investigate

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// configRoot is a document root named by a web server's configuration.
type configRoot struct {
	file string // slash path of the configuration file in the tree; "" for the machine's own
	path string // the root as the configuration names it: an absolute slash path on the server
}

// isServerConfigPath reports files (slash paths) that hold Apache or nginx
// site settings: httpd.conf, apache2.conf, nginx.conf and the like by
// name, and the files of sites-enabled/, sites-available/ (Debian's,
// without an extension for nginx), conf.d/, vhosts/ and vhosts.d/.
func isServerConfigPath(rel string) bool {
	dir, name := path.Split(rel)
	ext := path.Ext(name)
	switch {
	case ext == ".conf" && (strings.EqualFold(name, "httpd.conf") || strings.EqualFold(name, "apache2.conf") ||
		strings.EqualFold(name, "apache.conf") || strings.EqualFold(name, "httpd-vhosts.conf") ||
		strings.EqualFold(name, "nginx.conf") || strings.EqualFold(name, "vhost.conf") ||
		strings.EqualFold(name, "vhosts.conf")):
		return true
	case ext != "" && ext != ".conf" || dir == "":
		return false
	}
	parent := path.Base(dir)
	if strings.EqualFold(parent, "sites-enabled") || strings.EqualFold(parent, "sites-available") {
		return true
	}
	return ext == ".conf" && (strings.EqualFold(parent, "conf.d") || strings.EqualFold(parent, "vhosts") ||
		strings.EqualFold(parent, "vhosts.d"))
}

// serverConfigRoots returns the document roots a configuration file names.
// Its path tells Apache's from nginx's where it can; otherwise both
// readings are tried (each needs its own directive, so they do not mix).
func serverConfigRoots(file string, content []byte) []string {
	lower := strings.ToLower(file)
	nginx := strings.Contains(lower, "nginx")
	apache := strings.Contains(lower, "apache") || strings.Contains(lower, "httpd")
	var roots []string
	if !nginx {
		roots = append(roots, apacheDocRoots(content)...)
	}
	if !apache {
		roots = append(roots, nginxRoots(content)...)
	}
	return roots
}

// serverConfigPlaces are where Apache and nginx keep their settings on
// the usual systems: Debian and Ubuntu, Red Hat, SUSE, Alpine, FreeBSD,
// macOS with Homebrew, cPanel and Plesk. A folder's files are read, not
// its subfolders; Include directives are not followed.
func serverConfigPlaces() []string {
	return []string{
		"/etc/apache2/sites-enabled", "/etc/apache2/sites-available", "/etc/apache2/conf.d",
		"/etc/apache2/vhosts.d", "/etc/apache2/httpd.conf", "/etc/apache2/conf/httpd.conf",
		"/etc/apache2/extra/httpd-vhosts.conf", "/etc/apache2/plesk.conf.d/vhosts",
		"/etc/httpd/conf/httpd.conf", "/etc/httpd/conf.d", "/etc/httpd/conf/plesk.conf.d/vhosts",
		"/usr/local/apache/conf/httpd.conf", "/usr/local/apache2/conf/httpd.conf",
		"/usr/local/apache2/conf/extra/httpd-vhosts.conf", "/usr/local/etc/apache24/httpd.conf",
		"/usr/local/etc/apache24/Includes", "/usr/local/etc/apache24/extra/httpd-vhosts.conf",
		"/etc/nginx/nginx.conf", "/etc/nginx/sites-enabled", "/etc/nginx/sites-available",
		"/etc/nginx/conf.d", "/etc/nginx/vhosts.d", "/etc/nginx/plesk.conf.d/vhosts",
		"/usr/local/etc/nginx/nginx.conf", "/usr/local/etc/nginx/servers", "/usr/local/nginx/conf/nginx.conf",
		"/opt/homebrew/etc/nginx/nginx.conf", "/opt/homebrew/etc/nginx/servers",
		"/opt/homebrew/etc/httpd/httpd.conf", "/opt/homebrew/etc/httpd/extra/httpd-vhosts.conf",
	}
}

// Bounds on reading the machine's configuration: thousands of sites fit,
// and a huge or endless file cannot hold the scan.
const (
	maxMachineConfigFiles = 4096
	maxConfigFileSize     = 1 << 20
)

// machineDocRoots reads the document roots named by the web server
// configuration of the machine whose file system starts at sysroot ("/";
// tests give a fixture; "" reads nothing). Links are followed here
// (sites-enabled/ holds links to sites-available/): this is the machine's
// configuration, not a scanned tree. A root that is a link is resolved, as
// the scanned trees are.
func machineDocRoots(ctx context.Context, sysroot string) []configRoot {
	if sysroot == "" || runtime.GOOS == "windows" {
		return nil
	}
	var roots []configRoot
	read := 0
	for _, place := range serverConfigPlaces() {
		full := filepath.Join(sysroot, filepath.FromSlash(place))
		info, err := os.Stat(full)
		if err != nil {
			continue
		}
		files := []string{full}
		if info.IsDir() {
			files = files[:0]
			entries, _ := os.ReadDir(full) // unreadable: nothing to learn from it
			for _, e := range entries {
				files = append(files, filepath.Join(full, e.Name()))
			}
		}
		for _, f := range files {
			if ctx.Err() != nil || read == maxMachineConfigFiles {
				return roots
			}
			content, ok := readConfigFile(f)
			if !ok {
				continue
			}
			read++
			for _, root := range serverConfigRoots(place+"/"+filepath.Base(f), content) {
				if resolved, err := filepath.EvalSymlinks(filepath.FromSlash(root)); err == nil {
					root = filepath.ToSlash(resolved)
				}
				roots = append(roots, configRoot{path: root})
			}
		}
	}
	return roots
}

// readConfigFile reads a small regular file without blocking on a named
// pipe; ok is false for anything else.
func readConfigFile(name string) ([]byte, bool) {
	f, err := os.OpenFile(name, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() || info.Size() > maxConfigFileSize {
		return nil, false
	}
	content, err := io.ReadAll(io.LimitReader(f, maxConfigFileSize))
	return content, err == nil
}

// mapConfigRoot finds the folder of the tree a configured root names. The
// configuration names paths of the server, so:
//
//   - a root inside the tree's own folder is that folder (scanning
//     /var/www, /var/www/example.com/public is example.com/public);
//   - a tree inside a root is served below its address (scanning
//     /var/www/example.com/public/blog: "/blog");
//   - a configuration found in the tree may describe another machine
//     whose files the tree holds: a copy of the whole server (the
//     configuration at <copy>/etc/..., the root at <copy>/var/www/...),
//     or of a part (the longest end of the path that is a folder of the
//     tree, at least two folders long unless the tree's own name comes
//     before it).
func (t *tree) mapConfigRoot(c configRoot) (docRoot, bool) {
	p := c.path
	base := t.absSlash(".")
	if rel, ok := slashRel(base, p); ok {
		if real, ok := t.realFolder(rel); ok {
			return docRoot{rel: real, url: "/", config: true}, true
		}
		return docRoot{}, false
	}
	if rest, ok := slashRel(p, base); ok {
		return docRoot{rel: ".", url: "/" + rest, config: true}, true
	}
	if c.file == "" {
		return docRoot{}, false // the machine's configuration names the machine's paths
	}
	if prefix, ok := serverCopyTop(c.file); ok {
		if real, ok := t.realFolder(joinRel(prefix, p[1:])); ok {
			return docRoot{rel: real, url: "/", config: true}, true
		}
	}
	parts := strings.Split(p[1:], "/")
	for i := range parts {
		if len(parts)-i < 2 && (i == 0 || parts[i-1] != t.name) {
			continue
		}
		if real, ok := t.realFolder(strings.Join(parts[i:], "/")); ok {
			return docRoot{rel: real, url: "/", config: true}, true
		}
	}
	return docRoot{}, false
}

// serverCopyTop returns the folder holding a copy of a server's files,
// from a configuration file's path in it: "backup" for
// backup/etc/nginx/sites-enabled/shop, "." for etc/apache2/httpd.conf.
func serverCopyTop(file string) (string, bool) {
	parts := strings.Split(file, "/")
	for i, p := range parts[:len(parts)-1] {
		if p != "etc" {
			continue
		}
		top := parts[:i]
		if len(top) >= 2 && top[len(top)-2] == "usr" && top[len(top)-1] == "local" {
			top = top[:len(top)-2] // usr/local/etc
		}
		if len(top) == 0 {
			return ".", true
		}
		return strings.Join(top, "/"), true
	}
	return "", false
}

// slashRel returns p relative to base ("." for base itself) when p is
// base or inside it.
func slashRel(base, p string) (string, bool) {
	switch {
	case p == base:
		return ".", true
	case base == "/":
		return p[1:], p != "/"
	case strings.HasPrefix(p, base+"/"):
		return p[len(base)+1:], true
	}
	return "", false
}

// absSlash is rel's absolute path on this machine, in slash form.
func (t *tree) absSlash(rel string) string {
	return filepath.ToSlash(filepath.Join(t.dir, filepath.FromSlash(rel)))
}

// maxLinkHops bounds following links in realFolder (a loop ends there).
const maxLinkHops = 16

// realFolder returns the folder rel names in the tree with the symbolic
// links on its way resolved (a configuration names current/public where
// current is a link to releases/42, while the walk lists releases/42),
// or false when rel is no folder of the tree. A link is never followed
// out of the tree; an absolute target is mapped back into it when it
// points inside the tree's own folder.
func (t *tree) realFolder(rel string) (string, bool) {
	if t.isFile() {
		return "", false
	}
	todo := strings.Split(rel, "/")
	done, hops := ".", 0
	for len(todo) > 0 {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if done == "." {
				return "", false
			}
			done = path.Dir(done)
			continue
		}
		next := joinRel(done, part)
		info, err := t.top.lstat(next)
		if err != nil {
			return "", false
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			if hops++; hops > maxLinkHops {
				return "", false
			}
			target, err := t.top.readlink(next)
			if err != nil {
				return "", false
			}
			target = filepath.ToSlash(target)
			if path.IsAbs(target) {
				inside, ok := slashRel(t.absSlash("."), path.Clean(target))
				if !ok {
					return "", false
				}
				done, target = ".", inside
			}
			todo = append(strings.Split(target, "/"), todo...)
			continue
		}
		if !info.IsDir() {
			return "", false
		}
		done = next
	}
	return done, true
}
