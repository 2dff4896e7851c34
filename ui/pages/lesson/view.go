package lesson

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
)

// On a terminal besideMin columns wide or more, the lesson pane goes
// beside the playground's panes, under its flow: two fifths of the
// width, paneMin to paneMax columns — the flow, the status line, the
// prompt and the keys keep the whole width. On a narrower terminal it
// goes above the playground, stackedMin to stackedMax rows high, and the
// playground below compacts itself when it gets fewer than its own
// MinHeight rows — keeping the flow's compact picture while the lesson
// can leave it playground.PictureHeight rows (from 80×23 up).
const (
	besideMin  = 100
	paneMin    = 40
	paneMax    = 72
	stackedMin = 9
	stackedMax = 16
	// minScrolled is the fewest rows of scrolled text the pane keeps.
	minScrolled = 8
	MinWidth    = playground.MinWidth
	MinHeight   = stackedMin + playground.CompactHeight
)

// beside reports whether the lesson pane goes beside the playground.
func (m *Model) beside() bool {
	return m.w >= besideMin && m.h >= playground.MinHeight
}

// SetSize lays the page out for a terminal of w×h: the pane beside the
// playground's panes when both fit side by side, else above it.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.pw, m.ph = w, h
	switch {
	case m.beside():
		m.play.SetSide(min(max(w*2/5, paneMin), paneMax), m.text)
		m.inPlay(func() { m.play.SetSize(m.pw, m.ph) })
		return
	case h >= playground.MinHeight+stackedMin:
		// The playground keeps its full layout; the lesson what is left.
		m.ph = h - min(stackedMax, h-playground.MinHeight)
	default:
		text := min(max(h/2, stackedMin), stackedMax)
		if h-stackedMin >= playground.PictureHeight {
			// Rows for the flow's picture below: the packet between the
			// components is what the lesson's text talks about.
			text = min(text, h-playground.PictureHeight)
		}
		m.ph = h - text
	}
	m.play.SetSide(0, nil)
	m.text.SetSize(w, h-m.ph)
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
	if m.w < MinWidth || m.h < MinHeight {
		return m.c.Tf("lesson.small", MinWidth, MinHeight, m.w, m.h)
	}
	var play string
	m.inPlay(func() { play = m.play.View() })
	if m.beside() {
		return play // the lesson pane is the playground's side
	}
	return m.text.View() + "\n" + play
}

// overPane reports whether the screen cell x, y is on the lesson pane.
func (m *Model) overPane(x, y int) bool {
	if m.beside() {
		var in bool
		m.inPlay(func() { in = m.play.InSide(x, y) })
		return in
	}
	return y < m.h-m.ph
}

