package cli

func (c *command) agent(args []string) error { return usagef("agent: not wired yet") }
