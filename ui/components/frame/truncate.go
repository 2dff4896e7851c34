package frame

import "github.com/charmbracelet/x/ansi"

// ansiTruncate cuts a string with escape codes to w cells.
func ansiTruncate(s string, w int) string { return ansi.Truncate(s, w, "") }
