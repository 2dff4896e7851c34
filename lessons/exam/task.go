// Package exam is kubeplay's exam mode (`kubeplay exam`): a timed set of
// tasks in the style of the CKAD, each a short brief in English and
// Korean, played on a fresh cluster of its own and graded at the end on
// the state that cluster is left in, check by check, with partial
// credit. The checks are the lessons' (package lessons): a task says
// what to build, the lesson it comes from teaches how.
package exam

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/assets"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/lessons"
)

// Dir is the folder of task files in the assets.
const Dir = "exam"

// Text is one text in both languages.
type Text = bilingual.Text

// Task is one exam task, as its file says.
type Task struct {
	ID string `json:"id"`
	// Lesson is the id of the lesson that teaches what the task asks:
	// the report sends a learner who lost points there.
	Lesson string `json:"lesson"`
	Title  Text   `json:"title"`
	Brief  Text   `json:"brief"`
	// Addons are the cluster add-ons the task needs (lessons.Addons).
	Addons []string `json:"addons,omitempty"`
	// Setup is what the cluster holds before the brief is shown: kubectl
	// command lines, here-documents allowed, run on the task's fresh
	// cluster (a broken pod to fix, a Deployment to roll back).
	Setup string `json:"setup,omitempty"`
	// Checks are what is graded, each worth its points.
	Checks []Item `json:"checks"`
	// Solution is one way to do it, as command lines (here-documents
	// allowed): shown in the report when points were lost, and played by
	// the tests, which hold it to full marks.
	Solution string `json:"solution"`

	file string
}

// Item is one graded check: a lesson check, worth Points.
type Item struct {
	Points int `json:"points"`
	lessons.Check
}

// Points is what the task is worth.
func (t *Task) Points() int {
	n := 0
	for _, it := range t.Checks {
		n += it.Points
	}
	return n
}

// File is the task's file, as assets/ names it.
func (t *Task) File() string { return t.file }

// All loads the tasks built into kubeplay.
func All() ([]*Task, error) { return Load(assets.FS) }

// Load reads every task file in fsys's exam/ folder, in file-name order.
// It fails on the first file that is not a valid task, naming the file
// and the field.
func Load(fsys fs.FS) ([]*Task, error) {
	return lessons.LoadFiles(fsys, Dir, func(file string, data []byte) (*Task, string, error) {
		t, err := Parse(file, data)
		if err != nil {
			return nil, "", err
		}
		return t, t.ID, nil
	})
}

// Parse decodes and checks one task file.
func Parse(file string, data []byte) (*Task, error) {
	var t Task
	err := lessons.DecodeStrict(data, &t)
	if err == nil {
		t.file = file
		err = t.validate()
	}
	if err != nil {
		return nil, fmt.Errorf("assets/%s: %v", file, err)
	}
	return &t, nil
}

// validate checks what decoding cannot.
func (t *Task) validate() error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", field, err))
		}
	}
	add("id", lessons.CheckID(t.ID))
	if t.Lesson == "" {
		add("lesson", errors.New("name the lesson that teaches it"))
	}
	add("title", lessons.CheckText(t.Title))
	add("brief", lessons.CheckText(t.Brief))
	add("addons", lessons.CheckAddons(t.Addons))
	if strings.TrimSpace(t.Solution) == "" {
		add("solution", errors.New("give one way to do it"))
	}
	if len(t.Checks) == 0 {
		add("checks", errors.New("a task needs at least one check"))
	}
	for i := range t.Checks {
		it := &t.Checks[i]
		at := fmt.Sprintf("checks[%d]", i)
		if it.Points < 1 {
			add(at+".points", fmt.Errorf("%d: each check is worth 1 point or more", it.Points))
		}
		// An exam grades the state the cluster is left in: what happened
		// on the way (a command, an event, a load run) is not graded.
		for field, set := range map[string]bool{"ran": it.Ran != "", "event": it.Event != nil, "load": it.Load != nil,
			"within": it.Within != 0, "moved_on": it.MovedOn != nil} {
			if set {
				add(at+"."+field, errors.New("an exam grades the end state; use wait, pods, rollout, serves or exec"))
			}
		}
		add(at, it.Validate())
	}
	return errors.Join(errs...)
}

// Select picks the tasks of one exam from all: those only names, in its
// order; else n of them (all when n is 0), drawn with seed and kept in
// file order, so the same seed gives the same exam. The error, in lang,
// lists the ids there are.
func Select(all []*Task, only []string, n int, seed uint64, lang bilingual.Lang) ([]*Task, error) {
	if len(only) > 0 {
		var out []*Task
		for _, id := range only {
			i := slices.IndexFunc(all, func(t *Task) bool { return t.ID == id })
			if i < 0 {
				return nil, errors.New(lang.Sprintf(msg(lang, "no-task"), id, ids(all)))
			}
			if slices.Contains(out, all[i]) {
				return nil, errors.New(lang.Sprintf(msg(lang, "twice"), id))
			}
			out = append(out, all[i])
		}
		return out, nil
	}
	if n < 0 || n > len(all) {
		return nil, errors.New(lang.Sprintf(msg(lang, "bad-count"), n, len(all)))
	}
	if n == 0 || n == len(all) {
		return slices.Clone(all), nil
	}
	r := rand.New(rand.NewPCG(seed, 0x6578616d)) // "exam"
	picked := r.Perm(len(all))[:n]
	sort.Ints(picked)
	out := make([]*Task, n)
	for i, p := range picked {
		out[i] = all[p]
	}
	return out, nil
}

func ids(all []*Task) string {
	var b bytes.Buffer
	for i, t := range all {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.ID)
	}
	return b.String()
}
