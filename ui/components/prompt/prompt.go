// Package prompt is the command line of the playground: history, and tab
// completion of verbs, kinds, names and flags. It takes what the learner
// types at all times, a command running or not: the playground queues a
// line entered while one runs.
package prompt

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// SubmitMsg is a command line the learner entered.
type SubmitMsg struct {
	Line string
	// Here is set when the line opened a here-document (`apply -f -
	// <<EOF`): Line is without the `<<EOF`, Body is what was entered up
	// to the marker line, the command's stdin, and Marker its end.
	Here         bool
	Body, Marker string
	// Entered is a here-document's command as the learner entered it, a
	// line each: the line that opened it, its body as typed (a `<<-`
	// body with its tabs) and the marker line.
	Entered []string
	// Err is why the line cannot run (a `<<` with no marker), in the
	// learner's language.
	Err error
}

// KeyMap is the prompt's keys.
type KeyMap struct{ Run, Complete, History key.Binding }

// Model is the prompt.
type Model struct {
	c       *common.Common
	in      textinput.Model
	width   int
	history []string
	hist    int // index into history while browsing; len(history) when not
	draft   string
	names   map[string][]string // by resource ("pods"), for completion
	choices []string            // what tab could not decide between
	busy    bool
	waiting bool
	queued  int // lines waiting for the running command to end
	keys    KeyMap
	// here is the here-document being entered, nil when none: lines
	// entered go to entered, after the line that opened it, until its
	// marker line, as in a shell.
	here    *console.HereDoc
	entered []string
	// suggested is the suggestion the line holds until a key touches it
	// ("" when none): it shows from its start.
	suggested string
	off       int // the first rune shown of a line too long for its width
}

// The prompt says what a line will run: kubectl's commands after an
// implied "kubectl ", kubeplay's own words (sleep, curl, …) and a line
// that names kubectl itself after a bare "$ ".
const (
	kubectlPrompt = "$ kubectl "
	barePrompt    = "$ "
	// herePrompt is the shell's continuation prompt (PS2): the line is a
	// here-document's.
	herePrompt = "> "
)

// Command is what line runs and how the output pane shows it: the word
// kubectl (or k) is optional, as in the shell, and kubeplay's own words
// typed after it — `kubectl sleep 75s`, as the prompt shows a suggestion
// — run as kubeplay's.
func Command(line string) (run, shown string) {
	line = strings.TrimSpace(line)
	first, rest, _ := strings.Cut(line, " ")
	if first == "kubectl" || first == "k" {
		rest = strings.TrimSpace(rest)
		if w, _, _ := strings.Cut(rest, " "); ownWord(w) {
			return rest, "$ " + rest
		}
		return line, "$ kubectl " + rest
	}
	if ownWord(first) {
		return line, "$ " + line
	}
	return line, kubectlPrompt + line
}

// ownWord reports whether w starts one of kubeplay's own commands rather
// than kubectl's; help, exit and quit after "kubectl" stay kubectl's.
func ownWord(w string) bool {
	return console.OwnWord(w) && w != "help" && w != "?" && w != "exit" && w != "quit"
}

// New returns an empty, focused prompt.
func New(c *common.Common) *Model {
	in := textinput.New()
	in.Prompt = kubectlPrompt
	st := textinput.DefaultStyles(c.Theme.Dark)
	// A blinking cursor would tick for ever; the playground is idle when
	// nothing moves.
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	b := func(desc, k string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, c.T(desc))) }
	m := &Model{c: c, in: in, keys: KeyMap{Run: b("key.run", "enter"), Complete: b("key.complete", "tab"), History: b("key.history", "up")}}
	m.keys.Run.SetHelp("⏎", c.T("key.run"))
	// "↑↓", not "↑/↓": the keys line is full at 120 columns, and ^C's
	// label ("quit…", "clear") needs the column.
	m.keys.History.SetHelp("↑↓", c.T("key.history"))
	return m
}

// SetSize sets the width of the line.
func (m *Model) SetSize(w, _ int) {
	m.width = w
	m.in.SetWidth(max(w-lenPrompt(m.in.Prompt)-1, 1))
	m.scroll()
}

func lenPrompt(p string) int { return len([]rune(p)) }

// SetNames sets the object names tab completes, by resource.
func (m *Model) SetNames(n map[string][]string) { m.names = n }

// SetBusy says a command runs: a line entered now waits its turn.
func (m *Model) SetBusy(b bool) { m.busy = b }

// SetQueued says how many lines wait for the running command.
func (m *Model) SetQueued(n int) { m.queued = n }

// SetWaiting says the running command waits for the learner to step.
func (m *Model) SetWaiting(w bool) { m.waiting = w }

// Focus and Blur route keys to the prompt or away from it.
func (m *Model) Focus() { m.in.Focus() }

// Blur takes the keys away from the prompt.
func (m *Model) Blur() { m.in.Blur() }

