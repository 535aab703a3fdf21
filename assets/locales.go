package assets

import (
	"embed"
	"io/fs"
)

// The message catalogs: locales/<language>/*.json, each file a JSON object
// from an English message to its translation (steps/lang reads them).
//
//go:embed locales
var localeFiles embed.FS

// Locales is the folder of message catalogs, one sub-folder per language.
func Locales() fs.FS {
	sub, err := fs.Sub(localeFiles, "locales")
	if err != nil { // only if the embed directive above changes
		return localeFiles
	}
	return sub
}
