package kiosk

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// loadHostKey reads the server's private host key at path, or makes an
// ed25519 one there (mode 0600, in a folder of mode 0700) when there is
// none. A key file others can read is refused: whoever reads it can pose
// as this server.
func loadHostKey(path string) (pemBytes []byte, signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data, err = createHostKey(path)
		if err != nil {
			return nil, nil, false, err
		}
		created = true
	case err != nil:
		return nil, nil, false, fmt.Errorf("host key: %w", err)
	default:
		info, err := os.Stat(path)
		if err != nil {
			return nil, nil, false, fmt.Errorf("host key: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return nil, nil, false, fmt.Errorf("host key %s can be read by other users (mode %04o): run chmod 600 on it", path, info.Mode().Perm())
		}
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return data, signer, created, nil
}

func createHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make a host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "mjrecover kiosk host key")
	if err != nil {
		return nil, fmt.Errorf("make a host key: %w", err)
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("host key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("host key: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("host key: %w", err)
	}
	return data, nil
}
