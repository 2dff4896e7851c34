package lesson

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
)

// The pane beside the playground is at least paneMin and at most paneMax
// columns; below MinWidth×MinHeight it goes above the playground,
// stackedMin rows high, when the terminal is tall enough.
const (
	paneMin    = 34
	paneMax    = 60
	stackedMin = 10
	stackedMax = 16
	MinWidth   = playground.MinWidth + paneMin
	MinHeight  = playground.MinHeight
)

// SetSize lays the page out for a terminal of w×h: the pane beside the
// playground when there is room, above it when the terminal is tall.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.pw, m.ph = w, h
	switch {
	case w >= MinWidth:
		m.pw = w - min(paneMax, w-playground.MinWidth)
	case h >= playground.MinHeight+stackedMin:
		m.ph = h - min(stackedMax, h-playground.MinHeight)
	}
	m.inPlay(func() { m.play.SetSize(m.pw, m.ph) })
}

// inPlay runs f with the shared size set to the playground's part of the
// page: the playground draws in what the common size says.
func (m *Model) inPlay(f func()) {
	w, h := m.c.Width, m.c.Height
	m.c.Width, m.c.Height = m.pw, m.ph
	defer func() { m.c.Width, m.c.Height = w, h }()
	f()
}

// View draws the playground with the lesson pane beside or above it.
func (m *Model) View() string {
	switch {
	case m.w >= MinWidth && m.h >= MinHeight:
		var play string
		m.inPlay(func() { play = m.play.View() })
		return frame.Beside(play, m.pane(m.w-m.pw, m.h))
	case m.w >= playground.MinWidth && m.h >= playground.MinHeight+stackedMin:
		var play string
		m.inPlay(func() { play = m.play.View() })
		return m.pane(m.w, m.h-m.ph) + "\n" + play
	}
	return fmt.Sprintf(m.c.T("lesson.small"), MinWidth, MinHeight, playground.MinWidth, playground.MinHeight+stackedMin, m.w, m.h)
}

// pane is the lesson pane, w×h with its border: the step on top, what
// happens now (an explanation, a hint, ✓) at the bottom, the keys last.
func (m *Model) pane(w, h int) string {
	t := m.c.Theme
	lang := m.c.Lang
	l, s := m.run.L, m.run.Step()
	iw, ih := w-2, h-2

	head := t.Title.Render(fmt.Sprintf(m.c.T("lesson.step"), m.run.Index()+1, len(l.Steps)))
	head += "  " + t.Dim.Render(fmt.Sprintf(m.c.T("lesson.progress"), m.run.Progress().Done(l.ID, len(l.Steps)), len(l.Steps)))
	if m.passed {
		head += "  " + t.Ready.Render(m.c.T("lesson.done"))
	}
	top := []string{head, ""}
	top = append(top, wrapStyled(t.Text.Render, s.Text.In(lang), iw)...)
	if mf := s.Manifest; mf != nil {
		top = append(top, "", t.Accent.Render(frame.Truncate(fmt.Sprintf(m.c.T("lesson.manifest"), mf.Name), iw)))
		for _, line := range strings.Split(strings.TrimRight(string(mf.Data()), "\n"), "\n") {
			top = append(top, t.Dim.Render("  "+line))
		}
	}
	top = append(top, "")
	if m.untouched() {
		top = append(top, wrapStyled(t.Accent.Render, m.c.T("lesson.try"), iw)...)
	}
	if c := s.Check; c != nil {
		top = append(top, wrapStyled(t.Dim.Render, fmt.Sprintf(m.c.T("lesson.waits"), c), iw)...)
	} else {
		top = append(top, wrapStyled(t.Dim.Render, m.c.T("lesson.nocheck"), iw)...)
	}

	var bottom []string
	add := func(render func(...string) string, text string) {
		bottom = append(bottom, wrapStyled(render, text, iw)...)
	}
	if m.explain != "" && !m.finished {
		h := m.hop
		add(t.Packet.Render, fmt.Sprintf("▸ %s → %s  %s %s", h.From, h.To, h.Verb, h.Object))
		add(t.Text.Render, m.explain)
		if m.held {
			add(t.Key.Render, m.c.T("lesson.continue"))
		}
		bottom = append(bottom, "")
	}
	if m.hint != "" {
		add(t.Accent.Render, m.hint)
	}
	if m.notice != "" {
		add(t.Warning.Render, m.notice)
	}
	switch {
	case m.finished:
		done, total := m.run.Progress().Done(l.ID, len(l.Steps)), len(l.Steps)
		if done == total {
			add(t.Ready.Render, fmt.Sprintf(lessons.Message(lang, "complete"), l.Title.In(lang), done, total))
		} else {
			add(t.Warning.Render, fmt.Sprintf(lessons.Message(lang, "ended"), m.run.Index()+1, total, done, total, l.ID))
		}
		add(t.Dim.Render, m.c.T("lesson.complete"))
	case m.passed:
		add(t.Ready.Render, fmt.Sprintf(m.c.T("lesson.passed"), m.run.Index()+1))
	}
	if m.through {
		add(t.Dim.Render, m.c.T("lesson.through"))
	}
	bottom = append(bottom, m.keyLine(iw))

	room := max(ih-len(bottom), 0)
	if len(top) > room {
		top = top[:room]
	}
	gap := make([]string, max(ih-len(top)-len(bottom), 0))
	body := strings.Join(append(append(top, gap...), bottom...), "\n")
	return frame.Render(m.c, m.c.T("pane.lesson")+" · "+l.Title.In(lang), false, w, h, body)
}

// keyLine is the page's keys in short.
func (m *Model) keyLine(w int) string {
	t := m.c.Theme
	var parts []string
	keys := []struct {
		show bool
		k    string
		desc string
	}{
		{m.held, m.keys.Continue.Help().Key, m.keys.Continue.Help().Desc},
		{true, m.keys.Hint.Help().Key, m.keys.Hint.Help().Desc},
		{true, m.keys.Next.Help().Key, m.keys.Next.Help().Desc},
		{true, m.keys.Back.Help().Key, m.keys.Back.Help().Desc},
		{true, m.keys.Through.Help().Key, m.keys.Through.Help().Desc},
		{true, m.keys.Quit.Help().Key, m.keys.Quit.Help().Desc},
	}
	for _, k := range keys {
		if k.show {
			parts = append(parts, t.Key.Render(k.k)+" "+t.Dim.Render(k.desc))
		}
	}
	return frame.Truncate(strings.Join(parts, t.Dim.Render(" · ")), w)
}

// wrapStyled reflows text to w columns, paragraph by paragraph (lesson
// files break their lines for a wider pane), and styles each line.
func wrapStyled(render func(...string) string, text string, w int) []string {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paras {
		paras[i] = ansi.Wrap(strings.Join(strings.Fields(p), " "), w, "")
	}
	lines := strings.Split(strings.Join(paras, "\n\n"), "\n")
	for i, l := range lines {
		lines[i] = render(l)
	}
	return lines
}
