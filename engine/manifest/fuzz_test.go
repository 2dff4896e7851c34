package manifest

import (
	"errors"
	"testing"
)

// FuzzDecode checks that no input makes Decode panic, and that every error
// it returns is one callers can unwrap to *Error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{goodPod, goodMulti, goodList, goodJSON, probeTypo, specUnderMetadata,
		quotedReplicas, portNotNumber, kindTypo, wrongVersion, noKind, tabIndent, badIndent,
		duplicateKey, notSimulatedFields, "--- x", "{", "[1,2]", "a: &a [*a]", "items: [1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := Decode("fuzz.yaml", []byte(in))
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %T is not a *Error: %v", err, err)
		}
		for _, d := range docs {
			if d.Object == nil {
				t.Fatal("document without object")
			}
		}
	})
}
