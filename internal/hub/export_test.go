package hub

// SetBeforeHash installs a hook that runs before every bcrypt run, so tests
// can hold password checks in flight and count them.
func SetBeforeHash(a *Accounts, f func()) { a.beforeHash = f }
