package exam

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/lessons"

	"github.com/mattn/go-runewidth"
)

// Report is an exam's outcome: each task's grade and the time used.
type Report struct {
	Results []Result
	Used    time.Duration
	Limit   time.Duration
	Lang    bilingual.Lang
}

// Score is the points earned and the points there were.
func (r *Report) Score() (points, max int) {
	for _, res := range r.Results {
		points += res.Points
		max += res.Max()
	}
	return points, max
}

// Percent is the score as a whole percentage, rounded down.
func (r *Report) Percent() int {
	p, m := r.Score()
	if m == 0 {
		return 0
	}
	return p * 100 / m
}

// Passed reports whether the score reaches the pass mark.
func (r *Report) Passed() bool { return r.Percent() >= PassMark }

// Write writes the report as text: the score, then each task with its
// points, each check passed (✓) or not (✗) with what it is worth, and,
// for a task that lost points, the lesson to revisit and one way to do
// it.
func (r *Report) Write(w io.Writer) {
	lang := r.Lang
	titles := lessonTitles()
	p, m := r.Score()
	verdict := msg(lang, "failed")
	if r.Passed() {
		verdict = msg(lang, "passed")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, msg(lang, "report-head"))
	fmt.Fprintln(w, sayf(lang, "score", p, m, r.Percent(), verdict, PassMark))
	fmt.Fprintln(w, sayf(lang, "time-used", clockText(min(r.Used, r.Limit)), clockText(r.Limit)))
	titleW := 0
	for _, res := range r.Results {
		titleW = max(titleW, runewidth.StringWidth(res.Task.Title.In(lang)))
	}
	full := true
	for i, res := range r.Results {
		mark := "✓"
		switch {
		case res.Points == 0:
			mark = "✗"
		case res.Points < res.Max():
			mark = "◐"
		}
		var notes []string
		if !res.Seen {
			notes = append(notes, msg(lang, "list-unseen"))
		}
		if res.Skipped {
			notes = append(notes, msg(lang, "list-skipped"))
		}
		if res.Flagged {
			notes = append(notes, "⚑ "+msg(lang, "list-flagged"))
		}
		line := fmt.Sprintf("%2d. %s %s  %2d/%d", i+1, mark, runewidth.FillRight(res.Task.Title.In(lang), titleW), res.Points, res.Max())
		if len(notes) > 0 {
			line += "  (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, line)
		for _, c := range res.Checks {
			m := "✓"
			if !c.Passed {
				m = "✗"
			}
			fmt.Fprintf(w, "      %s %d  %s\n", m, c.Item.Points, c.Item.Goal(lang))
		}
		if res.Points == res.Max() {
			continue
		}
		full = false
		fmt.Fprintln(w, "      "+sayf(lang, "revisit", res.Task.Lesson, titles[res.Task.Lesson].In(lang)))
		fmt.Fprintln(w, "      "+msg(lang, "solution"))
		for _, l := range strings.Split(strings.TrimRight(res.Task.Solution, "\n"), "\n") {
			fmt.Fprintln(w, "        "+l)
		}
	}
	if full {
		fmt.Fprintln(w)
		fmt.Fprintln(w, msg(lang, "all-full"))
	}
}

// lessonTitles are the lessons' titles by id; empty when the lessons do
// not load (their own tests say why).
func lessonTitles() map[string]Text {
	out := map[string]Text{}
	all, err := lessons.All()
	if err != nil {
		return out
	}
	for _, l := range all {
		out[l.ID] = l.Title
	}
	return out
}
