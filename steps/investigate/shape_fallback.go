package investigate

import "strings"

// A fallback literal is the value a program uses when a variable is not
// set: process.env.MJ_APIKEY_PUBLIC || 'KEY' (node), ?? (JS, PHP, C#),
// getenv('X') ?: 'KEY' (PHP), os.environ.get('X') or 'KEY' (Python),
// ${MJ_APIKEY_PUBLIC:-KEY} (shell, docker-compose). The literal is a real
// value, and the variable's name says what it is. (os.getenv("X", "KEY"),
// env('X', 'KEY') and Spring's ${X:KEY} already read as a name and its
// value.)

// fallbackReference reads the naming of a value at line[i+1:] (quotes
// and spaces already skipped back to i) written behind a fallback
// operator: the name is the variable the fallback stands in for.
func fallbackReference(line []byte, i, lo int) (naming, bool) {
	if i < lo {
		return naming{}, false
	}
	if n, ok := shellDefault(line, i, lo); ok {
		return n, true
	}
	j, ok := fallbackOperator(line, i, lo)
	if !ok {
		return naming{}, false
	}
	for j >= lo && isSpace(line[j]) {
		j--
	}
	name, start := referencedName(line, j, lo)
	if name == "" {
		// foo() || 'v', or the operator starts the line (PHP's
		// multi-line ?? chains): no name here.
		return naming{start: start, fallback: true}, true
	}
	return naming{segments: []string{name}, seps: "=", start: start}, true
}

// fallbackOperator reports a fallback operator ending at line[i] and
// returns the index just before it.
func fallbackOperator(line []byte, i, lo int) (int, bool) {
	if i-1 < lo {
		return 0, false
	}
	two := string(line[i-1 : i+1])
	switch two {
	case "||", "??", "?:":
		return i - 2, true
	case "or":
		// Python's "x or 'v'": a word of its own, after a space or ")".
		if i-2 >= lo && (isSpace(line[i-2]) || line[i-2] == ')' || line[i-2] == ']') {
			return i - 2, true
		}
	}
	return 0, false
}

// shellDefault reads ${NAME:-v}, ${NAME-v}, ${NAME:=v} and ${NAME=v}.
func shellDefault(line []byte, i, lo int) (naming, bool) {
	if line[i] != '-' && line[i] != '=' {
		return naming{}, false
	}
	j := i - 1
	if j >= lo && line[j] == ':' {
		j--
	}
	end := j
	for j >= lo && (isAlnum(line[j]) || line[j] == '_') {
		j--
	}
	if j == end || j-1 < lo || line[j] != '{' || line[j-1] != '$' {
		return naming{}, false
	}
	return naming{segments: []string{string(line[j+1 : end+1])}, seps: "=", start: j - 1}, true
}

// referencedName reads the variable a fallback stands in for, ending at
// line[j]: process.env.MJ_APIKEY_PUBLIC, getenv('MJ_APIKEY_PUBLIC'),
// $_ENV['MAILJET_APISECRET'], os.environ.get("X"). For a call or an
// index, the name is the quoted or bare word inside it.
func referencedName(line []byte, j, lo int) (string, int) {
	if j >= lo && (line[j] == ')' || line[j] == ']') {
		j--
		for j >= lo && (isQuote(line[j]) || isSpace(line[j])) {
			j--
		}
	}
	end := j
	for j >= lo && isNameByte(line[j]) {
		j--
	}
	return string(line[j+1 : end+1]), j + 1
}

// throughLookup handles a value written where a variable's name belongs:
// new MailjetClient(System.getenv("KEY"), System.getenv("SECRET")), as
// people do who paste their key and secret in place of the names. The
// lookup says nothing about the value; the call around it does, so the
// value is named as the lookup expression would be.
func throughLookup(line []byte, n naming) (naming, bool) {
	if len(n.segments) == 0 || !strings.ContainsAny(n.seps, "([") || !isEnvLookup(n.segments[len(n.segments)-1]) {
		return naming{}, false
	}
	outer := nameBefore(line, n.start)
	return outer, true
}

// isEnvLookup reports a function or map that reads a variable by name:
// getenv, env, os.environ(.get), process.env, $_ENV, $_SERVER, ENV(.fetch),
// System.getProperty, Environment.GetEnvironmentVariable.
func isEnvLookup(name string) bool {
	lower := strings.ToLower(name)
	fn := lower
	if i := strings.LastIndexAny(lower, ".>:"); i >= 0 {
		fn = lower[i+1:]
	}
	switch fn {
	case "getenv", "env", "environ", "getenvironmentvariable", "getproperty", "$_env", "$_server", "lookupenv":
		return true
	case "get", "fetch":
		return strings.HasSuffix(lower, "environ.get") || strings.HasSuffix(lower, "env.fetch") || strings.HasSuffix(lower, "env.get")
	}
	return false
}
