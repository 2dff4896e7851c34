// Package common is what every page and component of the UI is given: the
// theme, the language, the size it may draw in and the global keys. It is
// passed down, never global, so a test can build any part on its own.
package common

import (
	"charm.land/bubbles/v2/key"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Common is shared by every part of the UI.
type Common struct {
	Theme     *theme.Theme
	Lang      string // "en" or "ko"
	Width     int
	Height    int
	Presenter bool // workshop mode: flow and board only, bigger labels
	Keys      Keys
}

// New returns the common state for lang on a dark or light background.
func New(lang string, kind theme.Kind, dark bool) *Common {
	c := &Common{Lang: lang, Theme: theme.New(kind, dark)}
	c.Keys = NewKeys(c)
	return c
}

// T is the text of a message in the user's language.
func (c *Common) T(id string) string { return Text(c.Lang, id) }

// SetTheme rebuilds the styles, keeping kind or background.
func (c *Common) SetTheme(kind theme.Kind, dark bool) { c.Theme = theme.New(kind, dark) }

// Keys are the keys that work whatever has focus.
type Keys struct {
	Step, Play, Faster, Slower, Mode key.Binding
	Next, Prev, Help, Back, Quit     key.Binding
	Presenter, Theme, Enter          key.Binding
}

// NewKeys are the global keys with help in c's language.
func NewKeys(c *Common) Keys {
	b := func(desc string, keys ...string) key.Binding {
		label := keys[0]
		if label == " " {
			label = "space"
		}
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, c.T(desc)))
	}
	k := Keys{
		Step: b("key.step", "space"), Play: b("key.play", "p"),
		Faster: b("key.faster", "+", "="), Slower: b("key.slower", "-", "_"),
		Mode: b("key.mode", "m"), Next: b("key.next", "tab"), Prev: b("key.prev", "shift+tab"),
		Help: b("key.help", "?"), Back: b("key.back", "esc"), Quit: b("key.quit", "q", "ctrl+c"),
		Presenter: b("key.presenter", "f2"), Theme: b("key.theme", "f3"), Enter: b("key.enter", "enter"),
	}
	k.Faster.SetHelp("+/-", c.T("key.speed"))
	return k
}
