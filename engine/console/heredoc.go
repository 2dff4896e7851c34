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

// heredoc reads the body of a here-document (`kubectl apply -f - <<EOF`
// … `EOF`) from r when line has one, and returns the body as the command's
// stdin and the line without the `<<EOF`. Whether a `<<` starts a
// here-document is the shell parser's call, so one inside quotes
// (`note='a<<b'`), after `#`, or a here-string (`<<<`) does not. Errors
// are in lang.
func heredoc(line string, r *bufio.Reader, lang bilingual.Lang) (io.Reader, string, error) {
	say := func(en, ko string) error {
		return errors.New(lang.Pick(en, ko))
	}
	if !strings.Contains(line, "<<") {
		return nil, line, nil
	}
	parser := syntax.NewParser()
	_, err := parser.Parse(strings.NewReader(line+"\n"), "")
	var perr syntax.ParseError
	if !errors.As(err, &perr) {
		// Parsed whole (no here-document), or an error that reading the
		// command's words reports better.
		return nil, line, nil
	}
	marker, unclosed := strings.CutPrefix(perr.Text, "unclosed here-document ")
	if !unclosed {
		if at := int(perr.Pos.Offset()); strings.HasPrefix(line[at:], "<<") && !strings.HasPrefix(line[at:], "<<<") {
			return nil, line, say("a here-document needs an end marker, as in <<EOF",
				"히어 문서(here-document)에는 끝을 알리는 표시가 필요해요. <<EOF 처럼 써 보세요")
		}
		return nil, line, nil
	}
	if m, err := strconv.Unquote(marker); err == nil {
		marker = m
	}
	// With the marker known, the parser says where the redirection is.
	f, err := parser.Parse(strings.NewReader(line+"\n"+marker+"\n"), "")
	if err != nil {
		return nil, line, say("one here-document per command, please", "명령 하나에는 히어 문서를 하나만 쓸 수 있어요")
	}
	var redir *syntax.Redirect
	syntax.Walk(f, func(n syntax.Node) bool {
		if rd, ok := n.(*syntax.Redirect); ok && (rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc) && redir == nil {
			redir = rd
		}
		return redir == nil
	})
	if redir == nil {
		return nil, line, nil
	}
	// The body is taken as typed: no expansion, as the manifests in it
	// are meant to be read by kubectl, not by a shell.
	var body strings.Builder
	for {
		l, err := r.ReadString('\n')
		check := strings.TrimSpace(l)
		if redir.Op == syntax.DashHdoc {
			l = strings.TrimLeft(l, "\t")
		}
		if check == marker {
			break
		}
		body.WriteString(l)
		if err != nil {
			return nil, line, say(fmt.Sprintf("the here-document was not closed with %q", marker),
				fmt.Sprintf("히어 문서가 끝나지 않았어요. 마지막에 %s 한 줄을 넣어 주세요", marker))
		}
	}
	rest := strings.TrimSpace(line[:redir.OpPos.Offset()]) + " " + strings.TrimSpace(line[redir.Word.End().Offset():])
	return strings.NewReader(body.String()), strings.TrimSpace(rest), nil
}
