package lesson

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// OpenMsg asks the app to open a lesson.
type OpenMsg struct{ Lesson *lessons.Lesson }

// CloseMsg asks the app to go back to the start page.
type CloseMsg struct{}

// List is the lessons with the learner's progress, to open one.
type List struct {
	c      *common.Common
	all    []*lessons.Lesson
	prog   *lessons.Progress
	err    error
	notice string // the progress file had to be set aside, …
	cursor int
	keys   ListKeys
}

// ListKeys are the list's keys.
type ListKeys struct{ Up, Down, Open, Back key.Binding }

// NewList lists all with their progress in prog; err is why the lessons
// could not be loaded, notice what happened to the progress file.
func NewList(c *common.Common, all []*lessons.Lesson, prog *lessons.Progress, err error, notice string) *List {
	l := &List{c: c, all: all, prog: prog, err: err, notice: notice}
	// No printable key is a key here either: a learner who comes from a
	// prompt may go on typing, and letters and spaces must not move the
	// cursor or open a lesson.
	l.keys = ListKeys{
		Up:   key.NewBinding(key.WithKeys("up", "shift+tab")),
		Down: key.NewBinding(key.WithKeys("down", "tab")),
		Open: key.NewBinding(key.WithKeys("enter")),
		Back: key.NewBinding(key.WithKeys("esc")),
	}
	return l
}

// Select puts the cursor on the lesson id, if listed: the lesson open,
// so that enter comes back to it.
func (l *List) Select(id string) {
	for i, les := range l.all {
		if les.ID == id {
			l.cursor = i
		}
	}
}

// Update moves the cursor, opens a lesson or goes back.
func (l *List) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	n := len(l.all)
	switch {
	case key.Matches(k, l.keys.Up) && n > 0:
		l.cursor = (l.cursor + n - 1) % n
	case key.Matches(k, l.keys.Down) && n > 0:
		l.cursor = (l.cursor + 1) % n
	case key.Matches(k, l.keys.Open) && n > 0:
		les := l.all[l.cursor]
		return func() tea.Msg { return OpenMsg{les} }
	case key.Matches(k, l.keys.Back):
		return func() tea.Msg { return CloseMsg{} }
	}
	return nil
}

// View draws the list centred in w×h: ✓ when every step is done, the
// title in the learner's language, the level and the steps done.
func (l *List) View(w, h int) string {
	t, lang := l.c.Theme, l.c.Lang
	lines := []string{t.Title.Render(l.c.T("lessons.title")), ""}
	if l.err != nil {
		lines = append(lines, t.Error.Render(l.c.Tf("lessons.error", l.err)))
	}
	// Titles and levels are padded to the widest, by display width, so
	// the steps done start in one column ("intermediate" is longer than
	// "beginner"; a Korean syllable takes two cells).
	titleW, levelW := 0, 0
	for _, les := range l.all {
		titleW = max(titleW, lipgloss.Width(les.Title.In(lang)))
		levelW = max(levelW, lipgloss.Width(lessons.LevelName(lang, les.Level)))
	}
	titleW = min(titleW, max(w-28-levelW, 20))
	for i, les := range l.all {
		done, total := l.prog.Done(les.ID, len(les.Steps)), len(les.Steps)
		mark := " "
		if done == total {
			mark = t.Ready.Render("✓")
		}
		title := frame.Pad(frame.Truncate(les.Title.In(lang), titleW), titleW)
		level := frame.Pad(lessons.LevelName(lang, les.Level), levelW)
		steps := l.c.Tf("lessons.steps", done, total)
		row := fmt.Sprintf("%s %2d  ", mark, i+1)
		if i == l.cursor {
			row += t.Selected.Render("▸ "+title) + "  " + t.Dim.Render(level) + "  " + t.Text.Render(steps)
		} else {
			row += "  " + t.Text.Render(title) + "  " + t.Dim.Render(level) + "  " + t.Dim.Render(steps)
		}
		lines = append(lines, row)
	}
	if len(l.all) > 0 {
		sum := strings.TrimSpace(l.all[l.cursor].Summary.In(lang))
		lines = append(lines, "")
		lines = append(lines, wrapStyled(t.Dim.Render, sum, min(max(w-8, 20), 76))...)
	}
	if l.notice != "" {
		lines = append(lines, "")
		lines = append(lines, wrapStyled(t.Warning.Render, l.notice, min(max(w-8, 20), 76))...)
	}
	lines = append(lines, "", t.Dim.Render(l.c.T("lessons.hint")))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.NewStyle().Align(lipgloss.Left).Render(strings.Join(lines, "\n")))
}
