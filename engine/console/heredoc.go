package console

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"mvdan.cc/sh/v3/syntax"
)

// HereDoc is the here-document a command line opens (`kubectl apply -f -
// <<EOF`): the line that runs, without the `<<EOF`, and the marker whose
// line ends the body.
type HereDoc struct {
	Line, Marker string
	// Dash is `<<-`: the body's lines lose their leading tabs.
	Dash bool
}

// Ends reports whether a line of the body, as typed, is the end marker.
func (h HereDoc) Ends(l string) bool { return strings.TrimSpace(l) == h.Marker }

// BodyLine is a line of the body as the command reads it.
func (h HereDoc) BodyLine(l string) string {
	if h.Dash {
		return strings.TrimLeft(l, "\t")
	}
	return l
}

// OpenHereDoc reports whether line opens a here-document, and which.
// Whether a `<<` starts one is the shell parser's call, so one inside
// quotes (`note='a<<b'`), after `#`, or a here-string (`<<<`) does not.
// The prompt of the TUI asks it of each line entered, as the shell reads
// the body after the line that opened it. Errors are in lang.
func OpenHereDoc(line string, lang bilingual.Lang) (HereDoc, bool, error) {
	say := func(en, ko string) error {
		return errors.New(lang.Pick(en, ko))
	}
	if !strings.Contains(line, "<<") {
		return HereDoc{}, false, nil
	}
	parser := syntax.NewParser()
	_, err := parser.Parse(strings.NewReader(line+"\n"), "")
	var perr syntax.ParseError
	if !errors.As(err, &perr) {
		// Parsed whole (no here-document), or an error that reading the
		// command's words reports better.
		return HereDoc{}, false, nil
	}
	marker, unclosed := strings.CutPrefix(perr.Text, "unclosed here-document ")
	if !unclosed {
		if at := int(perr.Pos.Offset()); strings.HasPrefix(line[at:], "<<") && !strings.HasPrefix(line[at:], "<<<") {
			return HereDoc{}, false, say("a here-document needs an end marker, as in <<EOF",
				"히어 문서(here-document)에는 끝을 알리는 표시가 필요해요. <<EOF 처럼 써 보세요")
		}
		return HereDoc{}, false, nil
	}
	if m, err := strconv.Unquote(marker); err == nil {
		marker = m
	}
	// With the marker known, the parser says where the redirection is.
	f, err := parser.Parse(strings.NewReader(line+"\n"+marker+"\n"), "")
	if err != nil {
		return HereDoc{}, false, say("one here-document per command, please", "명령 하나에는 히어 문서를 하나만 쓸 수 있어요")
	}
	var redir *syntax.Redirect
	syntax.Walk(f, func(n syntax.Node) bool {
		if rd, ok := n.(*syntax.Redirect); ok && (rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc) && redir == nil {
			redir = rd
		}
		return redir == nil
	})
	if redir == nil {
		return HereDoc{}, false, nil
	}
	rest := strings.TrimSpace(line[:redir.OpPos.Offset()]) + " " + strings.TrimSpace(line[redir.Word.End().Offset():])
	return HereDoc{Line: strings.TrimSpace(rest), Marker: marker, Dash: redir.Op == syntax.DashHdoc}, true, nil
}

// NotClosed is the error for a body that ended before its marker line.
func (h HereDoc) NotClosed(lang bilingual.Lang) error {
	return errors.New(lang.Pick(fmt.Sprintf("the here-document was not closed with %q", h.Marker),
		fmt.Sprintf("히어 문서가 끝나지 않았어요. 마지막에 %s 한 줄을 넣어 주세요", h.Marker)))
}

// ReadHereDoc reads the body of a here-document from r when line opens one,
// and returns the body as the command's stdin and the line without the
// `<<EOF`. The body is taken as typed: no expansion, as the manifests in
// it are meant to be read by kubectl, not by a shell.
func ReadHereDoc(line string, r *bufio.Reader, lang bilingual.Lang) (io.Reader, string, error) {
	h, ok, err := OpenHereDoc(line, lang)
	if !ok || err != nil {
		return nil, line, err
	}
	var body strings.Builder
	for {
		l, err := r.ReadString('\n')
		if h.Ends(l) {
			break
		}
		body.WriteString(h.BodyLine(l))
		if err != nil {
			return nil, line, h.NotClosed(lang)
		}
	}
	return strings.NewReader(body.String()), h.Line, nil
}
