// Package theme holds kubeplay's one palette and the styles built from it.
// No other file of the UI names a colour: a component asks the theme for a
// style by what it means (active box, pending pod), so a new theme is one
// palette here and nothing else.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette is every colour the UI uses, by meaning.
type Palette struct {
	Text, Dim, Accent, Border, Focus color.Color
	Active, Target, Packet           color.Color
	Ready, NotReady, Pending, Failed color.Color
	Terminating, Warning, Error      color.Color
	SelectedBg                       color.Color
}

// The palettes. Dark and light share hues, shifted for contrast against
// the terminal's background; high contrast keeps to the eight ANSI colours
// every projector renders well.
var (
	darkPalette = Palette{
		Text: lipgloss.Color("#E4E4E7"), Dim: lipgloss.Color("#8B8B94"), Accent: lipgloss.Color("#7AA2F7"),
		Border: lipgloss.Color("#4B4B55"), Focus: lipgloss.Color("#7AA2F7"),
		Active: lipgloss.Color("#E0AF68"), Target: lipgloss.Color("#7DCFFF"), Packet: lipgloss.Color("#FF9E64"),
		Ready: lipgloss.Color("#9ECE6A"), NotReady: lipgloss.Color("#E0AF68"), Pending: lipgloss.Color("#A9B1D6"),
		Failed: lipgloss.Color("#F7768E"), Terminating: lipgloss.Color("#BB9AF7"),
		Warning: lipgloss.Color("#E0AF68"), Error: lipgloss.Color("#F7768E"), SelectedBg: lipgloss.Color("#2F334D"),
	}
	lightPalette = Palette{
		Text: lipgloss.Color("#24283B"), Dim: lipgloss.Color("#6B6F80"), Accent: lipgloss.Color("#2E5BBA"),
		Border: lipgloss.Color("#A8AECB"), Focus: lipgloss.Color("#2E5BBA"),
		Active: lipgloss.Color("#8C5A00"), Target: lipgloss.Color("#006C8F"), Packet: lipgloss.Color("#B54A00"),
		Ready: lipgloss.Color("#386A00"), NotReady: lipgloss.Color("#8C5A00"), Pending: lipgloss.Color("#4C5374"),
		Failed: lipgloss.Color("#B0213E"), Terminating: lipgloss.Color("#6A3FB0"),
		Warning: lipgloss.Color("#8C5A00"), Error: lipgloss.Color("#B0213E"), SelectedBg: lipgloss.Color("#DDE3F5"),
	}
	highContrastPalette = Palette{
		Text: lipgloss.BrightWhite, Dim: lipgloss.White, Accent: lipgloss.BrightCyan,
		Border: lipgloss.White, Focus: lipgloss.BrightYellow,
		Active: lipgloss.BrightYellow, Target: lipgloss.BrightCyan, Packet: lipgloss.BrightMagenta,
		Ready: lipgloss.BrightGreen, NotReady: lipgloss.BrightYellow, Pending: lipgloss.BrightWhite,
		Failed: lipgloss.BrightRed, Terminating: lipgloss.BrightMagenta,
		Warning: lipgloss.BrightYellow, Error: lipgloss.BrightRed, SelectedBg: lipgloss.Blue,
	}
)

// noColor is every colour unset: NO_COLOR is honoured by meaning, and the
// symbols and bold/underline still tell states apart.
var noColorPalette = Palette{
	Text: lipgloss.NoColor{}, Dim: lipgloss.NoColor{}, Accent: lipgloss.NoColor{}, Border: lipgloss.NoColor{},
	Focus: lipgloss.NoColor{}, Active: lipgloss.NoColor{}, Target: lipgloss.NoColor{}, Packet: lipgloss.NoColor{},
	Ready: lipgloss.NoColor{}, NotReady: lipgloss.NoColor{}, Pending: lipgloss.NoColor{}, Failed: lipgloss.NoColor{},
	Terminating: lipgloss.NoColor{}, Warning: lipgloss.NoColor{}, Error: lipgloss.NoColor{}, SelectedBg: lipgloss.NoColor{},
}