// SetFocused is Focus or Blur, as the page's focus keys move it.
func (m *Model) SetFocused(f bool) {
	if f {
		m.Focus()
	} else {
		m.Blur()
	}
}

// Value is the text typed so far.
func (m *Model) Value() string { return m.in.Value() }

// SetValue replaces the text, as a paste or a test would.
func (m *Model) SetValue(s string) {
	m.in.SetValue(s)
	m.in.CursorEnd()
	m.suggested = ""
	m.syncPrompt()
	m.scroll()
}

// Suggest fills the line with a suggested command. Until a key touches
// it, it shows from its first word, cut at its end if it must be: the
// learner reads the command whole from where it starts, not its tail.
// The cursor stays at the end, where an editing key takes it up.
func (m *Model) Suggest(s string) { m.SetValue(s); m.suggested = s }

// syncPrompt shows "$ kubectl " before a kubectl command and "$ " before a
// line that names kubectl or starts with one of kubeplay's own words, so
// that the line reads as what runs.
func (m *Model) syncPrompt() {
	v := strings.TrimLeft(m.in.Value(), " ")
	first, _, complete := strings.Cut(v, " ")
	p := kubectlPrompt
	if m.here != nil {
		p = herePrompt
	} else if first == "kubectl" || (complete && first == "k") || ownWord(first) {
		p = barePrompt
	}
	if p != m.in.Prompt {
		m.in.Prompt = p
		m.SetSize(m.width, 1)
	}
}

// ShortHelp is the prompt's keys in short.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Run, m.keys.Complete, m.keys.History}
}

// FullHelp is every key of the prompt.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update handles a key for the prompt.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Run):
			sub, ok := m.enter(m.in.Value())
			m.SetValue("")
			if !ok {
				return nil
			}
			return func() tea.Msg { return sub }
		case key.Matches(k, m.keys.Complete):
			m.complete()
			return nil
		case k.String() == "up":
			m.browse(-1)
			return nil
		case k.String() == "down":
			m.browse(+1)
			return nil
		}
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	m.choices = nil
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.suggested = ""
	}
	m.syncPrompt()
	m.scroll()
	return cmd
}

// InHereDoc reports whether the lines entered are a here-document's body.
func (m *Model) InHereDoc() bool { return m.here != nil }

// OpensHereDoc reports whether line, entered now, would open a
// here-document.
func (m *Model) OpensHereDoc(line string) bool {
	_, ok, _ := console.OpenHereDoc(strings.TrimSpace(line), m.c.Lang)
	return ok
}

// CancelHereDoc drops the here-document being entered, as ^C does in a
// shell; it reports whether there was one.
func (m *Model) CancelHereDoc() bool {
	if m.here == nil {
		return false
	}
	m.here, m.entered = nil, nil
	m.SetValue("")
	return true
}

// enter takes one line as entered (raw: a body keeps its indentation)
// and says what runs, if anything does: a command line, or a
// here-document's command once its marker line is entered.
func (m *Model) enter(raw string) (SubmitMsg, bool) {
	if h := m.here; h != nil {
		m.entered = append(m.entered, raw)
		if !h.Ends(raw) {
			return SubmitMsg{}, false
		}
		var body strings.Builder
		for _, l := range m.entered[1 : len(m.entered)-1] {
			body.WriteString(h.BodyLine(l) + "\n")
		}
		sub := SubmitMsg{Line: h.Line, Here: true, Body: body.String(), Marker: h.Marker, Entered: m.entered}
		m.here, m.entered = nil, nil
		return sub, true
	}
	line := strings.TrimSpace(raw)
	if line == "" {
		return SubmitMsg{}, false
	}
	if len(m.history) == 0 || m.history[len(m.history)-1] != line {
		m.history = append(m.history, line)
	}
	m.hist, m.choices = len(m.history), nil
	h, ok, err := console.OpenHereDoc(line, m.c.Lang)
	if ok {
		m.here, m.entered = &h, []string{line}
		return SubmitMsg{}, false
	}
	return SubmitMsg{Line: line, Err: err}, true
}

// AsHereDoc is line with body as its here-document, as the lines a
// shell is given: "line <<EOF", the body's lines, "EOF"; the marker is
// made longer while a line of the body is it, which would end the body
// there.
func AsHereDoc(line, body string) []string {
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if body == "" {
		lines = nil
	}
	h := console.HereDoc{Marker: "EOF"}
	for slices.ContainsFunc(lines, h.Ends) {
		h.Marker += "_"
	}
	return slices.Concat([]string{line + " <<" + h.Marker}, lines, []string{h.Marker})
}

// Paste takes pasted text as typed: each line it ends is entered, the
// rest stays on the prompt, and it returns what runs, in order. A
// terminal's bracketed paste ends lines with CR, or CRLF, or LF.
func (m *Model) Paste(text string) []SubmitMsg {
	lines := strings.Split(m.in.Value()+Lines(text), "\n")
	var subs []SubmitMsg
	for _, l := range lines[:len(lines)-1] {
		if sub, ok := m.enter(l); ok {
			subs = append(subs, sub)
		}
	}
	m.SetValue(lines[len(lines)-1])
	return subs
}

