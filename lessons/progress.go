package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	"github.com/google/renameio/v2"
)

// progressFile is the progress file's name in the config folder.
const progressFile = "progress.json"

// Progress is which steps of which lessons a learner has done. Steps are
// kept by index: a step is done when its check passed (skipping does not
// count).
type Progress struct {
	path    string
	Version int              `json:"version"`
	Lessons map[string][]int `json:"lessons"` // lesson id → steps done, sorted
}

// LoadProgress reads the progress file in dir. It never fails: a file
// that cannot be read as progress is set aside as progress.json.corrupt-N
// and kubeplay starts afresh. What happened is returned as a notice in
// lang, for the front end to show ("" when all is well).
func LoadProgress(dir string, lang bilingual.Lang) (*Progress, string) {
	p := &Progress{path: filepath.Join(dir, progressFile), Version: 1, Lessons: map[string][]int{}}
	data, err := os.ReadFile(p.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p, ""
	case err != nil:
		// Unreadable (permissions): play on without saved progress.
		p.path = ""
		return p, sayf(lang, "progress-unreadable", err)
	}
	var read Progress
	if err := json.Unmarshal(data, &read); err != nil || read.Version != 1 {
		if err == nil {
			err = fmt.Errorf("version %d is not known", read.Version)
		}
		aside, rerr := setAside(p.path)
		if rerr != nil {
			// Never overwrite what could not be set aside.
			notice := sayf(lang, "progress-corrupt-kept", p.path, err, rerr)
			p.path = ""
			return p, notice
		}
		return p, sayf(lang, "progress-corrupt", err, aside)
	}
	for id, steps := range read.Lessons {
		p.Lessons[id] = normalize(steps)
	}
	return p, ""
}

// setAside renames a corrupt file to the first free name.corrupt-N, so
// nothing the learner had is lost and the next run starts clean.
func setAside(name string) (string, error) {
	for n := 1; ; n++ {
		to := fmt.Sprintf("%s.corrupt-%d", name, n)
		if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
			return to, os.Rename(name, to)
		}
	}
}

func normalize(steps []int) []int {
	out := slices.Clone(steps)
	slices.Sort(out)
	return slices.Compact(out)
}

// Done is how many of a lesson's total steps are done.
func (p *Progress) Done(id string, total int) int {
	n := 0
	for _, s := range p.Lessons[id] {
		if s >= 0 && s < total {
			n++
		}
	}
	return n
}

// StepDone reports whether step i of lesson id is done.
func (p *Progress) StepDone(id string, i int) bool {
	_, ok := slices.BinarySearch(p.Lessons[id], i)
	return ok
}

// MarkDone records step i of lesson id as done and saves.
func (p *Progress) MarkDone(id string, i int) error {
	if p.StepDone(id, i) {
		return nil
	}
	p.Lessons[id] = normalize(append(p.Lessons[id], i))
	return p.Save()
}

// Reset forgets lesson id, or every lesson when id is "", and saves.
func (p *Progress) Reset(id string) error {
	if id == "" {
		p.Lessons = map[string][]int{}
	} else {
		delete(p.Lessons, id)
	}
	return p.Save()
}

// Save writes the progress atomically: a crash or a full disk leaves the
// old file or the new one, never half of one.
func (p *Progress) Save() error {
	if p.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return err
	}
	return renameio.WriteFile(p.path, append(data, '\n'), 0o644)
}

// Path is the progress file, "" when progress is not saved.
func (p *Progress) Path() string { return p.path }
