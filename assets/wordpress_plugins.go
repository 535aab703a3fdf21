package assets

import _ "embed"

//go:embed data/wordpress-plugins.json
var wordPressPluginsJSON []byte

// WordPressPluginsJSON returns the bundled table of WordPress plugins
// (a release known to exist and known-vulnerable version ranges); package
// steps/investigate/wpdata parses it. The file states its source and date.
func WordPressPluginsJSON() []byte { return wordPressPluginsJSON }
