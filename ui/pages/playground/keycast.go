package playground

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// keycast is what the presenter just did, for a room watching: the last
// command entered and the control keys pressed since, repeats counted
// ("^N ×12"), so the back row can follow without seeing the keyboard.
type keycast struct {
	command string
	keys    []castKey
}

type castKey struct {
	name  string
	times int
}

// castKeys is how many keys the cast keeps after the command.
const castKeys = 4

// key records a control key; keys that type text are the prompt's, and
// show there.
func (c *keycast) key(k tea.KeyPressMsg) {
	if k.Text != "" {
		return
	}
	name := keyName(k.String())
	if n := len(c.keys); n > 0 && c.keys[n-1].name == name {
		c.keys[n-1].times++
		return
	}
	c.keys = append(c.keys, castKey{name, 1})
	if len(c.keys) > castKeys {
		c.keys = c.keys[len(c.keys)-castKeys:]
	}
}

// run records a command entered: the keys before it are done with.
func (c *keycast) run(shown string) {
	c.command, c.keys = shown, nil
}

// keyName spells a key as keyboards and help lines do: ^N, F2, ⏎, ⇧Tab.
func keyName(s string) string {
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok && len(rest) == 1 {
		return "^" + strings.ToUpper(rest)
	}
	if named, ok := map[string]string{"enter": "⏎", "esc": "Esc", "tab": "Tab", "shift+tab": "⇧Tab", "up": "↑", "down": "↓",
		"left": "←", "right": "→", "pgup": "PgUp", "pgdown": "PgDn", "home": "Home", "end": "End", "backspace": "⌫",
		"space": "Space", "ctrl+up": "^↑", "ctrl+down": "^↓"}[s]; ok {
		return named
	}
	if len(s) >= 2 && s[0] == 'f' && s[1] >= '0' && s[1] <= '9' {
		return "F" + s[1:]
	}
	return s
}

// text is the cast as one line of at most w cells: "⌨ $ kubectl get
// pods  ^N ×12  F2"; a long command is cut, the keys after it kept.
func (c *keycast) text(w int) string {
	var keys []string
	for _, k := range c.keys {
		if k.times > 1 {
			keys = append(keys, fmt.Sprintf("%s ×%d", k.name, k.times))
		} else {
			keys = append(keys, k.name)
		}
	}
	tail := strings.Join(keys, "  ")
	if c.command == "" && tail == "" {
		return ""
	}
	cmd := c.command
	if tail != "" && cmd != "" {
		tail = "  " + tail
	}
	if room := w - 2 - ansi.StringWidth(tail); ansi.StringWidth(cmd) > room {
		cmd = ansi.Truncate(cmd, max(room, 1), "…")
	}
	return ansi.Truncate("⌨ "+cmd+tail, w, "…")
}

// themeLabel is the message id naming theme t on screen.
func themeLabel(t *theme.Theme) string {
	switch {
	case t.Kind == theme.NoColor:
		return "theme.nocolor"
	case t.Kind == theme.HighContrast:
		return "theme.contrast"
	case t.Dark:
		return "theme.dark"
	}
	return "theme.light"
}
