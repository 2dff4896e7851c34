package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks text, which may carry ANSI styles, into lines of at most w
// display cells (a Hangul syllable takes two). A line breaks only at a
// space, so a name such as node-1 or web-7d4b9c-xk2pq is never split —
// ansi's own wrappers break at every hyphen. Only a word wider than the
// whole line is cut: a path after one of its slashes, anything else as a
// terminal would cut it. A continued line is
// indented two cells deeper than the line it continues, so a wrapped
// table row or error reads as one. Newlines in text start new lines; a
// no-break space (NBSP) keeps the words around it together.
func Wrap(text string, w int) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		lead := len(ansi.Strip(line)) - len(strings.TrimLeft(ansi.Strip(line), " "))
		out = append(out, WrapIndent(line, w, min(lead+2, w/2))...)
	}
	return out
}

// NBSP joins words that must stay on one line: "rev2 web-5ddcc9b5dc".
// It shows as a plain space: copied, the text reads as typed.
const NBSP = "\u00a0"

// Reflow is Wrap without the hanging indent, for running text: lesson
// paragraphs, explanations, hints.
func Reflow(text string, w int) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		out = append(out, WrapIndent(line, w, 0)...)
	}
	return out
}

// grapheme is one user-perceived character of a plain line: the cell it
// starts at, the cells it takes, and whether a line may break there.
type grapheme struct {
	at, width int
	space     bool
	slash     bool // a path may break after it
}

// WrapIndent wraps one line (no newline in it) to w cells, breaking at
// spaces, the lines after the first indented by indent cells.
func WrapIndent(line string, w, indent int) []string {
	if w < 1 || ansi.StringWidth(line) <= w {
		return []string{strings.ReplaceAll(line, NBSP, " ")}
	}
	if indent >= w {
		indent = 0
	}
	var gs []grapheme
	cells := 0
	for rest := ansi.Strip(line); rest != ""; {
		g, width := ansi.FirstGraphemeCluster(rest, ansi.GraphemeWidth)
		gs = append(gs, grapheme{at: cells, width: width, space: g == " " || g == "\t", slash: g == "/"})
		cells += width
		rest = rest[len(g):]
	}
	var out []string
	room := w
	for i := 0; i < len(gs); {
		if len(out) > 0 {
			// A continued line does not start with the spaces it broke at.
			for i < len(gs) && gs[i].space {
				i++
			}
			if i == len(gs) {
				break
			}
		}
		from, limit := gs[i].at, gs[i].at+room
		if cells <= limit {
			out = append(out, piece(line, from, cells, len(out) > 0, indent))
			break
		}
		// The last space that ends a word within the room.
		end, next := -1, -1
		word := false
		for j := i; j < len(gs) && gs[j].at <= limit; j++ {
			switch {
			case !gs[j].space:
				word = true
			case word && (j == i || !gs[j-1].space):
				end, next = gs[j].at, j
			}
		}
		if end >= 0 {
			// A path wider than a whole line after the space is cut in
			// any case: cut it here, after a slash, and keep it beside
			// what comes before it ("export KUBECONFIG=/home/…/").
			k := next
			for k < len(gs) && gs[k].space {
				k++
			}
			e := k
			for e < len(gs) && !gs[e].space {
				e++
			}
			if k < e && gs[e-1].at+gs[e-1].width-gs[k].at > w-indent {
				if cut := slashCut(gs, k, limit); cut > 0 {
					end, next = gs[cut-1].at+gs[cut-1].width, cut
				}
			}
		}
		if end < 0 {
			// One word wider than the line: a path (a kubeconfig's, an
			// etcd key) breaks after its last slash in the room, between
			// two names; any other word where the room ends.
			j := i
			for j < len(gs) && gs[j].at+gs[j].width <= limit {
				j++
			}
			if cut := slashCut(gs, i, limit); cut > 0 {
				j = cut
			}
			j = max(j, i+1)
			end, next = gs[j-1].at+gs[j-1].width, j
		}
		out = append(out, piece(line, from, end, len(out) > 0, indent))
		i = next
		room = w - indent
	}
	return out
}

// slashCut is the grapheme after the last slash of gs from word's second
// grapheme on that ends within limit, or -1 when there is none: where a
// path breaks between two names.
func slashCut(gs []grapheme, word, limit int) int {
	cut := -1
	for word < len(gs) && gs[word].space {
		word++
	}
	for j := word + 1; j < len(gs) && gs[j].at+gs[j].width <= limit && !gs[j].space; j++ {
		if gs[j].slash {
			cut = j + 1
		}
	}
	return cut
}

// piece is the cells [from, to) of a styled line, indented when it
// continues the line before.
func piece(line string, from, to int, continued bool, indent int) string {
	s := strings.ReplaceAll(ansi.Cut(line, from, to), NBSP, " ")
	if continued && indent > 0 {
		s = strings.Repeat(" ", indent) + s
	}
	return s
}
