// Package common is what every page and component of the UI is given: the
// theme, the language, the size it may draw in and the global keys. It is
// passed down, never global, so a test can build any part on its own.
package common

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Common is shared by every part of the UI.
type Common struct {
	Theme     *theme.Theme
	Lang      bilingual.Lang
	Width     int
	Height    int
	Presenter bool // workshop mode: every pane the full width, the last key shown
	Keys      Keys
	// Wall, when set, is the wall clock and the timers the playgrounds'
	// animation and clock follow: a recording's, which notes when each
	// timer fires, or a replay's, which fires them as noted. Nil: the
	// wall's own (time.Now, tea.Tick).
	Wall Wall
	// OnCommand, when set, hears each command line a playground starts.
	OnCommand func(Command)
	// OnOutput, when set, hears what a playground's commands print, as
	// the output pane takes it.
	OnOutput func(text string)
}

// Command is a command line a playground starts.
type Command struct {
	// Line is what runs: a here-document's command without its <<EOF.
	Line string
	// Stdin is its standard input: a here-document's body, the
	// editor's text; "" when none.
	Stdin string
	// Entered is the command as lines a shell is given, when it is more
	// than Line: a here-document's as the learner entered it (the line
	// that opened it, its body, its marker line); the editor's text as
	// the here-document the output pane says it is (apply -f - <<EOF).
	Entered []string
}

// Wall is a wall clock and its timers: After returns a Cmd that reports
// msg once d has passed on the clock.
type Wall interface {
	Now() time.Time
	After(d time.Duration, msg tea.Msg) tea.Cmd
}

// RealWall is the wall's own clock and timers.
type RealWall struct{}

// Now is time.Now.
func (RealWall) Now() time.Time { return time.Now() }

// After is tea.Tick's timer.
func (RealWall) After(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// Now is the time on the UI's wall clock (Wall, read when asked).
func (c *Common) Now() time.Time { return c.wall().Now() }

// After is a timer on the UI's wall clock (Wall, read when asked).
func (c *Common) After(d time.Duration, msg tea.Msg) tea.Cmd { return c.wall().After(d, msg) }

func (c *Common) wall() Wall {
	if c.Wall != nil {
		return c.Wall
	}
	return RealWall{}
}

// New returns the common state for lang on a dark or light background.
func New(lang bilingual.Lang, kind theme.Kind, dark bool) *Common {
	c := &Common{Lang: lang, Theme: theme.New(kind, dark)}
	c.Keys = NewKeys(c)
	return c
}

// T is the text of a message in the user's language.
func (c *Common) T(id string) string { return Text(c.Lang, id) }

// SetTheme rebuilds the styles, keeping kind or background.
func (c *Common) SetTheme(kind theme.Kind, dark bool) { c.Theme = theme.New(kind, dark) }

// Keys are the keys that work whatever has focus. None of them is a
// printable character: what the learner types always goes to the prompt,
// so a command line can start with any letter (`patch`, `port-forward`)
// and no key of it is ever taken for a control. Each control has a ctrl
// key, which every terminal sends, and a function key (htop, debuggers)
// where one fits; enter on an empty prompt steps, as it would in a
// debugger's console.
type Keys struct {
	Step, Play, Faster, Slower, Mode key.Binding
	Speed                            key.Binding // F7/F8 together, for the help line
	Next, Prev, Help, Back, Quit     key.Binding
	// Interrupt is ctrl+c: it ends a running command, as kubectl's ^C;
	// with none it clears the line, and on an empty line it quits.
	Interrupt               key.Binding
	Presenter, Theme, Enter key.Binding
	// Past moves through the hops of the past on an empty prompt: ←/→
	// one hop, ⇧ ten, End back to now (the playground's timeline).
	Past  key.Binding
	Panes string // what the focus keys do, in short
	Stop  string // what ctrl+c does while a command runs
	Clear string // what ctrl+c does to a line typed, nothing running
}

// NewKeys are the global keys with help in c's language.
func NewKeys(c *Common) Keys {
	b := func(label, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, c.T(desc)))
	}
	k := Keys{
		Step: b("⏎/^N", "key.step", "ctrl+n"), Play: b("^S", "key.play", "ctrl+s", "f5"),
		Faster: b("F8", "key.faster", "f8", "ctrl+up"), Slower: b("F7", "key.slower", "f7", "ctrl+down"),
		Speed: b("F7/F8", "key.speed", "f7", "f8"),
		Mode:  b("^T", "key.mode", "ctrl+t", "f4"), Next: b("⇧tab", "key.next", "shift+tab", "f6"), Prev: b("⇧F6", "key.prev", "shift+f6"),
		Help: b("^G", "key.help", "ctrl+g", "f1"), Back: b("esc", "key.back", "esc"), Quit: b("^Q", "key.quit", "ctrl+q", "f10"),
		Interrupt: b("^C", "key.interrupt", "ctrl+c"),
		Presenter: b("F2", "key.presenter", "f2"), Theme: b("F3", "key.theme", "f3"), Enter: b("⏎", "key.enter", "enter"),
		Past:  b("←/→", "key.past", "left", "right", "shift+left", "shift+right"),
		Panes: c.T("key.panes"), Stop: c.T("key.stop"), Clear: c.T("key.clear"),
	}
	return k
}

// Printable reports whether k types text: a letter, a digit, a space,
// punctuation, a syllable from an input method. Such a key belongs to
// the prompt, never to a control.
func Printable(k tea.KeyPressMsg) bool { return k.Text != "" }

// Answer reads a key as the answer to a yes/no question: y or enter says
// yes, n or esc says no; ok is false for any other key. The Korean
// keyboard's ㅛ and ㅜ (where y and n are) count, so that an input method
// left on does not block the answer.
func Answer(k tea.KeyPressMsg) (yes, ok bool) {
	switch k.String() {
	case "y", "Y", "ㅛ", "enter":
		return true, true
	case "n", "N", "ㅜ", "esc":
		return false, true
	}
	return false, false
}

// Question is the question of message id (quit?) as the bottom two lines
// of a screen w cells wide, where the prompt and the keys were: wrapped
// at spaces rather than cut, since its end says what is lost. A question
// longer than two lines ends in … on the second.
func (c *Common) Question(id string, w int) [2]string {
	return c.Ask(c.T(id), w)
}

// Ask is Question with its text given.
func (c *Common) Ask(text string, w int) [2]string {
	lines := WrapIndent(" "+text, w, 1)
	var out [2]string
	for i := range out {
		if i < len(lines) {
			out[i] = lines[i]
		}
	}
	if len(lines) > 2 {
		out[1] = ansi.Truncate(out[1], w-1, "") + "…"
	}
	out[0], out[1] = c.Theme.Warning.Render(out[0]), c.Theme.Warning.Render(out[1])
	return out
}

// Tf is message id in the user's language filled in with a, as
// fmt.Sprintf does, the Korean particles after what is filled in made to
// fit it (engine/korean): "%s가" reads "node-1이".
func (c *Common) Tf(id string, a ...any) string { return c.Lang.Sprintf(c.T(id), a...) }
