// Package remote reads repositories that are not on disk: it clones one
// by its address into a private temporary folder with go-git (no hook,
// filter, textconv, submodule or configuration of the repository is used
// or run; the download is size-capped) and reads every commit with
// investigate's history reading (Clone, Scan); it lists an account's
// public repositories on GitHub or GitLab through their REST APIs,
// honouring their rate limits (GitHub.Repositories,
// GitLab.Repositories); and with a GitHub token it runs GitHub's code
// search for API keys found, to report where else they are published
// (SearchPublished).
//
// An account's forks are listed and read too: a fork holds mostly
// someone else's code, but what the account's owner committed to it is
// as public as the rest, and keys are often committed there. (Keys of
// the upstream project found in a fork are reported as any key is; the
// wizard tells the customer's own keys from others' with MarkOwned.)
//
// Tokens are held as secret.Secret and sent only to the forge API's own
// host; text from a forge (names, addresses, messages) is cleaned with
// untrusted.Clean before it reaches an error, a Finding or a Skip.
package remote