// pane is the lesson pane, w×h with its border: the step on top, what
// happens now (an explanation, a hint, ✓) at the bottom, the keys last.
func (m *Model) pane(w, h int) string {
	t := m.c.Theme
	lang := m.c.Lang
	l, s := m.run.L, m.run.Step()
	iw := w - 2

	head := t.Title.Render(m.c.Tf("lesson.step", m.run.Index()+1, len(l.Steps)))
	head += "  " + t.Dim.Render(m.c.Tf("lesson.progress", m.run.Progress().Done(l.ID, len(l.Steps)), len(l.Steps)))
	if m.passed {
		head += "  " + t.Ready.Render(m.c.T("lesson.done"))
	}
	top := wrapStyled(t.Text.Render, s.Text.In(lang), iw)
	if mf := s.Manifest; mf != nil {
		top = append(top, "")
		top = append(top, wrapStyled(t.Accent.Render, m.c.Tf("lesson.manifest", mf.Name), iw)...)
		for _, line := range strings.Split(strings.TrimRight(string(mf.Data()), "\n"), "\n") {
			top = append(top, common.Wrap(t.Dim.Render("  "+line), iw)...)
		}
	}
	// What to do and when the step is done: kept in view under the text
	// when the text scrolls.
	foot := []string{""}
	if m.untouched() {
		foot = append(foot, wrapStyled(t.Accent.Render, m.c.T("lesson.try"), iw)...)
	}
	if s.Check != nil {
		foot = append(foot, wrapStyled(t.Dim.Render, m.run.Goal(), iw)...)
	} else {
		foot = append(foot, wrapStyled(t.Dim.Render, m.c.T("lesson.nocheck"), iw)...)
	}

	var bottom []string
	add := func(render func(...string) string, text string) {
		bottom = append(bottom, wrapStyled(render, text, iw)...)
	}
	if m.explain != "" && !m.finished {
		h := m.hop
		add(t.Packet.Render, "▸ "+m.c.HopRoute(h)+"  "+h.Action())
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
	if m.notYet && !m.passed && !m.finished {
		add(t.Warning.Render, m.c.T("lesson.notyet")+" "+m.run.WhatNext(m.c.Tf("lesson.hinthow", m.keys.Hint.Help().Key)))
	}
	switch {
	case m.finished:
		// Past the last step: complete only when every step is done;
		// otherwise which are not, and the way back to them.
		done, total := m.run.Progress().Done(l.ID, len(l.Steps)), len(l.Steps)
		if done == total {
			add(t.Ready.Render, lessons.Say(lang, "complete", l.Title.In(lang), done, total))
			add(t.Dim.Render, m.c.T("lesson.complete"))
		} else {
			add(t.Warning.Render, m.run.EndSummary())
			add(t.Dim.Render, m.c.Tf("lesson.incomplete", m.keys.Back.Help().Key))
		}
	case m.passed:
		passed := "lesson.passed"
		if m.run.Last() {
			passed = "lesson.passed.last" // PgDn ends the lesson
		}
		add(t.Ready.Render, m.c.Tf(passed, m.run.Index()+1))
	}
	if m.through {
		add(t.Dim.Render, m.c.T("lesson.through"))
	}
	return m.framePane(w, h, head, top, foot, bottom)
}

// framePane draws the lesson pane: head on top and the keys at the
// bottom always; between them the step's text, what to do (foot), and
// what happens now (explanation, hint, ✓) at the bottom. When they do
// not all fit they scroll as one — PgUp/PgDn or the wheel — and what
// happens now comes into view each time it changes; what to do then
// stays in view above the keys, while that leaves the text
// minScrolled rows.
func (m *Model) framePane(w, h int, head string, top, foot, bottom []string) string {
	iw, ih := w-2, h-2
	keys := m.keyLines(iw)
	// The lesson's title goes in the border when it fits there, else
	// above the step, wrapped.
	title := m.c.T("pane.lesson") + " · " + m.run.L.Title.In(m.c.Lang)
	var heads []string
	if lipgloss.Width(title) > w-6 {
		heads = wrapStyled(m.c.Theme.Title.Render, m.run.L.Title.In(m.c.Lang), iw)
		title = m.c.T("pane.lesson")
	}
	heads = append(heads, head)
	room := max(ih-len(keys)-len(heads), 1)
	body := heads
	status := ""
	pinned := []string(nil)
	if len(top)+len(foot)+1+len(bottom) > room && room-len(foot) >= minScrolled {
		pinned, room = foot, room-len(foot)
	} else {
		top = append(append([]string(nil), top...), foot...)
	}
	if len(top)+1+len(bottom) <= room {
		body = append(body, "")
		body = append(body, top...)
		body = append(body, make([]string, room-1-len(top)-len(bottom))...)
		body = append(body, bottom...)
	} else {
		lines := top
		if len(bottom) > 0 {
			lines = append(append(append([]string(nil), top...), ""), bottom...)
		}
		m.scroll.SetRows(room)
		m.scroll.SetLines(lines)
		// A new step shows its text from the start; then a new
		// explanation, hint or ✓ scrolls into view.
		now := strings.Join(bottom, "\n")
		switch {
		case m.run.Index() != m.textStep || !m.textSeen:
			m.scroll.Top()
		case now != m.textNow && len(bottom) > 0:
			m.scroll.Show(len(top)+1, len(lines))
		}
		m.textNow, m.textStep, m.textSeen = now, m.run.Index(), true
		body = append(body, m.scroll.Visible()...)
		body = append(body, make([]string, room-len(m.scroll.Visible()))...)
		if below := m.scroll.Below(); below > 0 {
			status = m.c.Tf("lesson.more", below)
		} else if above := m.scroll.Above(); above > 0 {
			status = m.c.Tf("lesson.above", above)
		}
	}
	body = append(body, pinned...)
	body = append(body, keys...)
	return frame.RenderStatus(m.c, title, status, false, w, h, strings.Join(body, "\n"))
}

// keyLines are the page's keys in short, each key with its word kept
// together, wrapped to the pane rather than cut.
func (m *Model) keyLines(w int) []string {
	t := m.c.Theme
	var parts []string
	for _, b := range m.text.ShortHelp() {
		k := b.Help()
		parts = append(parts, t.Key.Render(k.Key)+common.NBSP+t.Dim.Render(strings.ReplaceAll(k.Desc, " ", common.NBSP)))
	}
	return common.WrapIndent(strings.Join(parts, t.Dim.Render(" · ")), w, 0)
}

// wrapStyled reflows text to w columns, paragraph by paragraph (lesson
// files break their lines for a wider pane), and styles each line. It
// breaks at spaces only: a name such as node-1 stays whole.
//
// An indented line stays a line of its own, indent kept: lessons set off
// what a hop carries that way ("  {summary}"), and joined to the sentence
// around it, it would read as part of that sentence.
func wrapStyled(render func(...string) string, text string, w int) []string {
	var lines []string
	for i, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			lines = append(lines, "")
		}
		var run []string // lines to join into one reflowed run
		flush := func() {
			if len(run) == 0 {
				return
			}
			for _, l := range common.Reflow(strings.Join(strings.Fields(strings.Join(run, " ")), " "), w) {
				lines = append(lines, render(l))
			}
			run = nil
		}
		for _, l := range strings.Split(p, "\n") {
			trimmed := strings.TrimLeft(l, " \t")
			if trimmed == l || trimmed == "" {
				run = append(run, l)
				continue
			}
			flush()
			indent := strings.Repeat(" ", min(len(l)-len(trimmed), 4))
			for _, q := range common.Reflow(strings.Join(strings.Fields(trimmed), " "), max(w-len(indent), 10)) {
				lines = append(lines, render(indent+q))
			}
		}
		flush()
	}
	return lines
}
