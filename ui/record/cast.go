package record

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// CastHeader is an asciinema v2 file's first line
// (https://docs.asciinema.org/manual/asciicast/v2/).
type CastHeader struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp,omitempty"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
}

// Cast writes the frames of a replay as an asciinema v2 file: each frame
// that differs from the one before is an "o" event that rewrites the
// lines that changed, each from its first column (the first frame, and
// the first after a change of size, rewrite them all); a change of size
// is an "r" event. A frame is mostly the line a packet moves on: it is a
// few hundred bytes, not the screen's ten thousand. Event times increase
// strictly, as players expect.
type Cast struct {
	w      io.Writer
	last   float64
	prev   string
	lines  []string // the lines on screen; nil: rewrite them all
	w0, h0 int
	err    error
	events int
}

// NewCast writes the header of a w×h cast, started at started.
func NewCast(out io.Writer, width, height int, started time.Time, title string) *Cast {
	c := &Cast{w: out, last: -1, w0: width, h0: height}
	h := CastHeader{Version: 2, Width: width, Height: height, Title: title,
		Env: map[string]string{"TERM": "xterm-256color", "SHELL": "kubeplay"}}
	if !started.IsZero() {
		h.Timestamp = started.Unix()
	}
	c.line(h)
	return c
}

// Frame adds the screen as it is at, unless it is the screen already shown.
func (c *Cast) Frame(at time.Duration, screen string) {
	if screen == c.prev {
		return
	}
	c.prev = screen
	lines := strings.Split(screen, "\n")
	var b strings.Builder
	if c.events == 0 {
		b.WriteString("\x1b[?25l\x1b[2J") // no cursor; a clean screen
	}
	// Each line changed is erased, then written: erased first, as a line
	// as wide as the screen leaves the cursor past its last column, where
	// an erase to the end would take its last character.
	for i, l := range lines {
		if c.lines != nil && i < len(c.lines) && c.lines[i] == l {
			continue
		}
		fmt.Fprintf(&b, "\x1b[%d;1H\x1b[0m\x1b[2K%s\x1b[0m", i+1, l)
	}
	for i := len(lines); i < len(c.lines); i++ {
		fmt.Fprintf(&b, "\x1b[%d;1H\x1b[0m\x1b[2K", i+1)
	}
	c.lines = lines
	c.event(at, "o", b.String())
}

// Resize adds a change of the terminal's size, when it is one.
func (c *Cast) Resize(at time.Duration, width, height int) {
	if width == c.w0 && height == c.h0 {
		return
	}
	c.w0, c.h0 = width, height
	c.prev, c.lines = "", nil
	c.event(at, "r", fmt.Sprintf("%dx%d", width, height))
}

// Events is how many events were written.
func (c *Cast) Events() int { return c.events }

// Err is the first error a write met.
func (c *Cast) Err() error { return c.err }

func (c *Cast) event(at time.Duration, kind, data string) {
	t := at.Seconds()
	if t <= c.last {
		t = c.last + 0.000001
	}
	c.last = t
	c.events++
	c.line([]any{json.Number(fmt.Sprintf("%.6f", t)), kind, data})
}

func (c *Cast) line(v any) {
	if c.err == nil {
		c.err = jsonLine(c.w, v)
	}
}
