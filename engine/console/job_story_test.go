package console

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// jobScript: an Indexed Job of three completions, two at a time, whose
// pods print their index and host name; and a Job that fails with
// backoffLimit 0.
const jobScript = `create -f engine/console/testdata/job-indexed.yaml
wait --for=condition=complete job/idx --timeout=2m
get job idx -o jsonpath='{.status.succeeded}/{.spec.completions}:{.status.completedIndexes}{"\n"}'
logs job/idx
create -f engine/console/testdata/job-fail0.yaml
wait --for=condition=failed job/fail0 --timeout=2m
get job fail0 -o jsonpath='{.status.failed}:{.status.conditions[*].reason}{"\n"}'
`

// fromRepo reads the files kubectl's -f names from the repository's
// root, as the scripts name them, without a t.Chdir, which parallel tests
// cannot use.
func fromRepo(name string) ([]byte, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join("..", "..", name)
	}
	return os.ReadFile(name)
}

func checkJobs(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true, ReadFile: fromRepo}).Run(strings.NewReader(jobScript))
	for _, want := range []string{
		"job.batch/idx condition met\n",
		"3/3:0-2\n",
		"index 0 on idx-0\n",
		"job.batch/fail0 condition met\n",
		"1:BackoffLimitExceeded BackoffLimitExceeded\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("want %q in the output:\n%s", want, out.String())
		}
	}
}

// TestJobsRunToCompletion, on the simulated runtime.
func TestJobsRunToCompletion(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkJobs(t, c)
}

// TestJobsRunToCompletionOnDocker: the same with real containers.
func TestJobsRunToCompletionOnDocker(t *testing.T) {
	dockertest.Need(t, "Jobs on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkJobs(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 2}))
}
