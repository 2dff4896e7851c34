package theme

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Kind names a theme a user can pick.
type Kind int

// The themes, in the order the theme key cycles through them.
const (
	Auto Kind = iota // dark or light, from the terminal's background
	HighContrast
	NoColor
)

// Theme is the styles of every part of the UI.
type Theme struct {
	Kind Kind
	Dark bool
	P    Palette

	Title, Text, Dim, Accent, Error, Warning lipgloss.Style
	Pane, PaneFocused                        lipgloss.Style
	PaneTitle, PaneTitleFocused              lipgloss.Style
	Box, BoxActive, BoxTarget                lipgloss.Style
	Arrow, Packet, Reason                    lipgloss.Style
	Ready, NotReady, Pending, Failed, Gone   lipgloss.Style
	Selected, Tab, TabActive, Key            lipgloss.Style
	Help                                     help.Styles
}

// New builds the theme of kind for a dark or light background.
func New(kind Kind, dark bool) *Theme {
	p := lightPalette
	switch {
	case kind == NoColor:
		p = noColorPalette
	case kind == HighContrast:
		p = highContrastPalette
	case dark:
		p = darkPalette
	}
	s := lipgloss.NewStyle
	border := lipgloss.RoundedBorder()
	t := &Theme{Kind: kind, Dark: dark, P: p,
		Title:   s().Foreground(p.Accent).Bold(true),
		Text:    s().Foreground(p.Text),
		Dim:     s().Foreground(p.Dim),
		Accent:  s().Foreground(p.Accent),
		Error:   s().Foreground(p.Error),
		Warning: s().Foreground(p.Warning),

		Pane:             s().Border(border).BorderForeground(p.Border),
		PaneFocused:      s().Border(border).BorderForeground(p.Focus),
		PaneTitle:        s().Foreground(p.Dim),
		PaneTitleFocused: s().Foreground(p.Focus).Bold(true),

		Box:       s().Border(border).BorderForeground(p.Border).Foreground(p.Text).Padding(0, 1),
		BoxActive: s().Border(lipgloss.ThickBorder()).BorderForeground(p.Active).Foreground(p.Active).Bold(true).Padding(0, 1),
		BoxTarget: s().Border(border).BorderForeground(p.Target).Foreground(p.Target).Padding(0, 1),
		Arrow:     s().Foreground(p.Dim),
		Packet:    s().Foreground(p.Packet).Bold(true),
		Reason:    s().Foreground(p.Text).Italic(true),

		Ready:    s().Foreground(p.Ready),
		NotReady: s().Foreground(p.NotReady),
		Pending:  s().Foreground(p.Pending),
		Failed:   s().Foreground(p.Failed).Bold(true),
		Gone:     s().Foreground(p.Terminating),

		Selected:  s().Background(p.SelectedBg).Bold(true),
		Tab:       s().Foreground(p.Dim).Padding(0, 1),
		TabActive: s().Foreground(p.Focus).Bold(true).Underline(true).Padding(0, 1),
		Key:       s().Foreground(p.Accent).Bold(true),
	}
	t.Help = help.Styles{
		ShortKey: s().Foreground(p.Accent), ShortDesc: s().Foreground(p.Dim), ShortSeparator: s().Foreground(p.Border),
		FullKey: s().Foreground(p.Accent), FullDesc: s().Foreground(p.Dim), FullSeparator: s().Foreground(p.Border),
		Ellipsis: s().Foreground(p.Border),
	}
	if kind == NoColor {
		// Without colour the active box must still stand out: its thick
		// border and bold text do that; the selected row is reversed.
		t.Selected = s().Reverse(true)
		t.TabActive = s().Bold(true).Underline(true).Padding(0, 1)
		// The focused pane likewise: a thick border, a bold title.
		t.PaneFocused = s().Border(lipgloss.ThickBorder())
		t.PaneTitleFocused = s().Bold(true)
	}
	return t
}

// Next is the theme kind after k, for the theme key.
func (k Kind) Next() Kind { return (k + 1) % 3 }
