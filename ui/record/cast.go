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
// that differs from the one before is an "o" event redrawing the screen
// from its top left; a change of size is an "r" event. Event times
// increase strictly, as players expect.
type Cast struct {
	w      io.Writer
	last   float64
	prev   string
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
	var b strings.Builder
	b.WriteString("\x1b[H")
	if c.events == 0 {
		b.WriteString("\x1b[?25l\x1b[2J\x1b[H") // no cursor; a clean screen
	}
	for i, l := range strings.Split(screen, "\n") {
		if i > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString(l)
		b.WriteString("\x1b[0m\x1b[K")
	}
	b.WriteString("\x1b[J")
	c.event(at, "o", b.String())
}

// Resize adds a change of the terminal's size, when it is one.
func (c *Cast) Resize(at time.Duration, width, height int) {
	if width == c.w0 && height == c.h0 {
		return
	}
	c.w0, c.h0 = width, height
	c.prev = ""
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
