package record

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSVGColumns: each cell is placed at its terminal column, a Korean
// character taking two (they took one, so that whatever followed Korean
// text moved left, and the picture was cut short at the right); the
// lengths are said to a tenth of a pixel (cells of 8.4 px added up gave
// x="415.20000000000005").
func TestSVGColumns(t *testing.T) {
	var b bytes.Buffer
	line := "╭─ 흐름 " + strings.Repeat("─", 42) + "\x1b[7m●\x1b[0m" + strings.Repeat("─", 3) + "╮"
	if err := SVG(&b, line, nil, nil, "t"); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	if long := regexp.MustCompile(`"\d+\.\d{2,}"`).FindString(svg); long != "" {
		t.Errorf("a length of %s in the SVG:\n%s", long, svg)
	}
	// ╭─ and a space: 3 columns; 흐름 4; a space, 42 ─: the ● at column 50,
	// then ───╮: 55 columns.
	for _, want := range []string{`width="486"`, `<tspan x="37.2" fill="#c0caf5">흐</tspan>`, `<tspan x="54" fill="#c0caf5">름</tspan>`,
		`<rect x="432" y="12" width="8.4"`, `<tspan x="432" fill="#1a1b26">●</tspan>`, `x="440.4" fill="#c0caf5">───╮</tspan>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %s in the SVG:\n%s", want, svg)
		}
	}
}

// TestAnimatedSVG: frames become groups of one picture, each shown in its
// turn of a looping CSS animation (its delay its place in the loop); the
// picture parses as XML, each group's text its frame's. One frame is a
// still picture, with no animation.
func TestAnimatedSVG(t *testing.T) {
	frames := []string{"kubectl ●──▶ kube-apiserver", "kube-apiserver ●──▶ etcd", "흐름 ●▶ scheduler"}
	var b bytes.Buffer
	if err := AnimatedSVG(&b, frames, 800*time.Millisecond, nil, nil, "flow"); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	var groups []string // each group's delay and text
	var style, root string
	depth, in := 0, -1
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not XML: %v\n%s", err, b.String())
			}
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if root == "" {
				root = tok.Name.Local
			}
			if tok.Name.Local == "g" {
				for _, a := range tok.Attr {
					if a.Name.Local == "style" {
						groups = append(groups, a.Value+"|")
					}
				}
				in = depth
			}
			if tok.Name.Local == "style" {
				in = -2
			}
		case xml.EndElement:
			if depth == in || (in == -2 && tok.Name.Local == "style") {
				in = -1
			}
			depth--
		case xml.CharData:
			switch {
			case in == -2:
				style += string(tok)
			case in > 0 && strings.TrimSpace(string(tok)) != "":
				groups[len(groups)-1] += string(tok)
			}
		}
	}
	want := []string{"animation-delay:0s|kubectl ●──▶ kube-apiserver", "animation-delay:0.8s|kube-apiserver ●──▶ etcd", "animation-delay:1.6s|흐름●▶ scheduler"}
	if root != "svg" || strings.Join(groups, "\n") != strings.Join(want, "\n") {
		t.Errorf("root %q, groups:\n%s\nwant\n%s", root, strings.Join(groups, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(style, "animation:turn 2.4s step-end infinite") || !strings.Contains(style, "33.3333%{visibility:hidden}") {
		t.Errorf("style %q: want a 2.4 s loop, each frame a third of it", style)
	}
	b.Reset()
	if err := AnimatedSVG(&b, frames[:1], time.Second, nil, nil, "flow"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<style>") || strings.Contains(b.String(), "<g ") {
		t.Errorf("one frame is animated:\n%s", b.String())
	}
}
