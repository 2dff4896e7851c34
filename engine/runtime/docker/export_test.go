package docker

// Cleanup is cleanup, for tests that must not remove what other kubeplay
// runs on the same daemon own.
var Cleanup = cleanup

// LabelFilter is labelFilter.
var LabelFilter = labelFilter
