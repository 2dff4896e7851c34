package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestPersistentVolumesOnDocker is the pv-pvc transcript's story on real
// containers: a claim gets a provisioned volume, a busybox pod writes a
// file into it and ends, a second pod reads the file back; deleting the
// claim deletes the volume (and its folder, checked by the runtime's
// conformance suite); nothing is left on the daemon.
func TestPersistentVolumesOnDocker(t *testing.T) {
	needDockerInParallel(t, "the PersistentVolume test on Docker")
	script := `apply -f assets/examples/pv-nfs.yaml
apply -f assets/examples/pvc-static.yaml
apply -f assets/examples/pvc-data.yaml
wait --for=jsonpath={.status.phase}=Bound pvc/data pvc/small-claim --timeout=60s
get pvc small-claim -o jsonpath='{.spec.volumeName}{"\n"}'
apply -f assets/examples/pvc-writer.yaml
wait --for=jsonpath={.status.phase}=Succeeded pod/writer --timeout=120s
delete pod writer
apply -f assets/examples/pvc-reader.yaml
wait --for=condition=Ready pod/reader --timeout=120s
exec reader -- cat /data/note.txt
delete pvc data --wait=false
get pvc data -o jsonpath='{.metadata.deletionTimestamp}{"\n"}'
delete pod reader --grace-period=1
wait --for=delete pvc/data --timeout=60s
get pv -o name
`
	out, _ := scriptOnDocker(t, script)
	for _, want := range []string{
		"pv-1g\n",             // the smallest volume that fits the static claim
		"written by writer\n", // the second pod reads what the first wrote
		"persistentvolume/pv-1g\npersistentvolume/pv-5g\n", // the provisioned volume is gone; the hand-made ones stay
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`\n\d{4}-\d\d-\d\dT[\d:]+Z\n`).MatchString(out) {
		t.Errorf("the claim a pod uses was not kept Terminating after delete:\n%s", out)
	}
	if strings.Contains(out, "persistentvolume/pvc-") {
		t.Errorf("the provisioned volume outlived its claim:\n%s", out)
	}
}