// Lines writes a paste's line ends, CR, CRLF or LF, as LF.
func Lines(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// cols is how many columns the line has after the prompt, its cursor's
// cell included.
func (m *Model) cols() int { return m.width - lenPrompt(m.in.Prompt) }

// ellipsis marks where a line too long for the prompt goes on.
const ellipsis = "…"

// scroll keeps the cursor in view on a line too long for the prompt, as
// readline does: the line moves only when the cursor would leave the
// columns, and "…" stands for what is out of view on either side.
func (m *Model) scroll() {
	v, pos, cols := []rune(m.in.Value()), m.in.Position(), m.cols()
	if cols < 3 || width(v)+1 <= cols {
		m.off = 0
		return
	}
	m.off = min(m.off, pos)
	// What must fit: "…" for the start when it is out of view, the line
	// up to the cursor's cell, and a column for the "…" of a tail.
	need := func(off int) int {
		n := width(v[off:min(pos+1, len(v))])
		if off > 0 {
			n++
		}
		return n + 1 // the cursor's cell after the end, or the tail's "…"
	}
	for m.off < pos && need(m.off) > cols {
		m.off++
	}
}

// window is the line as the prompt shows it in cols columns from rune
// off on, and where its cursor is in what it shows.
func window(v []rune, pos, off, cols int) (shown []rune, cur int) {
	if cols < 3 || width(v)+1 <= cols {
		return v, pos
	}
	used := 0
	if off > 0 {
		shown, used = []rune(ellipsis), 1
	}
	cur = pos - off + len(shown)
	rest := v[off:]
	if used+width(rest)+1 <= cols {
		return append(shown, rest...), cur
	}
	for _, r := range rest {
		if used+width([]rune{r}) > cols-1 {
			break
		}
		shown = append(shown, r)
		used += width([]rune{r})
	}
	return append(shown, []rune(ellipsis)...), cur
}

func width(v []rune) int { return ansi.StringWidth(string(v)) }

// line draws the prompt and the line in its columns, the cursor where it
// is; a suggestion from its start, the cursor on its first character as
// on a placeholder.
func (m *Model) line() string {
	v, pos, off := []rune(m.in.Value()), m.in.Position(), m.off
	suggestion := m.suggested != "" && m.suggested == m.in.Value()
	if suggestion {
		off = 0
	}
	shown, cur := window(v, pos, off, m.cols())
	if suggestion && len(shown) < len(v) {
		cur = 0
	}
	// A copy of the field draws it: the prompt, the text and the
	// cursor in the field's own styles, no wider than what it shows.
	in := m.in
	in.SetWidth(0)
	in.SetValue(string(shown))
	in.SetCursor(cur)
	return in.View()
}

func (m *Model) browse(d int) {
	if len(m.history) == 0 {
		return
	}
	if m.hist == len(m.history) {
		m.draft = m.in.Value()
	}
	m.hist = min(max(m.hist+d, 0), len(m.history))
	if m.hist == len(m.history) {
		m.SetValue(m.draft)
		return
	}
	m.SetValue(m.history[m.hist])
}

func (m *Model) complete() {
	v := m.in.Value()
	cands, word := Candidates(v, m.names)
	switch {
	case len(cands) == 0:
		m.choices = nil
	case len(cands) == 1:
		m.SetValue(v[:len(v)-len(word)] + cands[0] + " ")
		m.choices = nil
	default:
		m.SetValue(v[:len(v)-len(word)] + commonPrefix(cands))
		m.choices = cands
	}
}

// View draws the prompt line, then the choices tab offered, then, while
// a command runs, that it runs, what it waits for and what is queued.
func (m *Model) View() string {
	var after string
	if len(m.choices) > 0 {
		after += "  " + m.c.Theme.Dim.Render(strings.Join(m.choices, " "))
	}
	if m.busy {
		status := m.c.T("out.running")
		if m.queued > 0 {
			status += " · " + m.c.Tf("out.nqueued", m.queued)
		}
		after += "  " + m.c.Theme.Dim.Render(status)
		if m.waiting {
			after += m.c.Theme.Dim.Render(" · ") + m.c.Theme.Warning.Render(m.c.T("out.waiting")+m.c.T("out.waitstep"))
		}
	}
	if after == "" {
		return frame.Pad(m.line(), m.width)
	}
	// The field is as wide as what it shows, so that what follows it
	// shows beside it.
	return frame.Truncate(m.line()+after, m.width)
}

// Cursor is where the terminal's cursor goes, relative to the prompt.
func (m *Model) Cursor() *tea.Cursor { return m.in.Cursor() }

func commonPrefix(s []string) string {
	p := s[0]
	for _, x := range s[1:] {
		for !strings.HasPrefix(x, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
