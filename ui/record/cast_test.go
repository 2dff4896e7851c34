package record

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// castScreen plays a cast's "o" events as a terminal would, for the
// sequences Cast writes: the cursor to a row (CSI row;1H), erase the line
// (CSI 2K) or the screen (CSI 2J), hide the cursor; everything else is
// text (with its colours) written on the cursor's row.
type castScreen struct {
	rows []string
	row  int
}

var castCtl = regexp.MustCompile(`\x1b\[(\d+);1H|\x1b\[2K|\x1b\[2J|\x1b\[\?25l`)

func (s *castScreen) play(data string) {
	for data != "" {
		loc := castCtl.FindStringSubmatchIndex(data)
		text := data
		if loc != nil {
			text = data[:loc[0]]
		}
		for len(s.rows) <= s.row {
			s.rows = append(s.rows, "")
		}
		s.rows[s.row] += text
		if loc == nil {
			return
		}
		switch ctl := data[loc[0]:loc[1]]; {
		case loc[2] >= 0:
			s.row, _ = strconv.Atoi(data[loc[2]:loc[3]])
			s.row--
		case ctl == "\x1b[2K":
			for len(s.rows) <= s.row {
				s.rows = append(s.rows, "")
			}
			s.rows[s.row] = ""
		case ctl == "\x1b[2J":
			s.rows = nil
		}
		data = data[loc[1]:]
	}
}

// shows is the screen as a frame's lines, each with the reset Cast ends
// it with; rows erased and never written again are blank.
func (s *castScreen) shows(frame string) bool {
	lines := strings.Split(frame, "\n")
	for i, r := range s.rows {
		want := ""
		if i < len(lines) {
			want = lines[i] + "\x1b[0m"
		}
		if r != want && (i >= len(lines) || r != "\x1b[0m"+want) {
			return false
		}
	}
	return len(s.rows) >= len(lines)
}

// events are a cast's events after its header.
func events(t *testing.T, b []byte) [][3]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var out [][3]string
	for _, l := range lines[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("not an event: %q", l)
		}
		out = append(out, [3]string{strconv.FormatFloat(ev[0].(float64), 'f', 6, 64), ev[1].(string), ev[2].(string)})
	}
	return out
}

// TestCastRewritesWhatChanged: after the first frame, an event rewrites
// only the lines that changed; played in order the events give every
// frame's screen, through a change of size and a frame of fewer lines.
func TestCastRewritesWhatChanged(t *testing.T) {
	red := "\x1b[31mred\x1b[0m"
	frames := []string{
		"╭─ flow ─╮\n│ a ●─▶ b│\n│ " + red + "    │\n╰────────╯",
		"╭─ flow ─╮\n│ a ─●▶ b│\n│ " + red + "    │\n╰────────╯",
		"╭─ flow ─╮\n│ a ─●▶ b│\n│ " + red + "    │\n╰────────╯", // the same: no event
		"one line",
		"╭─ 흐름 ─╮\n│ 가 ●─ 나│",
	}
	var buf bytes.Buffer
	c := NewCast(&buf, 10, 4, time.Unix(1, 0), "t")
	for i, f := range frames {
		if i == 4 {
			c.Resize(time.Duration(i)*time.Second, 10, 2)
		}
		c.Frame(time.Duration(i)*time.Second, f)
	}
	if c.Err() != nil {
		t.Fatal(c.Err())
	}
	evs := events(t, buf.Bytes())
	if len(evs) != 5 || c.Events() != 5 {
		t.Fatalf("%d events (said %d), want 4 frames and a resize: %q", len(evs), c.Events(), evs)
	}
	if second := evs[1][2]; strings.Contains(second, "flow") || strings.Contains(second, "red") || !strings.Contains(second, "│ a ─●▶ b│") {
		t.Errorf("the second frame rewrites more than its changed line: %q", second)
	}
	var scr castScreen
	shown := []int{0, 1, 3}
	for i, ev := range evs {
		if ev[1] == "r" {
			if ev[2] != "10x2" {
				t.Errorf("resize %q", ev[2])
			}
			scr.play("\x1b[2J") // a player's screen of a new size
			continue
		}
		scr.play(ev[2])
		want := frames[4]
		if i < len(shown) {
			want = frames[shown[i]]
		}
		if !scr.shows(want) {
			t.Errorf("after event %d the screen is\n%q\nwant\n%q", i+1, scr.rows, want)
		}
	}
}
