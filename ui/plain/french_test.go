package plain

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// The accessible mode in French: its questions, its answers' words, the
// glossary and the goodbye, with nothing of its own left in English.
func TestPlainInFrench(t *testing.T) {
	t.Setenv("COLUMNS", "200") // whole lines, to find them
	p, missed := lang.Strictly(lang.French)
	cfg := demoConfig(t)
	cfg.Lang = p
	s := start(t, cfg)
	s.expect("mjrecover\u00a0: récupérez votre compte Mailjet. Tapez quit à n'importe quelle question pour arrêter")
	s.expect("Appuyez sur Entrée pour ")
	s.expect("\u00a0: ")
	s.answer("")
	s.expect("Étape 1 sur 5\u00a0: ")
	s.expect("]\u00a0: ") // the folder, with its default
	s.answer("")
	s.expect("un numéro (choisir un autre élément)\u00a0: ")
	s.answer("?")
	words := s.expect("un numéro (choisir un autre élément)\u00a0: ")
	for _, want := range []string{"Ce que veulent dire les mots\u00a0:", "clé API\u00a0: Un code que votre site",
		"clé secrète\u00a0: La moitié privée"} {
		if !strings.Contains(words, want) {
			t.Errorf("the glossary does not say %q:\n%s", want, words)
		}
	}
	s.answer("peut-être")
	s.expect("Ce n'est pas une des réponses possibles. ")
	s.answer("quitter") // quit, in French
	<-s.done
	if !strings.Contains(s.text(), "Arrêté. ") {
		t.Errorf("no goodbye in French:\n%s", s.text())
	}
	missed.Report(t.Errorf)
}

// "?" lists what the words of the screen mean, then asks again.
func TestPlainExplainsTheWords(t *testing.T) {
	s := start(t, demoConfig(t))
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("Folder to check [")
	s.answer("")
	s.expect("(choose another item): ")
	s.answer("?")
	words := s.expect("(choose another item): ")
	for _, want := range []string{"What the words mean:", "API key: A code your website or app uses",
		"secret key: The private half of the pair"} {
		if !strings.Contains(words, want) {
			t.Errorf("the glossary does not say %q:\n%s", want, words)
		}
	}
	if strings.Contains(words, "That is not one of the answers") {
		t.Errorf("? is taken for a wrong answer:\n%s", words)
	}
	s.answer("quit")
	<-s.done
}
