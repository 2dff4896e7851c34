package playground

// Notice adds kubeplay's own words to the output pane: how to reach the
// API from another terminal, or why it is not served.
func (m *Model) Notice(text string) { m.dropStill(); m.output.Append(text) }
