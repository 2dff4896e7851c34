package controller

// slowStart makes n calls of create in batches of 1, 2, 4, …, each batch
// only once every call of the one before has answered and none failed,
// so that a broken template fails once rather than hundreds of times
// (upstream's slowStartBatch). create's i counts from 0 across batches;
// it calls done with whether it succeeded. stopped runs once if a batch
// failed and the calls after it were not made.
func slowStart(n int, create func(i int, done func(ok bool)), stopped func()) {
	slowStartFrom(0, n, 1, create, stopped)
}

func slowStartFrom(from, n, batch int, create func(i int, done func(ok bool)), stopped func()) {
	size := min(n-from, batch)
	pending, failed := size, false
	for i := from; i < from+size; i++ {
		create(i, func(ok bool) {
			pending--
			failed = failed || !ok
			if pending > 0 {
				return
			}
			switch {
			case failed:
				stopped()
			case from+size < n:
				slowStartFrom(from+size, n, batch*2, create, stopped)
			}
		})
	}
}
