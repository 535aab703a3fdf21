// Package privatefile writes the files the wizard leaves for the user
// (reports, new secrets, recovery codes): readable by the user alone, and
// never written over an existing file.
package privatefile

import "os"

// Create makes path with mode 0600 and writes data to it. It fails with an
// error matching fs.ErrExist when path exists (O_EXCL: no file is replaced
// and no link followed), and removes what it created when the write fails,
// so a half-written file is never left behind.
func Create(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err // *PathError names the file
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// SyncDir makes a new name or a rename in dir durable (a power cut after
// it keeps the name). Some file systems cannot sync a folder; the name
// stands anyway, so errors are ignored.
func SyncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
