package kubectl

import (
	"bytes"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
)

// TestRunAttached: the docs' one-off pod (run -i --tty --rm) prints the
// container's output, then deletes the pod as kubectl does; a failing
// container's exit code is the command's.
func TestRunAttached(t *testing.T) {
	tty := "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n"
	runSteps(t, nil, []step{
		{cmd: "run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- sh -c 'sleep 2; echo hello'", out: "hello\npod \"dns-test\" deleted\n", err: tty},
		{cmd: "get pod dns-test", code: 1, err: "Error from server (NotFound): pods \"dns-test\" not found\n"},
		{cmd: "run t --image=busybox:1.28 --restart=Never --rm -i -- sh -c 'echo out; exit 3'", code: 3,
			out: "out\npod \"t\" deleted\n", err: "error: pod default/t terminated (Error)\n"},
		{cmd: "run k --image=busybox --restart=Never --attach -- echo kept", out: "kept\n"},
		{cmd: "get pod k -o name", out: "pod/k\n"},
		{cmd: "run w --image=busybox --restart=Never -i -- sh -c 'echo up; sleep 3600'", out: "up\n",
			err: "kubeplay: pod w is still running; stopped following it. Delete it with: kubectl delete pod w\n"},
		{cmd: "run web --image=nginx --rm -i", out: "kubeplay demo-app latest listening on :80 (standing in for nginx)\n",
			err: "kubeplay: pod web is still running; stopped following it. Delete it with: kubectl delete pod web\n"},
		{cmd: "get pod web -o name", out: "pod/web\n"},
		{cmd: "run sh --image=busybox --restart=Never --rm -i -- sh", out: "pod \"sh\" deleted\n",
			err: "kubeplay: kubectl run gives the container no terminal to type at here, so the shell reads nothing and ends. Run one command at a time, for example:\n  kubectl run sh --image=busybox --restart=Never --rm -i -- sh -c 'ls /; env'\n"},
		{cmd: "run bad --image=nosuchimage.example/none --restart=Never --rm -i -- echo hi", out: "pod \"bad\" deleted\n",
			code: 1, err: "error: timed out waiting for the condition\n"},
		{cmd: "run x --image=busybox --rm -- echo hi", code: 1, err: "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n"},
		{cmd: "run x --image=busybox -t -- echo hi", code: 1, err: "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n"},
		{cmd: "run x --image=busybox -i --dry-run=client", code: 1, err: "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n"},
	})
}

// TestRunAttachedKorean: kubeplay's own words when it stops following.
func TestRunAttachedKorean(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := &Session{C: c, Out: &out, Err: &errOut, WatchFor: 12 * time.Second, Lang: bilingual.Korean}
	if code := s.Exec([]string{"run", "w", "--image=busybox", "--restart=Never", "-i", "--", "sh", "-c", "echo up; sleep 3600"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if out.String() != "up\n" || errOut.String() != "kubeplay: 파드 w가 아직 실행 중이라 따라가기를 멈췄습니다. 지우려면: kubectl delete pod w\n" {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	s.Exec([]string{"run", "sh", "--image=busybox", "--restart=Never", "--rm", "-i", "--", "sh"})
	if want := "kubeplay: 여기서 kubectl run은 컨테이너에 입력할 터미널을 주지 못해 셸이 아무것도 읽지 못하고 끝납니다. 명령을 하나씩 실행하세요. 예:\n  kubectl run sh --image=busybox --restart=Never --rm -i -- sh -c 'ls /; env'\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
}
